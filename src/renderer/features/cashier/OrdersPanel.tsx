import { Spin, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { ORDER_STATE_LABELS, type OrderView } from '../../../shared/domain';
import { formatYuan } from '../../../shared/money';
import { ErrorNotice } from '../../common/ErrorNotice';
import { useStationEvent } from '../../common/station-context';
import { useHotkey } from '../../common/use-hotkey';
import { ReceiptDialog } from '../receipt';
import { CashDialog } from './CashDialog';
import { FeeList } from './FeeList';
import { KeyBar } from './KeyBar';
import { KeyConfirm } from './KeyConfirm';
import { SettlePanel } from './SettlePanel';
import { UndoConfirm } from './UndoConfirm';
import { deskKeys } from './key-map';
import { ORDER_STATE_COLORS, actionableOrder, cashShareFen, pendingQr } from './order-labels';
import { useOrders } from './use-orders';

interface OrdersPanelProps {
  identificationId: string;
  /** 撤销医保结算 is the cashier's (and admin's) step; the doctor and nurse stations do not offer it. */
  canCancelSettlement?: boolean;
  /** side: fee list and settle panel side by side (the window); stacked: one above the other (the doctor's pane) */
  layout?: 'side' | 'stacked';
  /** Esc, once confirmed while a payment is awaited: the next patient */
  onClear: () => void;
}

type Asking = { kind: 'selfpay' | 'undo' | 'close-qr' | 'clear' | 'cash'; orderId: string };

/**
 * HX-08..HX-26 at the window or in the clinic room: the patient's HIS orders, pre-settlement (F4) showing the
 * split, settlement (F5) or self-pay settlement (F8, HX-20), the cash share collected from the patient's
 * payment code on the scan box or from a QR on screen (F7, HX-22), and the result with its slip (F9). Steps
 * that cannot be taken back (自费, 撤销医保结算, closing the QR, leaving a payment awaited) ask first: Enter / Esc.
 */
export function OrdersPanel({ identificationId, canCancelSettlement = true, layout = 'side', onClear }: OrdersPanelProps) {
  const { orders, error, busy, preSettle, settle, payByCode, payByCash, payByCard, cancelSettlement, payByQr, cancelPayment, selfPay } =
    useOrders(identificationId);
  const [pinned, setPinned] = useState<string | null>(null);
  const [asking, setAsking] = useState<Asking | null>(null);
  const [receiptFor, setReceiptFor] = useState<string | null>(null);
  const actionable = actionableOrder(orders);
  const completed = orders?.filter((o) => o.state === 'completed') ?? [];
  // The order on screen: the one last worked on (its result stays in view), else the next with a step to take.
  const current = orders?.find((o) => o.id === pinned) ?? actionable ?? completed.at(-1) ?? orders?.[0];
  const state = busy ? undefined : current?.state;
  const qr = current ? pendingQr(current) : null;

  function work(orderId: string, step: (id: string) => Promise<void>) {
    setPinned(orderId);
    void step(orderId);
  }

  useHotkey('F1', () => current && state === 'awaiting-payment' && !qr && setAsking({ kind: 'cash', orderId: current.id }), {
    enabled: canCancelSettlement,
  });
  useHotkey('Alt+K', () => current && state === 'awaiting-payment' && !qr && work(current.id, payByCard), {
    enabled: canCancelSettlement,
  });
  useHotkey('F4', () => current && state === 'open' && work(current.id, preSettle));
  useHotkey('F5', () => current && state === 'previewed' && work(current.id, settle));
  useHotkey('F7', () => current && state === 'awaiting-payment' && !qr && void payByQr(current.id));
  useHotkey('F8', () => current && state === 'open' && setAsking({ kind: 'selfpay', orderId: current.id }));
  useHotkey('F9', () => {
    const done = current?.state === 'completed' ? current : completed.at(-1);
    if (done) setReceiptFor(done.id);
  });
  useHotkey(
    'Delete',
    () =>
      current &&
      state === 'awaiting-payment' &&
      !qr &&
      current.settleMode === 'insurance' &&
      setAsking({ kind: 'undo', orderId: current.id }),
    { enabled: canCancelSettlement },
  );
  // A payment awaited is money half-taken: Esc asks before it closes the QR or leaves the patient.
  useHotkey('Escape', () => current && !busy && setAsking({ kind: qr ? 'close-qr' : 'clear', orderId: current.id }), {
    enabled: current?.state === 'awaiting-payment',
    claim: true,
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

  function confirmAsked(a: Asking, reason = '') {
    setAsking(null);
    if (a.kind === 'selfpay') work(a.orderId, selfPay);
    else if (a.kind === 'undo') void cancelSettlement(a.orderId, reason);
    else if (a.kind === 'close-qr') void cancelPayment(a.orderId);
    else if (a.kind === 'clear') onClear();
  }

  const keys = deskKeys({
    identified: true,
    order: current,
    hasCompleted: completed.length > 0,
    busy: busy !== null,
    canCancelSettlement,
    hasTill: canCancelSettlement,
  });
  return (
    <>
      <section className={`orders orders--${layout}`} data-testid="orders-panel">
        {!orders && !error && (
          <div className="orders__loading" data-testid="orders-loading">
            <Spin size="small" /> 正在从 HIS 获取待缴费处方…
          </div>
        )}
        {orders?.length === 0 && <p className="orders__empty">该患者没有待缴费的处方</p>}
        {current && (
          <article
            className="order-card"
            data-testid="order-card"
            data-state={current.state}
            data-settle-mode={current.settleMode}
            data-his-order-no={current.hisOrderNo}
          >
            <div className="order-card__fees">
              {orders && orders.length > 1 && <OrderSwitcher orders={orders} currentId={current.id} onPick={setPinned} />}
              <FeeList order={current} />
            </div>
            <div className="order-card__settle">
              {error && <ErrorNotice error={error} testId="order-error" />}
              {busy && (
                <div className="orders__busy" data-testid="order-busy" role="status">
                  <Spin size="small" /> {busy}
                </div>
              )}
              <SettlePanel
                order={current}
                disabled={busy !== null}
                canCancelSettlement={canCancelSettlement}
                onPreSettle={() => work(current.id, preSettle)}
                onSelfPay={() => setAsking({ kind: 'selfpay', orderId: current.id })}
                onSettle={() => work(current.id, settle)}
                onCancel={() => setAsking({ kind: 'undo', orderId: current.id })}
                onPayByQr={() => void payByQr(current.id)}
                onPayByCash={() => setAsking({ kind: 'cash', orderId: current.id })}
                onPayByCard={() => work(current.id, payByCard)}
                onCancelQr={() => setAsking({ kind: 'close-qr', orderId: current.id })}
                onPrint={() => setReceiptFor(current.id)}
              />
            </div>
          </article>
        )}
        {!current && error && <ErrorNotice error={error} testId="order-error" />}
      </section>
      <KeyBar keys={keys} />
      {asking?.kind === 'cash' && current && (
        <CashDialog
          dueFen={cashShareFen(current)}
          onOk={(tenderedFen) => {
            setAsking(null);
            setPinned(asking.orderId);
            void payByCash(asking.orderId, tenderedFen);
          }}
          onCancel={() => setAsking(null)}
        />
      )}
      {asking && asking.kind !== 'cash' && current && (
        <AskFirst asking={asking} order={current} onOk={(reason) => confirmAsked(asking, reason)} onCancel={() => setAsking(null)} />
      )}
      {receiptFor && <ReceiptDialog orderId={receiptFor} onClose={() => setReceiptFor(null)} />}
    </>
  );
}

/** The patient's other orders, one tag each: a click shows that one (the keys then act on it). */
function OrderSwitcher({ orders, currentId, onPick }: { orders: readonly OrderView[]; currentId: string; onPick: (id: string) => void }) {
  return (
    <div className="order-switcher" role="tablist" aria-label="收费单">
      {orders.map((o) => (
        <Tag.CheckableTag key={o.id} checked={o.id === currentId} onChange={() => onPick(o.id)} data-testid="order-switch">
          {o.hisOrderNo} · {formatYuan(o.totalFen)} · <Tag color={ORDER_STATE_COLORS[o.state]}>{ORDER_STATE_LABELS[o.state]}</Tag>
        </Tag.CheckableTag>
      ))}
    </div>
  );
}

function AskFirst({
  asking,
  order,
  onOk,
  onCancel,
}: {
  asking: Asking;
  order: OrderView;
  onOk: (reason?: string) => void;
  onCancel: () => void;
}) {
  const cash = formatYuan(cashShareFen(order));
  switch (asking.kind) {
    case 'cash':
      return null; // its own dialog: the notes and the change (CashDialog)
    case 'selfpay':
      return (
        <KeyConfirm title="确认按自费结算？" okText="确认自费结算" testId="selfpay-confirm" onOk={onOk} onCancel={onCancel}>
          本次不使用患者医保，全部费用 {formatYuan(order.totalFen)} 由患者自付（微信 / 支付宝）。
        </KeyConfirm>
      );
    case 'undo':
      return <UndoConfirm cash={cash} onOk={onOk} onCancel={onCancel} />;
    case 'close-qr':
      return (
        <KeyConfirm title="关闭收款二维码？" okText="关闭二维码" danger testId="confirm-close-qr" onOk={onOk} onCancel={onCancel}>
          患者还没有支付 {cash}。关闭后工作站会撤销本次医保结算，收费单回到待结算。
        </KeyConfirm>
      );
    case 'clear':
      return (
        <KeyConfirm title="患者还没有付清，确定清除？" okText="清除，接待下一位" testId="confirm-clear" onOk={onOk} onCancel={onCancel}>
          还有 {cash} 待支付。清除后这笔医保结算在补缴期限内保留，期限一过工作站自动撤销；患者回来后重新识别即可继续收款。
        </KeyConfirm>
      );
  }
}
