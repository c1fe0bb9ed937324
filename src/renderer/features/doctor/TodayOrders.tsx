import { PrinterOutlined } from '@ant-design/icons';
import { Button, Spin, Table, Tag, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { ORDER_STATE_LABELS, SETTLE_MODE_LABELS, type OrderView } from '../../../shared/domain';
import { formatYuan } from '../../../shared/money';
import { ErrorNotice } from '../../common/ErrorNotice';
import { formatTime } from '../../common/format';
import { ORDER_STATE_COLORS, orderActivityAt, todayTotals, useTodayOrders } from '../cashier';
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

  const columns: TableColumnsType<OrderView> = [
    { title: '时间', key: 'at', width: 64, render: (_, o) => <span className="tabular">{formatTime(orderActivityAt(o))}</span> },
    { title: '患者', dataIndex: 'patientName', width: 72, ellipsis: true },
    { title: '收费单号', key: 'no', ellipsis: true, render: (_, o) => <span className="code">{o.hisOrderNo}</span> },
    {
      title: '状态',
      key: 'state',
      width: 96,
      render: (_, o) => (
        <Tag
          color={ORDER_STATE_COLORS[o.state]}
          data-testid="today-order-state"
          data-order-id={o.id}
          data-state={o.state}
          title={SETTLE_MODE_LABELS[o.settleMode]}
        >
          {ORDER_STATE_LABELS[o.state]}
        </Tag>
      ),
    },
    { title: '合计', key: 'total', width: 78, align: 'right', render: (_, o) => formatYuan(o.totalFen) },
    { title: '自付', key: 'cash', width: 72, align: 'right', render: (_, o) => (o.split ? formatYuan(o.split.cashFen) : '—') },
    {
      title: '',
      key: 'slip',
      width: 40,
      render: (_, o) =>
        o.state === 'completed' ? (
          <Button
            size="small"
            type="link"
            data-testid="today-receipt"
            title="结算单（重打）"
            aria-label="结算单"
            icon={<PrinterOutlined />}
            onClick={() => setReceiptFor(o.id)}
          />
        ) : null,
    },
  ];

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
