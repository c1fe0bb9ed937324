import { useEffect, useRef } from 'react';
import type { OrderView } from '../../../shared/domain';
import { formatYuan } from '../../../shared/money';
import { formatTime } from '../../common/format';
import { Button, Kbd, Tag } from '../../ui';
import { PUSH_LABELS, paidPayments, walletLabel } from './order-labels';

const PUSH_TONES = { none: 'neutral', pending: 'warn', sent: 'ok' } as const;

/**
 * HX-19/21/25/26: what was settled — the split (or 自费), what the patient paid and with which app, what HIS
 * booked (settlement no, invoice no, where to pick up the drugs), whether the patient's phone got the message.
 */
export function OrderResult({ order, onPrint, printKey = true }: { order: OrderView; onPrint?: () => void; printKey?: boolean }) {
  const payments = paidPayments(order);
  const selfPay = order.settleMode === 'self-pay';
  const s = order.split;
  // The result appears below the order's lines: bring it into view where the screen is short (laptops, 诊间).
  const ref = useRef<HTMLElement>(null);
  // A block body: newer Chromium returns a promise from scrollIntoView, and React would take it for a cleanup.
  useEffect(() => {
    void ref.current?.scrollIntoView?.({ block: 'nearest' });
  }, []);
  return (
    <section ref={ref} className="order-result" data-testid="order-result" aria-label="结算结果">
      <dl className={selfPay ? 'split split--selfpay' : 'split'} data-testid="order-result-split">
        {selfPay ? (
          <div className="split__cash">
            <dt>自费</dt>
            <dd data-testid="order-result-cash">{formatYuan(s?.cashFen ?? order.totalFen)}</dd>
          </div>
        ) : (
          <>
            <div>
              <dt>统筹基金</dt>
              <dd data-testid="order-result-fund">{formatYuan(s?.fundFen ?? 0)}</dd>
            </div>
            <div>
              <dt>个人账户</dt>
              <dd data-testid="order-result-account">{formatYuan(s?.accountFen ?? 0)}</dd>
            </div>
            <div className="split__cash">
              <dt>现金（微信/支付宝）</dt>
              <dd data-testid="order-result-cash">{formatYuan(s?.cashFen ?? 0)}</dd>
            </div>
          </>
        )}
      </dl>
      {payments.length > 0 && (
        <ul className="order-result__payments" data-testid="order-result-payments">
          {payments.map((p) => (
            <li key={p.outTradeNo}>
              <span>
                {walletLabel(p.wallet)} · {p.mode === 'precreate' ? '扫码支付' : '付款码'}
              </span>
              <strong className="tabular">{formatYuan(p.amountFen)}</strong>
              <span className="code order-result__trade">{p.outTradeNo}</span>
            </li>
          ))}
        </ul>
      )}
      {order.his ? (
        <dl className="facts facts--compact order-result__his">
          <div>
            <dt>HIS 结算号</dt>
            <dd className="code" data-testid="his-settle-no">
              {order.his.hisSettleNo}
            </dd>
          </div>
          <div>
            <dt>发票号</dt>
            <dd className="code" data-testid="his-invoice-no">
              {order.his.invoiceNo || '—'}
            </dd>
          </div>
          <div>
            <dt>取药窗口</dt>
            <dd data-testid="his-pickup-window">{order.his.pickupWindow || '—'}</dd>
          </div>
          <div>
            <dt>结算时间</dt>
            <dd className="tabular">{formatTime(order.his.settledAt)}</dd>
          </div>
        </dl>
      ) : (
        <p className="order-result__pending">HIS 结算信息尚未返回</p>
      )}
      <footer className="order-result__footer">
        <Tag tone={PUSH_TONES[order.push]} data-testid="push-state" data-push={order.push}>
          {PUSH_LABELS[order.push]}
        </Tag>
        {order.his?.pickupWindow && <span className="order-card__done">请患者到 {order.his.pickupWindow} 取药</span>}
        {onPrint && (
          <Button variant="primary" data-testid="receipt-open" onClick={onPrint}>
            打印结算单 {printKey && <Kbd>F9</Kbd>}
          </Button>
        )}
      </footer>
    </section>
  );
}
