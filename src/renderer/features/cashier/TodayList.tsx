import { Button, Spin, Table } from 'antd';
import { useEffect, useEffectEvent, useRef, useState } from 'react';
import type { OrderView } from '../../../shared/domain';
import { formatYuan } from '../../../shared/money';
import { ErrorNotice } from '../../common/ErrorNotice';
import { modalOpen } from '../../common/modal-layer';
import { ReceiptDialog } from '../receipt';
import { OrderDrawer } from './OrderDrawer';
import { todayOrderColumns } from './today-columns';
import { maskPersonName, moveSelection, typingIn } from './today-list';
import { todayTotals } from './today-orders';
import { useTodayOrders } from './use-today-orders';

/**
 * The idle cashier window's list of today's settlements (this station, this operator), live: ↑/↓ move, Enter
 * opens the order's detail (lines, payments, 补打, 退费). The patient's name is masked: the screen faces the queue.
 */
export function TodayList({ canRefund }: { canRefund: boolean }) {
  const { state, reloadError, reload } = useTodayOrders();
  const orders = state.status === 'ready' ? state.orders : [];
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const [receiptFor, setReceiptFor] = useState<string | null>(null);
  const scrollRef = useRef<HTMLDivElement>(null);
  const index = orders.findIndex((o) => o.id === selectedId);
  const opened = orders.find((o) => o.id === openId);

  const onKey = useEffectEvent((event: KeyboardEvent) => {
    if (event.repeat || modalOpen() || typingIn(event.target) || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const next = moveSelection(index, event.key === 'ArrowDown' ? 1 : -1, orders.length);
      setSelectedId(orders[next]?.id ?? null);
    } else if (event.key === 'Enter' && index >= 0) {
      event.preventDefault();
      setOpenId(orders[index]!.id);
    }
  });
  useEffect(() => {
    const listener = (event: KeyboardEvent) => onKey(event);
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);
  useEffect(() => {
    scrollRef.current?.querySelector('[data-selected="true"]')?.scrollIntoView({ block: 'nearest' });
  }, [selectedId]);

  const columns = todayOrderColumns({
    patient: (o) => maskPersonName(o.patientName),
    slipTitle: '结算单（补打）',
    onSlip: setReceiptFor,
    compact: true,
  });

  const totals = state.status === 'ready' ? todayTotals(state.orders) : null;
  return (
    <section className="today-orders desk__today" aria-label="今日结算">
      <header className="today-orders__header">
        <h2>今日结算</h2>
        <span className="today-list__hint">
          <kbd>↑</kbd>
          <kbd>↓</kbd> 选择 <kbd>Enter</kbd> 明细
        </span>
        {totals && (
          <span className="today-orders__totals" data-testid="today-totals">
            已完成 {totals.completed} 笔 · 自付 {formatYuan(totals.cashFen)}
          </span>
        )}
        <Button size="small" data-testid="today-refresh" onClick={reload}>
          刷新
        </Button>
      </header>
      {reloadError && state.status === 'ready' && <ErrorNotice error={reloadError} testId="today-error" />}
      {state.status === 'loading' && (
        <p className="query-loading" role="status">
          <Spin size="small" /> 正在加载…
        </p>
      )}
      {state.status === 'failed' && <ErrorNotice error={state.error} testId="today-error" />}
      {state.status === 'ready' && (
        <div className="today-orders__scroll" data-testid="cashier-today-list" ref={scrollRef}>
          <Table<OrderView>
            size="small"
            columns={columns}
            dataSource={orders}
            rowKey="id"
            pagination={false}
            locale={{ emptyText: '今天还没有结算' }}
            rowClassName={(o) => (o.id === selectedId ? 'today-list__row--selected' : '')}
            onRow={(o) => ({
              'data-testid': 'today-row',
              'data-selected': o.id === selectedId,
              onClick: () => {
                setSelectedId(o.id);
                setOpenId(o.id);
              },
            })}
          />
        </div>
      )}
      {opened && <OrderDrawer order={opened} canRefund={canRefund} onClose={() => setOpenId(null)} />}
      {receiptFor && <ReceiptDialog orderId={receiptFor} onClose={() => setReceiptFor(null)} />}
    </section>
  );
}
