import { Button, Descriptions, Tag } from 'antd';
import type { OrderView } from '../../../shared/domain';
import { formatYuan } from '../../../shared/money';
import { formatTime, paymentWayLabel } from '../../common/format';
import { PUSH_LABELS, paidPayments } from './order-labels';
import { EBillTag } from './EBillTag';
import { SplitSummary } from './SplitSummary';

const PUSH_COLORS = { none: 'default', pending: 'warning', sent: 'success' } as const;

/**
 * HX-19/21/25/26: what was settled — the split (or 自费), what the patient paid and with which app, what HIS
 * booked (settlement no, invoice no, where to pick up the drugs), whether the patient's phone got the message, and
 * the fiscal e-bill's state and number where the station issues them.
 */
export function OrderResult({ order, onPrint, printKey = true }: { order: OrderView; onPrint?: () => void; printKey?: boolean }) {
  const payments = paidPayments(order);
  return (
    <section className="order-result" data-testid="order-result" aria-label="结算结果">
      <SplitSummary order={order} testPrefix="order-result" />
      {payments.length > 0 && (
        <ul className="order-result__payments" data-testid="order-result-payments">
          {payments.map((p) => (
            <li key={p.outTradeNo}>
              <span data-testid="order-result-way">{paymentWayLabel(p)}</span>
              <strong className="tabular">{formatYuan(p.amountFen)}</strong>
              <span className="code order-result__trade">{p.outTradeNo}</span>
            </li>
          ))}
        </ul>
      )}
      {order.his ? (
        <Descriptions
          className="order-result__his"
          size="small"
          column={2}
          items={[
            {
              key: 'settle',
              label: 'HIS 结算号',
              children: (
                <span className="code" data-testid="his-settle-no">
                  {order.his.hisSettleNo}
                </span>
              ),
            },
            {
              key: 'invoice',
              label: '发票号',
              children: (
                <span className="code" data-testid="his-invoice-no">
                  {order.his.invoiceNo || '—'}
                </span>
              ),
            },
            { key: 'pickup', label: '取药窗口', children: <span data-testid="his-pickup-window">{order.his.pickupWindow || '—'}</span> },
            { key: 'at', label: '结算时间', children: <span className="tabular">{formatTime(order.his.settledAt)}</span> },
          ]}
        />
      ) : (
        <p className="order-result__pending">HIS 结算信息尚未返回</p>
      )}
      <footer className="order-result__footer">
        <Tag color={PUSH_COLORS[order.push]} data-testid="push-state" data-push={order.push}>
          {PUSH_LABELS[order.push]}
        </Tag>
        {order.ebill && <EBillTag ebill={order.ebill} />}
        {order.his?.pickupWindow && <span className="order-result__done">请患者到 {order.his.pickupWindow} 取药</span>}
        {onPrint && (
          <Button type="primary" data-testid="receipt-open" onClick={onPrint}>
            打印结算单 {printKey && <kbd>F9</kbd>}
          </Button>
        )}
      </footer>
    </section>
  );
}
