/**
 * The cash share (自付) of an outpatient order: the patient's payment code on the scan box (HX-23), a QR on the
 * screen (HX-22/24), the cashier closing that QR, notes at the window (现金), and self-pay only (HX-20). A payment that ends without money
 * sets the order's undo in the payment movement's own final transaction (order-effects.ts `failPayment`); the
 * undo itself is the next step (undo.ts).
 */
import { StationError } from '../../shared/result';
import { fen, fenToYuan, type Fen } from '../../shared/money';
import type { OperatorView, OrderView } from '../../shared/domain';
import { reason } from '../../shared/order-reasons';
import type { Payment, PaymentWallet } from '../../insurance/pay-channel';
import { closeQrAtPlatform, MOVEMENT_KINDS } from '../movements';
import type { OutpatientContext } from './context';
import type { CardPaymentPayload, CashPaymentPayload, CashTaken, MicropayPayload, QrPayload } from './movements';
import type { CardTerminalAnswer } from '../ports';
import type { OrderRecord } from './orders-repo';

/** A QR's intent is asked after for this long past the QR's expiry: the platform's clock and ours differ a little. */
const QR_GRACE_MS = 5_000;
/** Less time than this left in the top-up window is too little to scan and pay. */
const QR_MIN_LIFE_MS = 10_000;

export class CashShare {
  constructor(
    private readonly c: OutpatientContext,
    private readonly steps: {
      /** HIS books the order (completion.ts). */
      book: (orderId: string) => Promise<void>;
      /** The insurance part is undone after a failed payment (undo.ts). */
      undo: (orderId: string) => Promise<unknown>;
      /** Recovery, for a payment that ended while nobody was waiting for it. */
      recover: () => Promise<void>;
    },
  ) {}

  /** HX-23/24: the patient's payment code, scanned by the scan box, pays the cash share. */
  payByCode(_operator: OperatorView, orderId: string, scanId: string): Promise<OrderView> {
    // The saga's own step: recovery must not take it too while it runs.
    return this.c.whileStepping(orderId, () => this.collectByCode(orderId, scanId));
  }

  private async collectByCode(orderId: string, scanId: string): Promise<OrderView> {
    const { d } = this.c;
    const order = this.payable(orderId);
    const scan = d.scans.take(scanId);
    if (!scan) throw new StationError('SCAN_EXPIRED', '付款码已失效，请患者刷新付款码后重新扫码');
    if (scan.kind !== 'wechat-pay' && scan.kind !== 'alipay-pay') throw new StationError('INVALID_ARGUMENT', '这不是微信或支付宝付款码');
    const outTradeNo = d.ids.outTradeNo(order.hisOrderNo, 'P');
    const amount = order.split!.cashFen;
    const payload: MicropayPayload = { outTradeNo, totalFee: amount, subject: subject(order), authCode: scan.code };
    // The payment's row is written with its intent, in one transaction.
    const r = await d.outbox.run<MicropayPayload, Payment>(MOVEMENT_KINDS.micropay, {
      orderId,
      externalId: outTradeNo,
      payload,
      prepare: () => d.orders.payments.insert({ id: d.ids.rowId(), orderId, outTradeNo, amountFen: amount }, d.now()),
    });
    if (r.state === 'unknown') return this.c.inDoubt(orderId, reason('payment-unknown'));
    // Refused: the movement marked the payment failed and the order for its undo (or, self-pay, payable again).
    if (r.state === 'failed') await this.steps.undo(orderId);
    else await this.steps.book(orderId);
    return this.c.changed(orderId);
  }

  /**
   * Cash at the window: the cashier counted `tenderedFen` in hand (at least the share due) and confirmed by key. The
   * payment is recorded through the outbox like a wallet's, so HIS books it as the next step; the change is on it.
   */
  payByCash(_operator: OperatorView, orderId: string, tenderedFen: Fen): Promise<OrderView> {
    return this.c.whileStepping(orderId, () => this.collectCash(orderId, tenderedFen));
  }

  private async collectCash(orderId: string, tenderedFen: Fen): Promise<OrderView> {
    const { d } = this.c;
    const order = this.payable(orderId);
    const amount = order.split!.cashFen;
    if (tenderedFen < amount) throw new StationError('INVALID_ARGUMENT', `收款金额少于应收金额 ${fenToYuan(amount)} 元`);
    const outTradeNo = d.ids.outTradeNo(order.hisOrderNo, 'C');
    const payload: CashPaymentPayload = { outTradeNo, totalFee: amount, tenderedFee: tenderedFen };
    const r = await d.outbox.run<CashPaymentPayload, CashTaken>(MOVEMENT_KINDS.cash, {
      orderId,
      externalId: outTradeNo,
      payload,
      prepare: () => d.orders.payments.insertCash({ id: d.ids.rowId(), orderId, outTradeNo, amountFen: amount, tenderedFen }, d.now()),
    });
    // Local: only a storage failure leaves it open, and the resolver settles it as taken.
    if (r.state === 'succeeded') await this.steps.book(orderId);
    else this.c.inBackground(() => this.steps.recover(), 'recovery');
    return this.c.changed(orderId);
  }

  /**
   * Bank card (银行卡) on the window's POS terminal: the sale's intent and payment row are written before the frame
   * is sent; approved, HIS books it next; refused, the order's undo follows as for a refused payment code; no
   * answer, the order is in doubt and the outbox asks the terminal by 查询 (and voids a sale still unknown later).
   */
  payByCard(_operator: OperatorView, orderId: string): Promise<OrderView> {
    return this.c.whileStepping(orderId, () => this.collectByCard(orderId));
  }

  private async collectByCard(orderId: string): Promise<OrderView> {
    const { d } = this.c;
    if (!d.cardTerminal) throw new StationError('DEVICE_OFFLINE', '本工作站未配置银行卡终端');
    if (d.cardTerminal.ready?.() === false) throw new StationError('DEVICE_OFFLINE', '银行卡终端未连接，请检查终端电源和连线');
    const order = this.payable(orderId);
    const amount = order.split!.cashFen;
    const ref = d.ids.posRef('K');
    const r = await d.outbox.run<CardPaymentPayload, CardTerminalAnswer>(MOVEMENT_KINDS.cardSale, {
      orderId,
      externalId: ref,
      payload: { ref, totalFee: amount },
      prepare: () => d.orders.payments.insert({ id: d.ids.rowId(), orderId, outTradeNo: ref, amountFen: amount, mode: 'card' }, d.now()),
    });
    if (r.state === 'unknown') return this.c.inDoubt(orderId, reason('payment-unknown'));
    if (r.state === 'failed') await this.steps.undo(orderId);
    else await this.steps.book(orderId);
    return this.c.changed(orderId);
  }

  /**
   * HX-22: a QR for the cash share on the screen. The answer comes later: the outbox polls the platform while the
   * QR is shown (HX-24) and, when it is paid, the saga books the settlement at HIS; when it closes unpaid, the
   * insurance part is undone. The QR lives until the top-up window closes at the latest.
   */
  async payByQr(_operator: OperatorView, orderId: string, wallet?: PaymentWallet): Promise<OrderView> {
    const { d } = this.c;
    const order = this.payable(orderId);
    const now = d.now().getTime();
    const until = Math.min(now + d.qr.ttlMs, order.payBefore ? new Date(order.payBefore).getTime() : Infinity);
    if (until - now < QR_MIN_LIFE_MS) throw new StationError('CONFLICT', '补缴时限即将结束，来不及扫码付款');
    const outTradeNo = d.ids.outTradeNo(order.hisOrderNo, 'Q');
    const amount = order.split!.cashFen;
    const expiresAt = new Date(until).toISOString();
    const payload: QrPayload = {
      outTradeNo,
      totalFee: amount,
      subject: subject(order),
      expiresAt: until,
      windowMs: until - now + QR_GRACE_MS,
      ...(wallet ? { wallet } : {}),
    };
    const r = await d.outbox.run<QrPayload, Payment>(MOVEMENT_KINDS.qr, {
      orderId,
      externalId: outTradeNo,
      payload,
      prepare: () =>
        d.orders.payments.insert({ id: d.ids.rowId(), orderId, outTradeNo, amountFen: amount, mode: 'precreate', expiresAt }, d.now()),
    });
    if (r.state === 'failed') {
      // The platform refused to make a QR (a configuration matter, not the patient's): the code on the scan box still works.
      this.c.changed(orderId);
      throw new StationError('CENTRE_REJECTED', `二维码生成失败：${r.detail}；可改用付款码收款`);
    }
    return this.c.changed(orderId);
  }

  /** The cashier closes the QR on the screen (the patient will pay otherwise, or not at all). */
  async cancelPayment(_operator: OperatorView, orderId: string): Promise<OrderView> {
    const { d } = this.c;
    if (!d.orders.get(orderId)) throw new StationError('NOT_FOUND', '没有这张收费单');
    const qr = d.orders.payments.pendingQr(orderId);
    if (!qr) throw new StationError('CONFLICT', '该收费单没有正在等待付款的二维码');
    await closeQrAtPlatform(d, orderId, qr.outTradeNo);
    return this.c.changed(orderId);
  }

  /** HX-20: the order is paid in full by the patient and booked by HIS; nothing goes to the centre. */
  selfPay(_operator: OperatorView, orderId: string): OrderView {
    const { d } = this.c;
    const order = this.c.order(orderId, ['open']);
    if (order.mdtrtId) throw new StationError('CONFLICT', '该收费单已向医保登记，不能改为自费结算');
    const zero = fen(0);
    d.orders.update(
      orderId,
      {
        settleMode: 'self-pay',
        split: {
          totalFen: order.totalFen,
          fundFen: zero,
          poolFen: zero,
          accountFen: zero,
          cashFen: order.totalFen,
          deductibleFen: zero,
          balanceAfterFen: zero,
        },
        state: 'awaiting-payment',
        payBefore: new Date(d.now().getTime() + d.payWindowMs).toISOString(),
        reason: null,
      },
      d.now(),
    );
    return this.c.changed(orderId);
  }

  /** An order waiting for its cash share that has not been paid already (a payment whose booking is still to come). */
  private payable(orderId: string): OrderRecord {
    const order = this.c.order(orderId, ['awaiting-payment']);
    if (this.c.d.orders.payments.paid(orderId).length > 0) {
      this.c.inBackground(() => this.steps.recover(), 'recovery');
      throw new StationError('ORDER_BUSY', '该收费单已收到付款，正在登记结算，请勿重复收费');
    }
    return order;
  }
}

function subject(order: OrderRecord): string {
  return `${order.settleMode === 'self-pay' ? '门诊自费' : '门诊缴费'} ${order.hisOrderNo}`;
}
