import { Table, Tag, type TableColumnsType } from 'antd';
import { ORDER_STATE_LABELS, SETTLE_MODE_LABELS, type OrderLineView, type OrderView } from '../../../shared/domain';
import { formatYuan } from '../../../shared/money';
import { ORDER_STATE_COLORS } from './order-labels';

/** The NHSA charge grade (chrgitm_lv) as cashiers say it. */
const GRADES: Record<string, string> = { '01': '甲', '02': '乙', '03': '丙' };

/** The fee lines' columns, shared with the detail of today's orders (HX-42). */
export const FEE_LINE_COLUMNS: TableColumnsType<OrderLineView> = [
  { title: '项目', dataIndex: 'name', ellipsis: true },
  { title: '规格', dataIndex: 'spec', width: 130, ellipsis: true },
  { title: '数量', key: 'quantity', width: 70, align: 'right', render: (_, l) => `${l.quantity}${l.unit}` },
  { title: '单价', key: 'unitPrice', width: 90, align: 'right', render: (_, l) => formatYuan(l.unitPriceFen) },
  { title: '金额', key: 'amount', width: 100, align: 'right', render: (_, l) => formatYuan(l.amountFen) },
  { title: '类别', dataIndex: 'chargeLevel', width: 56, align: 'center', render: (v: string) => GRADES[v] ?? (v || '—') },
];

/**
 * One order's lines: its header (收费单, department, doctor, mode and state), the lines scrolling inside their own
 * area (never the page), and the total under them.
 */
export function FeeList({ order }: { order: OrderView }) {
  return (
    <section className="fee-list" aria-label="收费单">
      <header className="fee-list__header">
        <span className="fee-list__title">
          收费单 <span className="code">{order.hisOrderNo}</span>
        </span>
        <span className="fee-list__meta">
          {order.deptName} · {order.doctorName}
        </span>
        <span className="fee-list__tags">
          <Tag color={order.settleMode === 'self-pay' ? 'warning' : 'blue'} data-testid="order-settle-mode">
            {SETTLE_MODE_LABELS[order.settleMode]}
          </Tag>
          <Tag color={ORDER_STATE_COLORS[order.state]} data-testid="order-state">
            {ORDER_STATE_LABELS[order.state]}
          </Tag>
        </span>
      </header>
      <div className="fee-list__scroll" data-testid="fee-list-scroll">
        <Table<OrderLineView>
          size="small"
          columns={FEE_LINE_COLUMNS}
          dataSource={order.lines}
          rowKey="seq"
          pagination={false}
          locale={{ emptyText: '无明细' }}
        />
      </div>
      <footer className="fee-list__total">
        <span>合计 {order.lines.length} 项</span>
        <strong className="tabular" data-testid="order-total">
          {formatYuan(order.totalFen)}
        </strong>
      </footer>
    </section>
  );
}
