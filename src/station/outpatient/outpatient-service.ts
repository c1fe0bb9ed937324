/**
 * Outpatient settlement at the window or in the clinic room (HX-08..HX-29), as a saga over the outbox:
 *
 *   HIS orders → 2201 registration → 2204 fee upload → 2206 preview (shown) → 2207 settlement
 *     → cash share 0: HIS confirm → completed
 *     → cash share > 0: awaiting payment → payment code (micropay) or QR on the screen → HIS confirm → completed
 *                          the payment fails → reversing: 2208 → 2205 → 2202 → open again (HX-28, automatic)
 *                          the top-up window passes → expiring: 2208 → 2205 → 2202 → expired (HX-33..35)
 *   self-pay only (HX-20): open → awaiting payment (the whole amount) → HIS self-pay booking → completed
 *   completed → HIS settlement details (HX-25) → the patient's message (HX-27)
 *
 * Every step that changes state elsewhere is an outbox movement, written before it is sent. A lost answer puts
 * the order "in doubt" (locked); when the resolver finishes that movement, `continueAfter` takes the saga's next
 * step. Nothing is retried blind: a lost 2207 is reversed by 2601 first, a lost micropay is queried, then reversed.
 */
import { randomUUID } from 'node:crypto';
import { StationError } from '../../shared/result';
import { fenToYuan } from '../../shared/money';
import type { OperatorView, OrderState, OrderView, SettlementSplitView } from '../../shared/domain';
import type { HisClient, HisOrderState, HisPaymentLine, HisSettlement } from '../../insurance/his';
import type { PayChannelClient, Payment, PaymentWallet } from '../../insurance/pay-channel';
import { paymentResultMessage, type MessageClient, type PatientMessage } from '../../insurance/messages';
import { preSettleOutpatient, treatmentCheck, type Settlement, type SettlementInput } from '../../insurance/nhsa';
import type { NhsaGateway } from '../insurance/nhsa-gateway';
import type { Db } from '../store/database';
import { localDateTime, localDay } from '../clock';
import type { PersonsRepo } from '../store/persons-repo';
import type { Outbox, RunResult } from '../outbox/outbox';
import type { FinalState } from '../outbox/movement';
import type { ScanRegistry } from '../scans';
import type { EventBus } from '../events';
import type { OrdersRepo, OrderRecord } from './orders-repo';
import { outpatientSettlementMovement, SETTLEMENT_KIND, type SettlementPayload } from './settlement-movement';
import {
  feesCancelMovement,
  feesMovement,
  hisConfirmMovement,
  KINDS,
  micropayMovement,
  registrationCancelMovement,
  registrationMovement,
  settlementCancelMovement,
  type FeesCancelPayload,
  type FeesPayload,
  type HisConfirmPayload,
  type MicropayPayload,
  type RegistrationCancelPayload,
  type RegistrationPayload,
  type SettlementCancelPayload,
} from './movements';
import {
  hisSelfPayMovement,
  PAYMENT_KINDS,
  pushMovement,
  qrPaymentMovement,
  type HisSelfPayPayload,
  type QrPayload,
} from './payment-movements';

export interface OutpatientDeps {
  db: Db;
  orders: OrdersRepo;
  persons: PersonsRepo;
  outbox: Outbox;
  gateway: NhsaGateway;
  his: HisClient;
  pay: PayChannelClient;
  scans: ScanRegistry;
  bus: EventBus;
  newMsgid: () => string;
  now: () => Date;
  /** The zone the centre's times and "today" are in (configuration, not the OS's: see station/clock.ts). */
  timeZone: string;
  /** How long the patient has to pay the cash share (HX-33). */
  payWindowMs: number;
  /** How long a QR on the screen stays payable (never past the top-up window), and how often it is asked after. */
  qr: { ttlMs: number; pollEveryMs: number };
  /** The patient-message gateway (HX-27); absent: no messages are sent. */
  messages: MessageClient | null;
  /** The hospital's name as messages show it, and the details page a message opens (`{orderNo}` replaced). */
  hospitalName: string;
  detailsUrl?: string;
  /** The movement kinds of an order that succeeded since its latest successful `anchorKind` (from the outbox). */
  succeededSince: (orderId: string, anchorKind: string) => Set<string>;
  /** The order's most recently finished movement. */
  lastFinished: (orderId: string) => { kind: string; final: FinalState } | undefined;
}

const MED_TYPE_GENERAL_OUTPATIENT = '11';
/** A QR's intent is asked after for this long past the QR's expiry: the platform's clock and ours differ a little. */
const QR_GRACE_MS = 5_000;
const HIS_STATE_WORDS: Record<Exclude<HisOrderState, 'unpaid'>, string> = { paid: '已在他处缴费', expired: '已过期', refunded: '已退费' };

export class OutpatientService {
  constructor(private readonly d: OutpatientDeps) {
    const onFinal = () => {}; // business effects are applied by the saga step that awaited or was announced
    // What the centre booked is written in the transaction that records the movement as done: a stop between the
    // two would otherwise leave an order that does not know its visit, its fee batch or its settlement.
    d.outbox.register(
      registrationMovement({
        gateway: d.gateway,
        newMsgid: d.newMsgid,
        onFinal: (_db, intent, final, r) => {
          if (final === 'succeeded' && r) this.d.orders.update(intent.orderId, { mdtrtId: r.mdtrt_id }, this.d.now());
        },
      }),
    );
    d.outbox.register(
      feesMovement({
        gateway: d.gateway,
        newMsgid: d.newMsgid,
        onFinal: (db, intent, final, fees) => {
          if (final !== 'succeeded' || !fees) return;
          this.d.orders.update(intent.orderId, { chrgBchno: intent.payload.chrgBchno, feeResults: fees }, this.d.now());
          const setLevel = db.prepare('UPDATE outpatient_order_lines SET charge_level = ? WHERE order_id = ? AND feedetl_sn = ?');
          for (const r of fees.result) setLevel.run(r.chrgitm_lv, intent.orderId, r.feedetl_sn);
        },
      }),
    );
    d.outbox.register(
      outpatientSettlementMovement({
        gateway: d.gateway,
        newMsgid: d.newMsgid,
        onFinal: (_db, intent, final, settlement) => {
          if (final === 'succeeded' && settlement) this.applySettlement(intent.orderId, settlement);
        },
      }),
    );
    d.outbox.register(
      settlementCancelMovement({
        gateway: d.gateway,
        newMsgid: d.newMsgid,
        // A cashier's cancel ends the order here, with the movement; an undo in progress goes on from its own state.
        onFinal: (_db, intent, final) => {
          const order = final === 'succeeded' ? this.d.orders.get(intent.orderId) : undefined;
          if (order && order.state !== 'reversing' && order.state !== 'expiring') {
            this.d.orders.update(intent.orderId, { state: 'reversed', payBefore: null, detail: '医保结算已撤销' }, this.d.now());
          }
        },
      }),
    );
    d.outbox.register(feesCancelMovement({ gateway: d.gateway, newMsgid: d.newMsgid, onFinal }));
    d.outbox.register(registrationCancelMovement({ gateway: d.gateway, newMsgid: d.newMsgid, onFinal }));
    d.outbox.register(hisConfirmMovement({ his: d.his, onFinal }));
    d.outbox.register(
      qrPaymentMovement({
        pay: d.pay,
        pollEveryMs: d.qr.pollEveryMs,
        onQr: (outTradeNo, qr) => this.d.orders.setPaymentQr(outTradeNo, qr.codeUrl, qr.expiresAt, this.d.now()),
        onFinal: (_db, intent, final, payment) =>
          this.d.orders.updatePayment(
            intent.payload.outTradeNo,
            final === 'succeeded' && payment
              ? { state: 'paid', channel: payment.wallet, transactionId: payment.transactionId }
              : { state: 'closed' },
            this.d.now(),
          ),
      }),
    );
    d.outbox.register(hisSelfPayMovement({ his: d.his, onFinal }));
    if (d.messages) {
      d.outbox.register(
        pushMovement({
          messages: d.messages,
          onFinal: (db, intent, final) =>
            db.prepare('UPDATE outpatient_orders SET push_state = ? WHERE id = ?').run(final === 'succeeded' ? 'sent' : 'none', intent.orderId),
        }),
      );
    }
    d.outbox.register(
      micropayMovement({
        pay: d.pay,
        onFinal: (db, intent, final, payment) =>
          this.d.orders.updatePayment(
            intent.payload.outTradeNo,
            final === 'succeeded' && payment
              ? { state: 'paid', channel: payment.wallet, transactionId: payment.transactionId }
              : { state: final === 'compensated' ? 'reversed' : 'failed' },
            this.d.now(),
          ),
      }),
    );
  }

  /** HX-08..10: the identified patient's unsettled HIS orders, kept as station orders. */
  async listOrders(operator: OperatorView, identificationId: string): Promise<OrderView[]> {
    const ident = this.d.persons.identification(identificationId);
    if (!ident) throw new StationError('NOT_FOUND', '没有这次身份识别记录，请重新识别患者');
    const patient = await this.d.his.patient({ idNo: ident.person.certNo });
    if (patient.kind === 'rejected') throw new StationError('NOT_FOUND', `HIS 中没有该患者：${patient.message}`);
    if (patient.kind === 'unknown') throw new StationError('CENTRE_UNREACHABLE', 'HIS 无法连接，请稍后重试');
    const orders = await this.d.his.unsettledOrders(patient.value.patientId);
    if (orders.kind !== 'ok') throw new StationError('CENTRE_UNREACHABLE', 'HIS 无法返回待缴费处方，请稍后重试');
    // No insurance (uninsured, identified by the hospital card): the orders are kept all the same, payable as self-pay.
    const insurance = ident.person.insurances[0] ?? { insutype: '', insuredRegion: ident.insuredRegion };
    const ids = orders.value.map((o) =>
      this.d.orders.upsertFromHis(
        o,
        {
          identificationId,
          psnNo: ident.person.psnNo,
          insutype: insurance.insutype,
          insuredRegion: insurance.insuredRegion,
          cert: { type: ident.certType, no: ident.certNo },
          operatorId: operator.id,
        },
        randomUUID(),
        this.d.now(),
      ),
    );
    return ids.map((id) => this.view(id));
  }

  /** HX-13..15: register (2201), upload the fee lines (2204) and pre-settle (2206); the split is shown. */
  async preSettle(operator: OperatorView, orderId: string): Promise<OrderView> {
    let order = this.order(orderId, ['open', 'previewed']);
    if (!order.insutype) throw new StationError('CONFLICT', '该患者未参保，只能自费结算');
    const base = { operator, insuredRegion: order.insuredRegion, psnNo: order.psnNo };
    if (!order.mdtrtId) await this.checkEligibility(operator, order);
    if (!order.mdtrtId) {
      const input = {
        psn_no: order.psnNo,
        insutype: order.insutype,
        begntime: this.nhsaTime(order.createdAt),
        mdtrt_cert_type: order.cert.type,
        mdtrt_cert_no: order.cert.no,
        ipt_otp_no: order.hisOrderNo,
        atddr_no: operator.id,
        dr_name: order.doctorName || operator.name,
        dept_code: order.deptCode || 'MZ',
        dept_name: order.deptName || '门诊',
        caty: order.deptCode || 'MZ',
      };
      await this.run<RegistrationPayload, { mdtrt_id: string }>(KINDS.registration, order, { ...base, input }); // mdtrt_id stored with it
      order = this.order(orderId);
    }
    if (!order.chrgBchno) {
      const chrgBchno = `${order.hisOrderNo}`.slice(-30);
      const lines = order.lines.map((l) => ({
        feedetl_sn: l.feedetlSn,
        mdtrt_id: order.mdtrtId!,
        psn_no: order.psnNo,
        chrg_bchno: chrgBchno,
        fee_ocur_time: this.nhsaTime(order.createdAt),
        med_list_codg: l.medListCodg,
        medins_list_codg: l.hisItemCode,
        det_item_fee_sumamt: l.amountFen as never,
        cnt: l.quantity,
        pric: fenToYuan(l.unitPriceFen),
        bilg_dept_codg: order.deptCode || 'MZ',
        bilg_dept_name: order.deptName || '门诊',
        bilg_dr_codg: operator.id,
        bilg_dr_name: order.doctorName || operator.name,
        rxno: l.rxNo,
      }));
      // The batch number and each line's charge level are stored with the movement (feesMovement's onFinal).
      await this.run<FeesPayload, { result: { feedetl_sn: string; chrgitm_lv: string }[] }>(KINDS.fees, order, {
        ...base,
        mdtrtId: order.mdtrtId!,
        chrgBchno,
        lines,
      });
      order = this.order(orderId);
    }
    const pre = await this.d.gateway.perform('2206', operator, (c, ctx) => preSettleOutpatient(c, ctx, this.settlementInput(order)), {
      insuredRegion: order.insuredRegion,
    });
    if (pre.kind === 'rejected') throw new StationError('CENTRE_REJECTED', `预结算失败：${pre.errMsg}`);
    if (pre.kind === 'unknown') throw new StationError('CENTRE_UNREACHABLE', '预结算无应答，请稍后重试（预结算不产生费用）');
    this.d.orders.update(order.id, { state: 'previewed', split: splitOf(pre.output), settlement: pre.output }, this.d.now());
    return this.changed(order.id);
  }

  /**
   * HX-11/12: before registering, 2001 asks whether the person's insurance gives benefits for this visit today (a
   * suspended scheme does not). Read-only: nothing to undo. The answer is kept sealed with the order.
   */
  private async checkEligibility(operator: OperatorView, order: OrderRecord): Promise<void> {
    const check = await this.d.gateway.perform(
      '2001',
      operator,
      (c, ctx) =>
        treatmentCheck(c, ctx, {
          psn_no: order.psnNo,
          insutype: order.insutype,
          med_type: MED_TYPE_GENERAL_OUTPATIENT,
          begntime: localDateTime(this.d.now(), this.d.timeZone),
        }),
      { insuredRegion: order.insuredRegion },
    );
    if (check.kind === 'unknown') throw new StationError('CENTRE_UNREACHABLE', '待遇检查无应答，请稍后重试（未产生费用）');
    if (check.kind === 'rejected') throw new StationError('CENTRE_REJECTED', `待遇检查未通过：${check.errMsg}；可改为自费结算`);
    this.d.orders.update(order.id, { eligibility: check.output }, this.d.now());
    const refused = check.output.trtinfo.find((t) => t.trt_enjymnt_flag !== '1');
    if (refused) throw new StationError('CENTRE_REJECTED', `不享受医保待遇：${refused.trt_chk_rslt || '待遇检查未通过'}；可改为自费结算`);
  }

  /** HX-16..19: settle (2207); with no cash share, confirm with HIS and finish. */
  async settle(operator: OperatorView, orderId: string): Promise<OrderView> {
    const order = this.order(orderId, ['previewed']);
    // The settlement is written to the order with the movement (applySettlement, in the same transaction).
    const s = await this.run<SettlementPayload, Settlement>(SETTLEMENT_KIND, order, {
      operator,
      insuredRegion: order.insuredRegion,
      input: this.settlementInput(order),
    });
    if (s.setlinfo.psn_cash_pay === 0) await this.book(orderId);
    return this.changed(order.id);
  }

  /** 2207 booked: the order knows its settlement; with a cash share it waits for it, without it HIS books next. */
  private applySettlement(orderId: string, s: Settlement): void {
    const split = splitOf(s);
    this.d.orders.update(
      orderId,
      {
        setlId: s.setlinfo.setl_id,
        split,
        settlement: s,
        state: split.cashFen > 0 ? 'awaiting-payment' : 'insurance-settled',
        payBefore: split.cashFen > 0 ? new Date(this.d.now().getTime() + this.d.payWindowMs).toISOString() : null,
        detail: '',
      },
      this.d.now(),
    );
  }

  /** HX-23/24: the patient's payment code, scanned by the scan box, pays the cash share. */
  async payByCode(operator: OperatorView, orderId: string, scanId: string): Promise<OrderView> {
    // The saga's own step: recovery must not take it too while it runs.
    this.stepping.add(orderId);
    try {
      return await this.collectByCode(operator, orderId, scanId);
    } finally {
      this.stepping.delete(orderId);
    }
  }

  private async collectByCode(_operator: OperatorView, orderId: string, scanId: string): Promise<OrderView> {
    const order = this.payable(orderId);
    const scan = this.d.scans.take(scanId);
    if (!scan) throw new StationError('SCAN_EXPIRED', '付款码已失效，请患者刷新付款码后重新扫码');
    if (scan.kind !== 'wechat-pay' && scan.kind !== 'alipay-pay') throw new StationError('INVALID_ARGUMENT', '这不是微信或支付宝付款码');
    const outTradeNo = this.outTradeNo(order, 'P');
    const amount = order.split!.cashFen;
    this.d.orders.insertPayment({ id: randomUUID(), orderId, outTradeNo, amountFen: amount }, this.d.now());
    const payload: MicropayPayload = { outTradeNo, totalFee: amount, subject: this.subject(order), authCode: scan.code };
    const r = await this.d.outbox.run<MicropayPayload, Payment>(KINDS.micropay, { orderId, externalId: outTradeNo, payload });
    if (r.state === 'unknown') return this.inDoubt(orderId, '正在确认付款结果（患者可能正在输入密码）');
    if (r.state === 'failed') {
      this.d.orders.updatePayment(outTradeNo, { state: 'failed' }, this.d.now());
      await this.paymentFailed(orderId, `付款失败：${r.detail}`);
      return this.changed(orderId);
    }
    this.d.orders.updatePayment(outTradeNo, { state: 'paid', channel: r.output.wallet, transactionId: r.output.transactionId }, this.d.now());
    await this.book(orderId);
    return this.changed(orderId);
  }

  /**
   * HX-22: a QR for the cash share on the screen. The answer comes later: the outbox polls the platform while the
   * QR is shown (HX-24) and, when it is paid, the saga books the settlement at HIS; when it closes unpaid, the
   * insurance part is undone. The QR lives until the top-up window closes at the latest.
   */
  async payByQr(_operator: OperatorView, orderId: string, wallet?: PaymentWallet): Promise<OrderView> {
    const order = this.payable(orderId);
    const now = this.d.now().getTime();
    const until = Math.min(now + this.d.qr.ttlMs, order.payBefore ? new Date(order.payBefore).getTime() : Infinity);
    if (until - now < 10_000) throw new StationError('CONFLICT', '补缴时限即将结束，来不及扫码付款');
    const outTradeNo = this.outTradeNo(order, 'Q');
    const amount = order.split!.cashFen;
    const expiresAt = new Date(until).toISOString();
    this.d.orders.insertPayment({ id: randomUUID(), orderId, outTradeNo, amountFen: amount, mode: 'precreate', expiresAt }, this.d.now());
    const payload: QrPayload = {
      outTradeNo,
      totalFee: amount,
      subject: this.subject(order),
      expiresAt: until,
      windowMs: until - now + QR_GRACE_MS,
      ...(wallet ? { wallet } : {}),
    };
    const r = await this.d.outbox.run<QrPayload, Payment>(PAYMENT_KINDS.qr, { orderId, externalId: outTradeNo, payload });
    if (r.state === 'failed') {
      // The platform refused to make a QR (a configuration matter, not the patient's): the code on the scan box still works.
      this.d.orders.updatePayment(outTradeNo, { state: 'failed' }, this.d.now());
      this.changed(orderId);
      throw new StationError('CENTRE_REJECTED', `二维码生成失败：${r.detail}；可改用付款码收款`);
    }
    return this.changed(orderId);
  }

  /** An order waiting for its cash share that has not been paid already (a payment whose booking is still to come). */
  private payable(orderId: string): OrderRecord {
    const order = this.order(orderId, ['awaiting-payment']);
    if (this.d.orders.paidPayments(orderId).length > 0) {
      this.inBackground(this.recoverInDoubt(), 'recovery');
      throw new StationError('CONFLICT', '该收费单已收到付款，正在登记结算，请勿重复收费');
    }
    return order;
  }

  /** The cashier closes the QR on the screen (the patient will pay otherwise, or not at all). */
  async cancelPayment(_operator: OperatorView, orderId: string): Promise<OrderView> {
    if (!this.d.orders.get(orderId)) throw new StationError('NOT_FOUND', '没有这张收费单');
    const qr = this.d.orders.pendingQr(orderId);
    if (!qr) throw new StationError('CONFLICT', '该收费单没有正在等待付款的二维码');
    // Close it; the vendors refuse a close in the first minutes of a QR's life (WeChat: 5 min), then the platform's
    // cancel (reverse) does it — closing an unpaid order, refunding one the patient paid at the same moment.
    const o = await this.d.pay.close(qr.outTradeNo);
    if (o.kind === 'unknown') throw new StationError('CENTRE_UNREACHABLE', '关闭二维码无应答，请稍后重试');
    if (o.kind === 'rejected' && o.code === 'CLOSE_TOO_EARLY') {
      const r = await this.d.pay.reverse(qr.outTradeNo);
      if (r.kind === 'unknown') throw new StationError('CENTRE_UNREACHABLE', '撤销二维码无应答，请稍后重试');
      if (r.kind === 'rejected') throw new StationError('CONFLICT', `二维码暂时不能关闭：${r.message}`);
    } else if (o.kind === 'rejected' && o.code !== 'ORDERPAID') {
      throw new StationError('CENTRE_REJECTED', `关闭二维码失败：${o.message}`);
    }
    // Closed, or paid just before: the next query tells the outbox which.
    this.d.outbox.resolveOrderNow(orderId);
    return this.changed(orderId);
  }

  /** HX-20: the order is paid in full by the patient and booked by HIS; nothing goes to the centre. */
  selfPay(_operator: OperatorView, orderId: string): OrderView {
    const order = this.order(orderId, ['open']);
    if (order.mdtrtId) throw new StationError('CONFLICT', '该收费单已向医保登记，不能改为自费结算');
    const split: SettlementSplitView = {
      totalFen: order.totalFen,
      fundFen: 0,
      poolFen: 0,
      accountFen: 0,
      cashFen: order.totalFen,
      deductibleFen: 0,
      balanceAfterFen: 0,
    };
    this.d.orders.update(
      orderId,
      {
        settleMode: 'self-pay',
        split,
        state: 'awaiting-payment',
        payBefore: new Date(this.d.now().getTime() + this.d.payWindowMs).toISOString(),
        detail: '',
      },
      this.d.now(),
    );
    return this.changed(orderId);
  }

  /** HX-28: the self-pay part failed or the patient left: cancel the insurance settlement (2208). */
  async cancelSettlement(operator: OperatorView, orderId: string): Promise<OrderView> {
    const order = this.order(orderId, ['awaiting-payment']);
    if (order.settleMode === 'self-pay') {
      this.d.orders.resetToOpen(orderId, '自费收费已取消', this.d.now());
      return this.changed(orderId);
    }
    const payload: SettlementCancelPayload = {
      operator,
      insuredRegion: order.insuredRegion,
      psnNo: order.psnNo,
      setlId: order.setlId!,
      mdtrtId: order.mdtrtId!,
    };
    const r = await this.d.outbox.run<SettlementCancelPayload, Settlement>(KINDS.settlementCancel, {
      orderId,
      externalId: this.d.newMsgid(),
      payload,
    });
    if (r.state === 'unknown') return this.inDoubt(orderId, '结算撤销结果未知 — 正在核实');
    if (r.state === 'failed') throw new StationError('CENTRE_REJECTED', `医保结算撤销失败：${r.detail}`);
    this.d.orders.update(orderId, { state: 'reversed', payBefore: null, detail: '医保结算已撤销' }, this.d.now());
    return this.changed(orderId);
  }

  /**
   * HX-28, automatic: the cash share was not paid (refused, reversed after an unknown outcome, QR closed). The
   * insurance settlement must not stay booked without it: 2208, 2205 and 2202 undo the round, and the order is
   * open again for another attempt. Past the top-up window it is the expiry instead (HX-33).
   */
  private async paymentFailed(orderId: string, reason: string): Promise<void> {
    const order = this.d.orders.get(orderId);
    if (!order || order.state === 'completed') return;
    if (order.settleMode === 'self-pay') {
      // Nothing was booked anywhere: the patient may pay again until the window closes.
      this.d.orders.update(orderId, { state: 'awaiting-payment', detail: `${reason}；可请患者重新付款` }, this.d.now());
      return;
    }
    const expired = order.payBefore !== null && new Date(order.payBefore).getTime() <= this.d.now().getTime();
    this.d.orders.update(
      orderId,
      expired
        ? { state: 'expiring', detail: '补缴超时，正在撤销医保结算和挂号' }
        : { state: 'reversing', detail: `${reason}；正在自动撤销医保结算` },
      this.d.now(),
    );
    this.changed(orderId);
    await this.unwindGuarded(orderId);
  }

  /**
   * HX-33..35: an order whose top-up window passed is expired and stops waiting; its insurance settlement is
   * cancelled (2208) and its registration reversed (2202), each through the outbox, resuming after a crash from
   * the last step done. Orders being undone after a failed payment ('reversing') resume here too. Runs on a
   * timer and at start.
   */
  async sweepExpired(): Promise<number> {
    const now = this.d.now().toISOString();
    const due = this.d.db
      .prepare(
        `SELECT id, state, settle_mode AS mode FROM outpatient_orders
         WHERE (state = 'awaiting-payment' AND pay_before IS NOT NULL AND pay_before <= ?) OR state IN ('expiring', 'reversing')`,
      )
      .all(now) as { id: string; state: OrderState; mode: string }[];
    let expired = 0;
    for (const { id, state, mode } of due) {
      if (this.d.outbox.isLocked(id)) continue; // a payment or a cancel of it is still being resolved
      if (mode === 'self-pay' && state === 'awaiting-payment') {
        // Nothing booked anywhere: the order is simply open again.
        this.d.orders.resetToOpen(id, '自费缴费超时，收费已取消；可重新收费', this.d.now());
        this.changed(id);
        continue;
      }
      if (state === 'awaiting-payment') {
        this.d.orders.update(id, { state: 'expiring', detail: '补缴超时，正在撤销医保结算和挂号' }, this.d.now());
        this.changed(id);
      }
      if (await this.unwindGuarded(id)) expired += state === 'reversing' ? 0 : 1;
    }
    return expired;
  }

  /** One undo at a time per order: the sweep and the saga's next step may both reach the same order. */
  private readonly unwinding = new Set<string>();

  private async unwindGuarded(orderId: string): Promise<boolean> {
    if (this.unwinding.has(orderId)) return false;
    this.unwinding.add(orderId);
    try {
      return await this.unwind(orderId);
    } catch (e) {
      // An answer lost on the way: the outbox resolves it, the next sweep resumes from there.
      if (!(e instanceof StationError)) throw e;
      this.d.orders.update(orderId, { detail: `撤销未完成：${e.message}（将自动重试）` }, this.d.now());
      this.changed(orderId);
      return false;
    } finally {
      this.unwinding.delete(orderId);
    }
  }

  /** 2208 → 2205 → 2202 for what this round did, skipping what is already undone; then the order's end state. */
  private async unwind(orderId: string): Promise<boolean> {
    const order = this.order(orderId, ['expiring', 'reversing']);
    const operator = this.operatorOf(order);
    const base = { operator, insuredRegion: order.insuredRegion, psnNo: order.psnNo };
    const done = this.d.succeededSince(orderId, KINDS.registration);
    if (order.setlId && !done.has(KINDS.settlementCancel)) {
      await this.run<SettlementCancelPayload, Settlement>(KINDS.settlementCancel, order, { ...base, setlId: order.setlId, mdtrtId: order.mdtrtId! });
    }
    if (order.chrgBchno && !done.has(KINDS.feesCancel)) {
      await this.run<FeesCancelPayload, undefined>(KINDS.feesCancel, order, { ...base, mdtrtId: order.mdtrtId!, chrgBchno: order.chrgBchno });
    }
    if (order.mdtrtId && !done.has(KINDS.registrationCancel)) {
      await this.run<RegistrationCancelPayload, undefined>(KINDS.registrationCancel, order, {
        ...base,
        mdtrtId: order.mdtrtId,
        iptOtpNo: order.hisOrderNo,
      });
    }
    if (order.state === 'reversing') {
      const reason = order.detail.replace(/；正在自动撤销医保结算$/, '');
      this.d.orders.resetToOpen(orderId, `${reason}；医保结算、费用明细与挂号已自动撤销，可重新结算`, this.d.now());
    } else {
      this.d.orders.update(orderId, { state: 'expired', payBefore: null, detail: order.detail.startsWith('HIS') ? order.detail : '补缴超时，医保结算与挂号已撤销' }, this.d.now());
    }
    this.changed(orderId);
    return true;
  }

  private operatorOf(order: OrderRecord): OperatorView {
    const row = this.d.db.prepare('SELECT id, name, role FROM operators WHERE id = ?').get(order.operatorId) as OperatorView | undefined;
    return row ?? { id: order.operatorId, name: order.operatorId, role: 'cashier' };
  }

  /**
   * At start and on every sweep: an order whose movements have all finished but whose saga did not take its next
   * step — the station stopped between the outbox committing a final state and that step. An order "in doubt",
   * or one still awaiting payment although its payment (a QR resolved in the background) has ended, goes on.
   */
  async recoverInDoubt(): Promise<void> {
    const rows = this.d.db
      .prepare(`SELECT id, state, settle_mode AS mode FROM outpatient_orders WHERE state IN ('in-doubt', 'awaiting-payment', 'insurance-settled')`)
      .all() as { id: string; state: OrderState; mode: string }[];
    for (const { id, state, mode } of rows) {
      if (this.d.outbox.isLocked(id) || this.stepping.has(id)) continue; // still being resolved, or its step is running
      const last = this.d.lastFinished(id);
      if (last && (state === 'in-doubt' || owesNextStep(state, mode, last))) {
        await this.continueAfter({ kind: last.kind, orderId: id, final: last.final });
      }
    }
  }

  /** Orders whose next step is being taken now (recovery leaves them alone). */
  private readonly stepping = new Set<string>();

  /** The resolver finished a movement of an order: take the saga's next step. */
  async continueAfter(e: { kind: string; orderId: string; final: FinalState }): Promise<void> {
    this.stepping.add(e.orderId);
    try {
      await this.nextStep(e);
    } finally {
      this.stepping.delete(e.orderId);
    }
  }

  private async nextStep(e: { kind: string; orderId: string; final: FinalState }): Promise<void> {
    const order = this.d.orders.get(e.orderId);
    if (!order) return;
    const ok = e.final === 'succeeded';
    switch (e.kind) {
      case KINDS.registration:
      case KINDS.fees:
        // The centre has (or, after the undo, has not) the step; the cashier runs 预结算 again either way.
        this.d.orders.update(order.id, { state: 'open', detail: ok ? '' : '上一步已冲正，请重新预结算' }, this.d.now());
        break;
      case SETTLEMENT_KIND:
        // Succeeded here only on recovery (the resolver reverses a lost 2207): nothing to pay, HIS still to book.
        if (ok) {
          if (order.state === 'insurance-settled') await this.book(order.id);
        } else {
          this.d.orders.update(order.id, { state: 'previewed', detail: '结算结果未知，已自动冲正；可重新结算' }, this.d.now());
        }
        break;
      case KINDS.micropay:
      case PAYMENT_KINDS.qr:
        if (ok) await this.book(order.id);
        else await this.paymentFailed(order.id, e.kind === PAYMENT_KINDS.qr ? '二维码未付款已关闭' : '付款未成功，该笔付款已撤销');
        break;
      case KINDS.hisConfirm:
      case PAYMENT_KINDS.hisSelfPay:
        if (ok) this.completed(order.id, undefined);
        else this.d.orders.update(order.id, { state: 'insurance-settled', detail: 'HIS 未确认结算（款项已收），请人工核实' }, this.d.now());
        break;
      case KINDS.settlementCancel:
      case KINDS.feesCancel:
      case KINDS.registrationCancel:
        // An undo in progress goes on with its next step; a cashier's own cancel ends here.
        if (order.state === 'expiring' || order.state === 'reversing') {
          this.inBackground(this.unwindGuarded(order.id), 'undo');
        } else {
          this.d.orders.update(order.id, { state: ok ? 'reversed' : 'awaiting-payment', payBefore: null }, this.d.now());
        }
        break;
    }
    this.changed(order.id);
  }

  /** HX-18/20: HIS books the settlement (insured, with its cash payments; or self-pay); then it is completed. */
  private async book(orderId: string): Promise<void> {
    const order = this.order(orderId);
    const split = order.split!;
    const payments: HisPaymentLine[] = this.d.orders.paidPayments(orderId).map((p) => ({
      channel: p.channel === 'alipay' ? 'alipay' : 'wechat',
      outTradeNo: p.outTradeNo,
      ...(p.transactionId ? { transactionId: p.transactionId } : {}),
      amountFen: p.amountFen as never,
    }));
    const selfPay = order.settleMode === 'self-pay';
    const settleId = `${selfPay ? 'Z' : 'S'}${order.id.replaceAll('-', '').slice(0, 24)}`;
    this.d.orders.update(orderId, { hisSettleId: settleId }, this.d.now());
    const r = selfPay
      ? await this.d.outbox.run<HisSelfPayPayload, HisSettlement>(PAYMENT_KINDS.hisSelfPay, {
          orderId,
          externalId: settleId,
          payload: { settleId, orderNo: order.hisOrderNo, payments },
        })
      : await this.d.outbox.run<HisConfirmPayload, HisSettlement>(KINDS.hisConfirm, {
          orderId,
          externalId: settleId,
          payload: {
            settleId,
            orderNo: order.hisOrderNo,
            mdtrtId: order.mdtrtId!,
            setlId: order.setlId!,
            medfeeFen: split.totalFen as never,
            fundFen: split.fundFen as never,
            acctFen: split.accountFen as never,
            cashFen: split.cashFen as never,
            payments,
          },
        });
    if (r.state === 'succeeded') this.completed(orderId, r.output);
    else if (r.state === 'unknown') this.d.orders.update(orderId, { state: 'in-doubt', detail: 'HIS 结算确认结果未知 — 正在核实' }, this.d.now());
    else this.d.orders.update(orderId, { state: 'insurance-settled', detail: `HIS 拒绝结算确认：${r.detail}` }, this.d.now());
  }

  /** Settled everywhere. HIS's details (HX-25) and the patient's message (HX-27) follow without holding the screen. */
  private completed(orderId: string, booking: HisSettlement | undefined): void {
    const order = this.d.orders.get(orderId)!;
    const hasPayer = this.d.orders.paidPayments(orderId).length > 0;
    this.d.orders.update(
      orderId,
      {
        state: 'completed',
        payBefore: null,
        detail: '',
        completedAt: this.d.now().toISOString(),
        ...(booking ? { hisSettlement: booking } : {}),
        push: hasPayer && this.d.messages && order.push === 'none' ? 'pending' : order.push,
      },
      this.d.now(),
    );
    this.inBackground(this.afterCompletion(orderId), 'after completion');
  }

  /**
   * HX-25: ask HIS for the booked settlement with its details (settle no, invoice, pickup window); HX-27: then tell
   * the patient on the phone they paid with. Neither moves money; both are retried by the sweep until done.
   */
  async afterCompletion(orderId: string): Promise<void> {
    // One at a time per order: the completion itself and the sweep may both get here.
    if (this.stopped || this.completing.has(orderId)) return;
    this.completing.add(orderId);
    try {
      await this.detailsAndMessage(orderId);
    } finally {
      this.completing.delete(orderId);
    }
  }

  private readonly completing = new Set<string>();

  private async detailsAndMessage(orderId: string): Promise<void> {
    let order = this.d.orders.get(orderId);
    if (!order || order.state !== 'completed' || !order.hisSettleId) return;
    const details = await this.d.his.settlement({ settleId: order.hisSettleId });
    if (details.kind === 'ok') {
      this.d.orders.update(orderId, { hisSettlement: details.value.settlement }, this.d.now());
      this.changed(orderId);
      order = this.d.orders.get(orderId)!;
    }
    if (order.push !== 'pending' || !this.d.messages || this.d.outbox.isLocked(orderId) || !order.hisSettlement) return;
    const paid = this.d.orders.paidPayments(orderId)[0];
    if (!paid) return;
    const status = await this.d.pay.query(paid.outTradeNo);
    if (status.kind !== 'ok' || !status.value.payment) return; // asked again on the next sweep
    const person = this.d.persons.find(order.psnNo);
    const message: PatientMessage = paymentResultMessage({
      msgId: `M${order.id.replaceAll('-', '').slice(0, 30)}`,
      payment: status.value.payment,
      patientName: person?.name ?? '',
      orderNo: order.hisOrderNo,
      hospital: this.d.hospitalName,
      ...(this.d.detailsUrl ? { url: this.d.detailsUrl.replace('{orderNo}', encodeURIComponent(order.hisOrderNo)) } : {}),
    });
    const r = await this.d.outbox.run<PatientMessage, unknown>(PAYMENT_KINDS.push, { orderId, externalId: message.msgId, payload: message });
    if (r.state !== 'unknown') this.changed(orderId); // the movement's own final state set push_state
  }

  /** Completed orders whose HIS details or message are still owed (after a lost answer or a restart). */
  async sweepCompleted(): Promise<void> {
    const since = new Date(this.d.now().getTime() - 24 * 3600_000).toISOString();
    const rows = this.d.db
      .prepare(
        `SELECT id FROM outpatient_orders WHERE state = 'completed' AND completed_at >= ?
           AND (push_state = 'pending' OR (his_settle_id IS NOT NULL AND his_settlement_sealed IS NULL))`,
      )
      .all(since) as { id: string }[];
    for (const { id } of rows) await this.afterCompletion(id);
  }

  /**
   * HX-32: HIS's orders change on their own (paid at another window, withdrawn by the doctor, expired). The
   * station follows: a copy not yet settled stops being offered, and what it registered at the centre is undone.
   */
  async pollHisChanges(): Promise<number> {
    const since = this.hisCursor ?? new Date(this.d.now().getTime() - 24 * 3600_000);
    const changes = await this.d.his.orderChanges(since);
    if (changes.kind !== 'ok') return 0;
    this.hisCursor = new Date(changes.value.until);
    let followed = 0;
    for (const his of changes.value.orders) {
      if (his.state === 'unpaid') continue;
      const row = this.d.db.prepare('SELECT id FROM outpatient_orders WHERE his_order_no = ?').get(his.orderNo) as { id: string } | undefined;
      if (!row) continue;
      const order = this.d.orders.get(row.id)!;
      if (order.state !== 'open' && order.state !== 'previewed') continue; // settled or settling here: the station's own flow decides
      if (this.d.outbox.isLocked(order.id)) continue;
      const why = `HIS：处方${HIS_STATE_WORDS[his.state]}，本站不再收费`;
      if (order.mdtrtId) {
        this.d.orders.update(order.id, { state: 'expiring', detail: why }, this.d.now());
        this.changed(order.id);
        await this.unwindGuarded(order.id);
      } else {
        this.d.orders.update(order.id, { state: 'expired', detail: why }, this.d.now());
        this.changed(order.id);
      }
      followed += 1;
    }
    return followed;
  }

  private hisCursor: Date | null = null;
  private readonly background = new Set<Promise<unknown>>();
  private stopped = false;

  /** Steps that follow without holding the caller; `stop` waits for them so none runs against a closed database. */
  private inBackground(work: Promise<unknown>, what: string): void {
    if (this.stopped) return;
    const p = work.catch((e: unknown) => console.error(`[outpatient] ${what} failed:`, e)).finally(() => this.background.delete(p));
    this.background.add(p);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    while (this.background.size > 0) await Promise.all([...this.background]);
  }

  /** Today's orders of this operator (a doctor: of their patients too), newest first (HX-19 doctor station). */
  listToday(operator: OperatorView): OrderView[] {
    const now = this.d.now();
    const today = localDay(now, this.d.timeZone);
    // A day is at most 26 h anywhere; the zone's own calendar day decides.
    return this.d.orders
      .today(new Date(now.getTime() - 26 * 3600_000), { operatorId: operator.id, ...(operator.role === 'doctor' ? { doctorName: operator.name } : {}) })
      .filter((o) => localDay(new Date(o.updatedAt), this.d.timeZone) === today)
      .map((o) => this.view(o.id));
  }

  /** The order as stored, for the slip (receipts) — only once it is settled. */
  settledOrder(orderId: string): OrderRecord {
    const o = this.d.orders.get(orderId);
    if (!o) throw new StationError('NOT_FOUND', '没有这张收费单');
    if (o.state !== 'completed' && o.state !== 'insurance-settled') throw new StationError('CONFLICT', '该收费单尚未结算完成，不能打印结算单');
    return o;
  }

  operatorName(order: OrderRecord): string {
    return this.operatorOf(order).name;
  }

  /** Runs a movement the saga must complete before going on; a lost answer locks the order and stops here. */
  private async run<P, O>(kind: string, order: OrderRecord, payload: P): Promise<O> {
    let r: RunResult<O>;
    try {
      r = await this.d.outbox.run<P, O>(kind, { orderId: order.id, externalId: this.d.newMsgid(), payload });
    } catch (e) {
      if (e instanceof Error && e.name === 'OrderLockedError') throw new StationError('CONFLICT', '该订单有结果未知的交易，正在核实，请稍候');
      throw e;
    }
    if (r.state === 'succeeded') return r.output;
    if (r.state === 'failed') throw new StationError('CENTRE_REJECTED', r.detail);
    if (order.state === 'expiring' || order.state === 'reversing') {
      // An undo keeps its state (it resumes from it); the lock shows on the order by its detail.
      this.d.orders.update(order.id, { detail: `${order.detail.split('（')[0]}（撤销结果未知，正在核实）` }, this.d.now());
      this.changed(order.id);
    } else {
      this.inDoubt(order.id, '医保交易结果未知 — 正在核实，核实完成前该订单锁定');
    }
    throw new StationError('OUTCOME_UNKNOWN', '医保交易结果未知 — 正在自动核实，请稍候');
  }

  /** ISO → "yyyy-MM-dd HH:mm:ss" in the centre's zone, as it wants begntime / fee_ocur_time. */
  private nhsaTime(iso: string): string {
    return localDateTime(new Date(iso), this.d.timeZone);
  }

  private outTradeNo(order: OrderRecord, kind: 'P' | 'Q'): string {
    return `${order.hisOrderNo}${kind}${Date.now().toString().slice(-8)}${randomUUID().slice(0, 4)}`.slice(-32);
  }

  private subject(order: OrderRecord): string {
    return `${order.settleMode === 'self-pay' ? '门诊自费' : '门诊缴费'} ${order.hisOrderNo}`;
  }

  private inDoubt(orderId: string, detail: string): OrderView {
    this.d.orders.update(orderId, { state: 'in-doubt', detail }, this.d.now());
    return this.changed(orderId);
  }

  private settlementInput(order: OrderRecord): SettlementInput {
    return {
      psn_no: order.psnNo,
      mdtrt_cert_type: order.cert.type,
      mdtrt_cert_no: order.cert.no,
      med_type: MED_TYPE_GENERAL_OUTPATIENT,
      medfee_sumamt: order.totalFen as never,
      psn_setlway: '01',
      mdtrt_id: order.mdtrtId!,
      chrg_bchno: order.chrgBchno!,
      insutype: order.insutype,
      acct_used_flag: '1',
    };
  }

  private order(id: string, allowed?: readonly OrderState[]): OrderRecord {
    const o = this.d.orders.get(id);
    if (!o) throw new StationError('NOT_FOUND', '没有这张收费单');
    if (this.d.outbox.isLocked(id)) {
      if (this.d.orders.pendingQr(id)) throw new StationError('CONFLICT', '二维码收款进行中，请等待患者付款或先取消二维码');
      throw new StationError('CONFLICT', '该订单有结果未知的交易，正在核实，请稍候');
    }
    if (allowed && !allowed.includes(o.state)) throw new StationError('CONFLICT', `收费单当前状态不允许此操作（${o.state}）`);
    return o;
  }

  private view(id: string): OrderView {
    const o = this.d.orders.get(id)!;
    const person = this.d.persons.find(o.psnNo);
    return this.d.orders.view(id, person?.name ?? '')!;
  }

  private changed(id: string): OrderView {
    const v = this.view(id);
    this.d.bus.emit('orderUpdated', v);
    return v;
  }
}

/**
 * Whether an order that is not "in doubt" still owes the step after its last finished movement: a payment that
 * ended (paid → book; failed → undo the insurance part; a self-pay order simply stays payable), a 2207 with
 * nothing to pay (→ book), or HIS's booking (→ completed).
 */
function owesNextStep(state: OrderState, mode: string, last: { kind: string; final: FinalState }): boolean {
  const ok = last.final === 'succeeded';
  const booking = last.kind === KINDS.hisConfirm || last.kind === PAYMENT_KINDS.hisSelfPay;
  if (state === 'awaiting-payment') {
    if (last.kind === KINDS.micropay || last.kind === PAYMENT_KINDS.qr) return ok || mode !== 'self-pay';
    return booking && ok;
  }
  if (state === 'insurance-settled') return ok && (last.kind === SETTLEMENT_KIND || booking);
  return false;
}

function splitOf(s: Settlement): SettlementSplitView {
  const i = s.setlinfo;
  return {
    totalFen: i.medfee_sumamt,
    fundFen: i.fund_pay_sumamt,
    poolFen: i.hifp_pay ?? 0,
    accountFen: i.acct_pay,
    cashFen: i.psn_cash_pay,
    deductibleFen: i.act_pay_dedc ?? 0,
    balanceAfterFen: i.balc ?? 0,
  };
}

