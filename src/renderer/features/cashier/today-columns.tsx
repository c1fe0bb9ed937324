import { PrinterOutlined } from '@ant-design/icons';
import { Button, Tag, type TableColumnsType } from 'antd';
import { ORDER_STATE_LABELS, SETTLE_MODE_LABELS, type OrderView } from '../../../shared/domain';
import { formatYuan } from '../../../shared/money';
import { formatTime } from '../../common/format';
import { ORDER_STATE_COLORS } from './order-labels';
import { orderActivityAt } from './today-orders';

/**
 * The columns of a list of today's settlements, as the cashier's window and the doctor's station show them:
 * time, patient (as `patient` shows the name), order, state, total, cash share, and the slip of a finished one.
 */
export function todayOrderColumns(opts: {
  patient: (o: OrderView) => string;
  slipTitle: string;
  onSlip: (orderId: string) => void;
  /** The cashier's narrower list beside the identification strip. */
  compact: boolean;
}): TableColumnsType<OrderView> {
  const w = (compact: number, wide: number) => (opts.compact ? compact : wide);
  return [
    { title: '时间', key: 'at', width: w(56, 64), render: (_, o) => <span className="tabular">{formatTime(orderActivityAt(o))}</span> },
    { title: '患者', key: 'patient', width: w(64, 72), ellipsis: true, render: (_, o) => opts.patient(o) },
    { title: '收费单号', key: 'no', ellipsis: true, render: (_, o) => <span className="code">{o.hisOrderNo}</span> },
    {
      title: '状态',
      key: 'state',
      width: w(84, 96),
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
    { title: '合计', key: 'total', width: w(72, 78), align: 'right', render: (_, o) => formatYuan(o.totalFen) },
    { title: '自付', key: 'cash', width: w(68, 72), align: 'right', render: (_, o) => (o.split ? formatYuan(o.split.cashFen) : '—') },
    {
      title: '',
      key: 'slip',
      width: w(36, 40),
      render: (_, o) =>
        o.state === 'completed' ? (
          <Button
            size="small"
            type="link"
            data-testid="today-receipt"
            title={opts.slipTitle}
            aria-label="结算单"
            icon={<PrinterOutlined />}
            onClick={(e) => {
              e.stopPropagation(); // the cashier's row click opens the order's detail
              opts.onSlip(o.id);
            }}
          />
        ) : null,
    },
  ];
}
