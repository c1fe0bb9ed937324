import { Button, Spin, Table } from 'antd';
import { useState } from 'react';
import type { OrderView } from '../../../shared/domain';
import { formatYuan } from '../../../shared/money';
import { ErrorNotice } from '../../common/ErrorNotice';
import { todayOrderColumns, todayTotals, useTodayOrders } from '../cashier';
import { ReceiptDialog } from '../receipt';

interface TodayOrdersProps {
  title: string;
  'data-testid': string;
  className?: string;
}

/** Today's settlements of this operator, live: time, patient, order, state, total, cash; the slip of a finished one. */
export function TodayOrders({ title, className, 'data-testid': testId }: TodayOrdersProps) {
  const { state, reloadError, reload } = useTodayOrders();
  const [receiptFor, setReceiptFor] = useState<string | null>(null);

  const columns = todayOrderColumns({ patient: (o) => o.patientName, slipTitle: '结算单（重打）', onSlip: setReceiptFor, compact: false });

  const totals = state.status === 'ready' ? todayTotals(state.orders) : null;
  return (
    <section className={['today-orders', className].filter(Boolean).join(' ')} aria-label={title}>
      <header className="today-orders__header">
        <h2>{title}</h2>
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
        <div className="today-orders__scroll" data-testid={testId}>
          <Table<OrderView>
            size="small"
            columns={columns}
            dataSource={state.orders}
            rowKey="id"
            pagination={false}
            locale={{ emptyText: '今天还没有结算' }}
          />
        </div>
      )}
      {receiptFor && <ReceiptDialog orderId={receiptFor} onClose={() => setReceiptFor(null)} />}
    </section>
  );
}
