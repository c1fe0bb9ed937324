import { useState } from 'react';
import { ORDER_STATE_LABELS, SETTLE_MODE_LABELS, type OrderView } from '../../../shared/domain';
import { formatYuan } from '../../../shared/money';
import { ErrorNotice } from '../../common/ErrorNotice';
import { formatTime } from '../../common/format';
import { Button, DataTable, Panel, Spinner, Tag, type Column } from '../../ui';
import { ORDER_STATE_TONES } from '../cashier';
import { ReceiptDialog } from '../receipt';
import { orderActivityAt, todayTotals } from './today-orders';
import { useTodayOrders } from './use-today-orders';

interface TodayOrdersProps {
  title: string;
  'data-testid': string;
  className?: string;
}

/** Today's settlements of this operator, live: patient, order, state, total, cash, time; the slip of a finished one. */
export function TodayOrders({ title, className, 'data-testid': testId }: TodayOrdersProps) {
  const { state, reloadError, reload } = useTodayOrders();
  const [receiptFor, setReceiptFor] = useState<string | null>(null);

  const columns: readonly Column<OrderView>[] = [
    { header: '时间', cell: (o) => <span className="tabular">{formatTime(orderActivityAt(o))}</span>, width: '96px' },
    { header: '患者', cell: (o) => o.patientName, width: '110px' },
    { header: '收费单号', cell: (o) => <span className="code">{o.hisOrderNo}</span> },
    {
      header: '状态',
      width: '200px',
      cell: (o) => (
        <Tag tone={ORDER_STATE_TONES[o.state]} data-testid="today-order-state" data-order-id={o.id} data-state={o.state}>
          {ORDER_STATE_LABELS[o.state]}
        </Tag>
      ),
    },
    { header: '方式', cell: (o) => SETTLE_MODE_LABELS[o.settleMode], width: '100px' },
    { header: '合计', cell: (o) => formatYuan(o.totalFen), width: '110px', align: 'end' },
    { header: '现金', cell: (o) => (o.split ? formatYuan(o.split.cashFen) : '—'), width: '110px', align: 'end' },
    {
      header: '',
      width: '96px',
      cell: (o) =>
        o.state === 'completed' ? (
          <Button data-testid="today-receipt" onClick={() => setReceiptFor(o.id)}>
            结算单
          </Button>
        ) : null,
    },
  ];

  const totals = state.status === 'ready' ? todayTotals(state.orders) : null;
  return (
    <Panel
      title={title}
      className={['today-orders', className].filter(Boolean).join(' ')}
      actions={
        <>
          {totals && (
            <span className="today-orders__totals" data-testid="today-totals">
              已完成 {totals.completed} 笔 · 现金 {formatYuan(totals.cashFen)}
            </span>
          )}
          <Button data-testid="today-refresh" onClick={reload}>
            刷新
          </Button>
        </>
      }
    >
      {reloadError && state.status === 'ready' && <ErrorNotice error={reloadError} testId="today-error" />}
      {state.status === 'loading' && (
        <p className="query-loading" role="status">
          <Spinner /> 正在加载…
        </p>
      )}
      {state.status === 'failed' && <ErrorNotice error={state.error} testId="today-error" />}
      {state.status === 'ready' && (
        <DataTable caption={title} data-testid={testId} columns={columns} rows={state.orders} rowKey={(o) => o.id} empty="今天还没有结算" />
      )}
      {receiptFor && <ReceiptDialog orderId={receiptFor} onClose={() => setReceiptFor(null)} />}
    </Panel>
  );
}
