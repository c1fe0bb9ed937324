import { useEffect, useState } from 'react';
import { ORDER_STATE_LABELS, SETTLE_MODE_LABELS, type OrderView } from '../../../shared/domain';
import { formatYuan } from '../../../shared/money';
import { ErrorNotice } from '../../common/ErrorNotice';
import { useStationEvent } from '../../common/station-context';
import { useHotkey } from '../../common/use-hotkey';
import { Button, DataTable, Kbd, Notice, Spinner, Tag, type Column } from '../../ui';
import { ReceiptDialog } from '../receipt';
import { Countdown } from './Countdown';
import { OrderResult } from './OrderResult';
import { QrPanel } from './QrPanel';
import { SelfPayConfirm } from './SelfPayConfirm';
import { ORDER_STATE_TONES, SETTLE_MODE_TONES, actionableOrder, cashShareFen, pendingQr } from './order-labels';
import { useOrders } from './use-orders';

const LINE_COLUMNS: readonly Column<OrderView['lines'][number]>[] = [
  { header: '项目', cell: (l) => l.name },
  { header: '规格', cell: (l) => l.spec, width: '140px' },
  { header: '数量', cell: (l) => `${l.quantity}${l.unit}`, width: '80px' },
  { header: '单价', cell: (l) => formatYuan(l.unitPriceFen), width: '100px' },
  { header: '金额', cell: (l) => formatYuan(l.amountFen), width: '110px' },
];

/** Where the order's detail is news the cashier must read (a reversal, an expiry), not a footnote. */
const DETAIL_NOTICE_STATES: readonly OrderView['state'][] = ['open', 'reversed', 'expired'];

interface OrdersPanelProps {
  identificationId: string;
  /** 撤销医保结算 is the cashier's (and admin's) step; the doctor and nurse stations do not offer it. */
  canCancelSettlement?: boolean;
}

/**
 * HX-08..HX-26 at the window or in the clinic room: the patient's HIS orders, pre-settlement (F4) showing the
 * split, settlement (F5) or self-pay settlement (F8, HX-20), the cash share collected from the patient's
 * payment code on the scan box or from a QR on screen (F7, HX-22), and the result with its slip (F9).
 */
export function OrdersPanel({ identificationId, canCancelSettlement = true }: OrdersPanelProps) {
  const { orders, error, busy, preSettle, settle, payByCode, cancelSettlement, payByQr, cancelPayment, selfPay } =
    useOrders(identificationId);
  const [confirmingSelfPay, setConfirmingSelfPay] = useState<string | null>(null);
  const [receiptFor, setReceiptFor] = useState<string | null>(null);
  const actionable = actionableOrder(orders);
  const confirming = confirmingSelfPay !== null && orders?.some((o) => o.id === confirmingSelfPay && o.state === 'open');

  useHotkey('F4', () => {
    if (actionable?.state === 'open' && !busy && !confirming) void preSettle(actionable.id);
  });
  useHotkey('F5', () => {
    if (actionable?.state === 'previewed' && !busy) void settle(actionable.id);
  });
  useHotkey('F7', () => {
    if (actionable?.state === 'awaiting-payment' && !pendingQr(actionable) && !busy) void payByQr(actionable.id);
  });
  useHotkey('F8', () => {
    if (actionable?.state === 'open' && !busy) setConfirmingSelfPay(actionable.id);
  });
  useHotkey('F9', () => {
    const done = orders?.find((o) => o.state === 'completed');
    if (done) setReceiptFor(done.id);
  });
  // The patient's payment code pays the order awaiting it. The card asks for the code as soon as the order's new
  // state arrives (an event), which can be a moment before the step that got it there has answered and cleared
  // `busy`: a code scanned in between is held for that order and collected once the answer is in — never dropped
  // (the patient has no way to know it was). The core expires an unused scan by itself (ScanRegistry).
  const [heldScan, setHeldScan] = useState<{ scanId: string; orderId: string } | null>(null);
  useStationEvent('scan', (scan) => {
    if (scan.kind !== 'wechat-pay' && scan.kind !== 'alipay-pay') return;
    const awaiting = orders?.find((o) => o.state === 'awaiting-payment');
    if (!awaiting) return;
    if (busy) setHeldScan({ scanId: scan.scanId, orderId: awaiting.id });
    else void payByCode(awaiting.id, scan.scanId);
  });
  useEffect(() => {
    if (!heldScan || busy) return;
    setHeldScan(null);
    // Still the order it was shown for and still waiting for it (the step may have ended otherwise).
    if (orders?.some((o) => o.id === heldScan.orderId && o.state === 'awaiting-payment')) void payByCode(heldScan.orderId, heldScan.scanId);
  }, [heldScan, busy, orders, payByCode]);

  function confirmSelfPay(orderId: string) {
    setConfirmingSelfPay(null);
    void selfPay(orderId);
  }

  if (!orders && !error) {
    return (
      <div className="orders orders--loading" data-testid="orders-loading">
        <Spinner /> 正在从 HIS 获取待缴费处方…
      </div>
    );
  }
  return (
    <section className="orders" data-testid="orders-panel">
      {error && <ErrorNotice error={error} testId="order-error" />}
      {busy && (
        <div className="orders__busy" data-testid="order-busy">
          <Spinner /> {busy}
        </div>
      )}
      {orders?.length === 0 && <p className="orders__empty">该患者没有待缴费的处方</p>}
      {orders?.map((order) => (
        <article
          key={order.id}
          className="order-card"
          data-testid="order-card"
          data-state={order.state}
          data-settle-mode={order.settleMode}
        >
          <header className="order-card__header">
            <div>
              <h3>
                收费单 <span className="code">{order.hisOrderNo}</span>
              </h3>
              <span className="order-card__meta">
                {order.deptName} · {order.doctorName}
              </span>
            </div>
            <div className="order-card__tags">
              <Tag tone={SETTLE_MODE_TONES[order.settleMode]} data-testid="order-settle-mode">
                {SETTLE_MODE_LABELS[order.settleMode]}
              </Tag>
              <Tag tone={ORDER_STATE_TONES[order.state]} data-testid="order-state">
                {ORDER_STATE_LABELS[order.state]}
              </Tag>
            </div>
          </header>
          <DataTable caption="费用明细" columns={LINE_COLUMNS} rows={order.lines} rowKey={(l) => l.seq} empty="无明细" />
          <div className="order-card__total">
            合计 <strong data-testid="order-total">{formatYuan(order.totalFen)}</strong>
          </div>
          {order.split && order.state !== 'completed' && <SplitSummary order={order} />}
          {order.detail &&
            (DETAIL_NOTICE_STATES.includes(order.state) ? (
              <Notice tone="warn" title={order.detail} data-testid="order-detail" />
            ) : (
              <p className="order-card__detail" data-testid="order-detail">
                {order.detail}
              </p>
            ))}
          {order.state === 'open' && confirmingSelfPay === order.id ? (
            <SelfPayConfirm
              totalFen={order.totalFen}
              disabled={busy !== null}
              onConfirm={() => confirmSelfPay(order.id)}
              onBack={() => setConfirmingSelfPay(null)}
            />
          ) : (
            <OrderActions
              order={order}
              disabled={busy !== null}
              canCancelSettlement={canCancelSettlement}
              onPreSettle={() => void preSettle(order.id)}
              onSelfPay={() => setConfirmingSelfPay(order.id)}
              onSettle={() => void settle(order.id)}
              onCancel={() => void cancelSettlement(order.id)}
              onPayByQr={() => void payByQr(order.id)}
              onCancelQr={() => void cancelPayment(order.id)}
              onPrint={() => setReceiptFor(order.id)}
            />
          )}
        </article>
      ))}
      {receiptFor && <ReceiptDialog orderId={receiptFor} onClose={() => setReceiptFor(null)} />}
    </section>
  );
}

function SplitSummary({ order }: { order: OrderView }) {
  const s = order.split!;
  if (order.settleMode === 'self-pay') {
    return (
      <dl className="split split--selfpay" data-testid="order-split">
        <div className="split__cash">
          <dt>自费（微信/支付宝）</dt>
          <dd data-testid="order-split-cash">{formatYuan(s.cashFen)}</dd>
        </div>
      </dl>
    );
  }
  return (
    <dl className="split" data-testid="order-split">
      <div>
        <dt>统筹基金</dt>
        <dd data-testid="order-split-fund">{formatYuan(s.fundFen)}</dd>
      </div>
      <div>
        <dt>个人账户</dt>
        <dd data-testid="order-split-account">{formatYuan(s.accountFen)}</dd>
      </div>
      <div className="split__cash">
        <dt>个人自付（微信/支付宝）</dt>
        <dd data-testid="order-split-cash">{formatYuan(s.cashFen)}</dd>
      </div>
    </dl>
  );
}

interface OrderActionsProps {
  order: OrderView;
  disabled: boolean;
  canCancelSettlement: boolean;
  onPreSettle: () => void;
  onSelfPay: () => void;
  onSettle: () => void;
  onCancel: () => void;
  onPayByQr: () => void;
  onCancelQr: () => void;
  onPrint: () => void;
}

function OrderActions(props: OrderActionsProps) {
  const { order, disabled } = props;
  switch (order.state) {
    case 'open':
      return (
        <div className="order-card__actions">
          <Button variant="primary" size="lg" data-testid="order-presettle" disabled={disabled} onClick={props.onPreSettle}>
            医保预结算 <Kbd>F4</Kbd>
          </Button>
          <Button size="lg" data-testid="selfpay-button" disabled={disabled} onClick={props.onSelfPay}>
            自费结算 <Kbd>F8</Kbd>
          </Button>
        </div>
      );
    case 'previewed':
      return (
        <div className="order-card__actions">
          <Button variant="primary" size="lg" data-testid="order-settle" disabled={disabled} onClick={props.onSettle}>
            确认结算 <Kbd>F5</Kbd>
          </Button>
        </div>
      );
    case 'awaiting-payment':
      return <AwaitingPayment {...props} />;
    case 'in-doubt':
      return (
        <div className="order-card__doubt" role="status">
          <Spinner /> 结果未知 — 正在核实，完成前不能再次结算
        </div>
      );
    case 'reversing':
    case 'expiring':
      return (
        <div className="order-card__doubt" role="status" data-testid="order-reversing">
          <Spinner />
          {order.state === 'reversing' ? '患者未完成自付，正在自动撤销医保结算，完成后可重新结算' : '补缴期限已过，正在撤销医保结算与挂号'}
        </div>
      );
    case 'completed':
      return <OrderResult order={order} onPrint={props.onPrint} />;
    default:
      return null;
  }
}

/** The cash share still to collect: the payment code on the scan box, or a QR on screen (F7). */
function AwaitingPayment({ order, disabled, canCancelSettlement, onCancel, onPayByQr, onCancelQr }: OrderActionsProps) {
  const qr = pendingQr(order);
  const cash = cashShareFen(order);
  return (
    <div className="order-card__pay" data-testid="order-pay-prompt">
      <div className="order-pay__due">
        <span>
          应收{order.settleMode === 'self-pay' ? '自费' : '个人自付'}
          <strong className="order-pay__amount tabular" data-testid="order-cash-due">
            {formatYuan(cash)}
          </strong>
        </span>
        {order.payBefore && (
          <span className="order-pay__deadline">
            请在 <Countdown until={order.payBefore} data-testid="order-pay-countdown" /> 内完成支付
          </span>
        )}
      </div>
      {qr ? (
        <QrPanel payment={qr} disabled={disabled} onCancel={onCancelQr} />
      ) : (
        <div className="order-pay__ways">
          <strong>请患者出示微信或支付宝付款码，在扫码墩上扫码支付 {formatYuan(cash)}</strong>
          <span className="order-pay__or">或</span>
          <Button variant="primary" data-testid="order-pay-qr" disabled={disabled} onClick={onPayByQr}>
            二维码收款 <Kbd>F7</Kbd>
          </Button>
        </div>
      )}
      {canCancelSettlement && order.settleMode === 'insurance' && !qr && (
        <div className="order-pay__cancel">
          <Button data-testid="order-cancel" disabled={disabled} onClick={onCancel}>
            撤销医保结算
          </Button>
        </div>
      )}
    </div>
  );
}
