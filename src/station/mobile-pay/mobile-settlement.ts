/**
 * The station's mobile insurance payment (医保移动支付) as one API, for the cashier's screens now and the
 * settlement service (src/service) later: prepare (6201: the centre's pre-settled shares), pay (6202: insurance
 * and self-pay in one step), query, refund (6203), cancel (6401), and the centre's settlement callback. Every call
 * that moves money goes through the outbox; inputs and outputs are the zod schemas of src/shared/mobile-pay.ts.
 *
 * The callback is unsigned plain JSON, so it is a hint, never a booking by itself: it makes the resolver look at
 * an order in doubt now, and an order the station holds as unpaid is booked only after 6301 confirms it.
 */
import { randomUUID } from 'node:crypto';
import type { HisClient } from '../../insurance/his';
import { MobilePayCallback } from '../../insurance/mobile-pay';
import {
  MobileOrderRefSchema,
  MobilePrepareInputSchema,
  type MobileNotifyAnswer,
  type MobileOrderView,
  type MobilePrepareInput,
} from '../../shared/mobile-pay';
import { MOVEMENT_KINDS } from '../movements';
import { OrderLockedError, type FinalState, type Outbox, type RunResult } from '../outbox';
import { nextStep, type NextStepTable } from '../saga';
import type { StaysRepo } from '../inpatient';
import type { Db } from '../store';
import { type CancelPayload, type MobilePayPort, type PayPayload, type RefundPayload, type UploadPayload } from './movements';
import type { MobileOrderRow, MobileOrdersRepo } from './orders-repo';
import { askCentre } from './centre-paid';
import { clinicBookingOf, type ClinicBookingDeps } from './clinic-booking';
import { wardBookingOf, type WardBookingDeps } from './ward-booking';
import type { MobileWardCancelPayload } from './ward-unbooking';

/**
 * What follows a movement the resolver finished: a discharge or an outpatient bill paid on the phone is booked at
 * HIS; a registration refunded (退号) has HIS's booking cancelled; a discharge refund whose HIS cancel finished goes
 * on to its 6203.
 */
export const MOBILE_NEXT_STEPS: NextStepTable<MobileOrderRow['state'], 'book-his' | 'cancel-his' | 'refund'> = [
  { after: [MOVEMENT_KINDS.mobilePay, MOVEMENT_KINDS.mobileCentrePaid], final: ['succeeded'], states: ['paid'], step: 'book-his' },
  { after: [MOVEMENT_KINDS.mobileRefund], final: ['succeeded'], states: ['refunded'], step: 'cancel-his' },
  { after: [MOVEMENT_KINDS.mobileWardCancel], final: ['succeeded'], states: ['refunding'], step: 'refund' },
];

/** A discharge's movements after which its e-bill has work: HIS's booking (issue), the 6203 that reopened it (red-flush). */
const STAY_BILL_KINDS: ReadonlySet<string> = new Set([MOVEMENT_KINDS.mobileWardSettle, MOVEMENT_KINDS.mobileRefund]);

export interface MobileSettlementDeps {
  db: Db;
  orders: MobileOrdersRepo;
  outbox: Outbox;
  client: MobilePayPort;
  now: () => Date;
  log?: (message: string) => void;
  /** HIS's ward for discharges, the station's stays; `billFollows`: the stay's e-bill after HIS's booking or the 6203. */
  ward?: Pick<WardBookingDeps, 'his'> & { stays?: Pick<StaysRepo, 'byIptNo'>; billFollows?: (iptNo: string) => void };
  /** HIS's outpatient side, for outpatient bills (inputs that name a HIS order). */
  clinic?: { his: ClinicBookingDeps['his'] & Pick<HisClient, 'applyRefund'> };
}

export class MobileSettlementError extends Error {
  constructor(
    readonly code: 'not-found' | 'wrong-state',
    message: string,
  ) {
    super(message);
    this.name = 'MobileSettlementError';
  }
}

export class MobileSettlement {
  constructor(private readonly d: MobileSettlementDeps) {}

  /** 6201: uploads the bill; the same orderId again answers the order as it stands. */
  async prepare(raw: MobilePrepareInput): Promise<MobileOrderView> {
    const input = MobilePrepareInputSchema.parse(raw);
    if (this.d.orders.get(input.orderId)) return this.view(input.orderId);
    const payload: UploadPayload = {
      medOrgOrd: input.orderId,
      payAuthNo: input.payAuthNo,
      idNo: input.patient.idNo,
      idType: input.patient.idType,
      userName: input.patient.name,
      psnNo: input.patient.psnNo,
      insutype: input.patient.insutype,
      medType: input.medType,
      iptOtpNo: input.visitNo,
      deptCode: input.deptCode,
      deptName: input.deptName,
      chrgBchno: input.orderId,
      begntime: input.begntime,
      acctUsedFlag: input.useAccount ? '1' : '0',
      lines: input.lines,
    };
    const medfeeFen = input.lines.reduce((sum, l) => sum + l.amountFen, 0);
    const result = await this.d.outbox.run(MOVEMENT_KINDS.mobileUpload, {
      orderId: input.orderId,
      externalId: input.orderId,
      payload,
      prepare: () =>
        this.d.orders.insert(
          {
            id: input.orderId,
            kind: input.kind,
            visitNo: input.visitNo,
            payAuthNo: input.payAuthNo,
            patient: input.patient,
            medfeeFen,
            ward: input.ward,
            clinic: input.clinic,
          },
          this.d.now(),
        ),
    });
    return this.view(input.orderId, result);
  }

  /** 6202: the patient confirmed on the phone. A paid order answers as it stands; nothing is paid twice. */
  async pay(ref: unknown): Promise<MobileOrderView> {
    const row = this.row(ref);
    if (row.state === 'paid') return this.view(row.id);
    const { payOrdId, payToken, mdtrtId } = this.uploaded(row);
    const payload: PayPayload = {
      payOrdId,
      payToken,
      mdtrtId,
      payAuthNo: row.pay_auth_no,
      chrgBchno: row.id,
      acctUsedFlag: (row.acct_fen ?? 0) > 0 ? '1' : '0',
      who: this.who(row),
    };
    const paid = await this.runOn(row.id, MOVEMENT_KINDS.mobilePay, payOrdId, payload, 'paying');
    return paid.state === 'paid' && bookedAtHis(row) ? this.bookHis(row.id) : paid;
  }

  /** HIS's booking of a paid bill: the ward's for a discharge, the clinic's for an outpatient bill. */
  bookHis(orderId: string): Promise<MobileOrderView> {
    return this.row({ orderId }).ward_ipt_no ? this.bookWard({ orderId }) : this.bookClinic({ orderId });
  }

  /** HIS books a paid outpatient bill (HX-18); again by hand when HIS refused, under the settle id of the first attempt. */
  async bookClinic(ref: unknown): Promise<MobileOrderView> {
    const row = this.row(ref);
    if (row.state === 'completed') return this.view(row.id);
    if (row.state !== 'paid' || !this.d.clinic) throw new MobileSettlementError('wrong-state', '只有已支付的门诊订单可以在 HIS 记账');
    const settleId = row.his_settle_id ?? randomUUID().replaceAll('-', '');
    const payload = clinicBookingOf(row, settleId);
    if (typeof payload === 'string') return { ...this.view(row.id), detail: payload };
    return this.runOn(row.id, MOVEMENT_KINDS.mobileClinicSettle, settleId, payload, 'paid', { his_settle_id: settleId });
  }

  /**
   * HIS books a paid discharge (inpatient.settle). Runs after the pay's own answer, after the resolver settled a
   * lost pay (afterFinished), and again by hand when HIS refused; the settle id is fixed at the first attempt.
   */
  async bookWard(ref: unknown): Promise<MobileOrderView> {
    const row = this.row(ref);
    if (row.state === 'completed') return this.view(row.id);
    if (row.state !== 'paid' || !this.d.ward) throw new MobileSettlementError('wrong-state', '只有已支付的住院订单可以在 HIS 记账');
    const settleId = row.his_settle_id ?? randomUUID().replaceAll('-', '');
    const payload = await wardBookingOf(this.d.ward, row, settleId);
    if (typeof payload === 'string') return { ...this.view(row.id), detail: payload };
    return this.runOn(row.id, MOVEMENT_KINDS.mobileWardSettle, settleId, payload, 'paid', { his_settle_id: settleId });
  }

  /**
   * At start: discharges paid whose HIS booking was never started — the process stopped between the pay and the
   * booking's intent (HIS's stay is read first) — are booked now. One refused by HIS has its settle id and waits
   * for a person (bookWard by hand), as before.
   */
  async resumeHisBookings(): Promise<number> {
    const rows = this.d.orders.paidNotBooking();
    for (const row of rows) await this.bookHis(row.id).catch((e: unknown) => this.d.log?.(`HIS booking at start: ${String(e)}`));
    const refunded = this.d.orders.refundedNotCancelled().filter((row) => !this.d.outbox.isLocked(row.id));
    for (const row of refunded) await this.cancelAtHis(row.id).catch((e: unknown) => this.d.log?.(`HIS 退号 at start: ${String(e)}`));
    return rows.length + refunded.length;
  }

  /** For the outbox's `finished` event: the step a movement the resolver finished leaves owed, taken now. */
  async afterFinished(intent: { kind: string; orderId: string; final: FinalState }): Promise<void> {
    const row = this.d.orders.get(intent.orderId);
    if (!row || !bookedAtHis(row)) return;
    if (intent.final === 'succeeded') this.billFollows(intent.kind, row);
    const step = nextStep(MOBILE_NEXT_STEPS, intent, row.state);
    if (step === 'book-his') await this.bookHis(row.id);
    else if (step === 'cancel-his' && row.his_order_no) await this.cancelAtHis(row.id);
    else if (step === 'refund' && row.ward_ipt_no) await this.refund({ orderId: row.id });
  }

  /**
   * 6203: the whole bill back (insurance to the fund and account, self-pay to the wallet). A discharge HIS booked has
   * that booking cancelled first (the stay open for settlement again at HIS), then 6203; each step is a movement and
   * the order stays 'refunding' between them, so a stop there is resumed (resumeRefunds) and a lost answer asked.
   * `reason`: HIS's cancel's, the patient's application by default, the cashier's when the window undoes the discharge.
   */
  async refund(ref: unknown, reason = '患者手机申请退费'): Promise<MobileOrderView> {
    let row = this.row(ref);
    // Refunded, or a step in flight or in doubt (the outbox settles it): asked again, the same refund's view.
    if (row.state === 'refunded' || (row.state === 'refunding' && this.d.outbox.isLocked(row.id))) return this.view(row.id);
    // A discharge HIS booked: its booking cancelled first. An outpatient bill HIS booked: HIS approved its refund
    // already (refundClinic).
    if (row.state === 'completed' && row.ward_ipt_no) {
      const unbooked = await this.unbookWard(row, reason);
      if (unbooked.state !== 'refunding' || unbooked.inDoubt) return unbooked;
      row = this.d.orders.get(row.id)!;
    }
    const refundable = row.state === 'paid' || row.state === 'refunding' || (row.state === 'completed' && row.his_order_no !== null);
    if (!refundable || !row.pay_ord_id || !row.pay_token) throw new MobileSettlementError('wrong-state', '只有已支付的订单可以退款');
    const appRefdSn = row.refund_sn ?? `${row.id}R`;
    const payload: RefundPayload = {
      payOrdId: row.pay_ord_id,
      payToken: row.pay_token,
      payAuthNo: row.pay_auth_no,
      appRefdSn,
      totlFen: row.medfee_fen,
      fundFen: row.fund_fen ?? 0,
      acctFen: row.acct_fen ?? 0,
      cashFen: row.own_fen ?? 0,
      who: this.who(row),
    };
    return this.runOn(row.id, MOVEMENT_KINDS.mobileRefund, appRefdSn, payload, 'refunding', { refund_sn: appRefdSn });
  }

  /**
   * 退号 of a registration paid on the phone: HIS approves the refund (refused once the doctor has seen the
   * patient: the view keeps its state, HIS's words in detail), 6203 returns the money, then HIS cancels the booking.
   * One HIS never booked (it refused the booking) is only refunded: HIS has nothing to approve or cancel.
   */
  async refundClinic(ref: unknown, reason: string): Promise<MobileOrderView> {
    const row = this.row(ref);
    if (!row.his_order_no || !this.d.clinic) throw new MobileSettlementError('wrong-state', '不是门诊缴费订单');
    if (row.state === 'refunded') return this.cancelAtHis(row.id);
    if (row.state === 'refunding') return this.view(row.id);
    if (row.state === 'paid' && !this.bookedByHis(row.id)) return this.refund({ orderId: row.id });
    if (row.state !== 'completed' || !row.his_settle_id)
      throw new MobileSettlementError('wrong-state', '只有已在 HIS 记账的门诊订单可以线上退费');
    const approved = await this.d.clinic.his.applyRefund({ refundId: `${row.id}H`, settleId: row.his_settle_id, reason });
    if (approved.kind !== 'ok')
      return { ...this.view(row.id), detail: approved.kind === 'rejected' ? `HIS：${approved.message}` : 'HIS 无应答，请稍后重试' };
    const refunded = await this.refund({ orderId: row.id });
    return refunded.state === 'refunded' ? this.cancelAtHis(row.id) : refunded;
  }

  /** HIS cancels a refunded outpatient bill's booking, under the cancel id of the first attempt. */
  private async cancelAtHis(orderId: string): Promise<MobileOrderView> {
    const row = this.row({ orderId });
    if (row.his_cancelled_at || !row.his_settle_id || !this.bookedByHis(row.id)) return this.view(row.id);
    const cancelId = row.his_cancel_id ?? `${row.id}C`;
    const payload = { cancelId, settleId: row.his_settle_id, reason: '线上退号退费' };
    return this.runOn(row.id, MOVEMENT_KINDS.mobileClinicCancel, cancelId, payload, 'refunded', { his_cancel_id: cancelId });
  }

  private bookedByHis(orderId: string): boolean {
    return this.d.orders.bookings(orderId).some((b) => b.effect === 'his-booked');
  }

  /**
   * At start: refunds stopped between HIS's cancel and their 6203 ('refunding', nothing in flight) go on now; the
   * outbox's resolver finishes those whose step was in flight (and `afterFinished` takes the next).
   */
  async resumeRefunds(): Promise<number> {
    const rows = this.d.orders.inState('refunding').filter((r) => !this.d.outbox.isLocked(r.id));
    for (const row of rows) await this.refund({ orderId: row.id }).catch((e: unknown) => this.d.log?.(`refund at start: ${String(e)}`));
    return rows.length;
  }

  /** HIS's booking of a paid discharge cancelled, unless money has already left the stay's deposits. */
  private async unbookWard(row: MobileOrderRow, reason: string): Promise<MobileOrderView> {
    if (!row.ward_ipt_no || !row.his_settle_id || !row.pay_ord_id || !this.d.ward)
      throw new MobileSettlementError('wrong-state', '订单没有可撤销的 HIS 出院结算');
    const stay = this.d.ward.stays?.byIptNo(row.ward_ipt_no);
    // As at the window: a surplus already refunded to the patient is for the finance office, not undone here.
    if (stay?.surplus?.refunds.some((r) => r.state !== 'pending'))
      throw new MobileSettlementError('wrong-state', '预交金余额已退还患者，请到住院收费处办理退费');
    const payload: MobileWardCancelPayload = {
      settleId: row.his_settle_id,
      iptNo: row.ward_ipt_no,
      setlId: row.pay_ord_id,
      reason: reason.slice(0, 60),
    };
    const appRefdSn = row.refund_sn ?? `${row.id}R`;
    return this.runOn(row.id, MOVEMENT_KINDS.mobileWardCancel, `${row.his_settle_id}X`, payload, 'refunding', { refund_sn: appRefdSn });
  }

  /** 6401: the upload withdrawn before it is paid. */
  async cancel(ref: unknown): Promise<MobileOrderView> {
    const row = this.row(ref);
    if (row.state === 'cancelled') return this.view(row.id);
    const { payOrdId, payToken } = this.uploaded(row);
    const payload: CancelPayload = { payOrdId, payToken, who: this.who(row) };
    return this.runOn(row.id, MOVEMENT_KINDS.mobileCancel, `${payOrdId}C`, payload, 'cancelling');
  }

  query(ref: unknown): MobileOrderView {
    return this.view(this.row(ref).id);
  }

  /** The HIS outpatient order's live order (paying, paid, booked, refunding), if any: a bill is paid once. */
  liveForHisOrder(orderNo: string): MobileOrderView | null {
    const row = this.d.orders.liveForHisOrder(orderNo);
    return row ? this.view(row.id) : null;
  }

  /** A HIS patient's outpatient bills paid by mobile payment, newest first. */
  paidOfPatient(patientId: string, limit = 100): MobileOrderView[] {
    return this.d.orders.paidOfPatient(patientId, limit).map((row) => this.view(row.id));
  }

  /** The centre's settlement callback. Acknowledged once the station's record agrees or is being put right. */
  async onNotify(body: unknown): Promise<MobileNotifyAnswer> {
    const parsed = MobilePayCallback.safeParse(body);
    if (!parsed.success) return { code: 1, message: '报文格式错误' };
    const note = parsed.data;
    const row = this.d.orders.get(note.medOrgOrd);
    if (!row || (row.pay_ord_id !== null && row.pay_ord_id !== note.payOrdId)) {
      this.d.log?.(`mobile-pay callback for an order the station does not hold: ${note.payOrdId}`);
      return { code: 1, message: '未知订单' };
    }
    if (['paid', 'completed', 'refunding', 'refunded'].includes(row.state)) return { code: 0, message: '成功' };
    if (this.d.outbox.isLocked(row.id)) {
      // The station lost the answer and is finding out: the callback says "look now".
      this.d.outbox.resolveOrderNow(row.id);
      return { code: 0, message: '成功' };
    }
    if (!row.pay_token) return { code: 1, message: '订单尚未上传完成' };
    const asked = await askCentre(this.d, row, { payOrdId: note.payOrdId, payToken: row.pay_token, who: this.who(row) });
    if (asked === 'refused') return { code: 1, message: '结算结果查询失败，请稍后重试' };
    if (asked !== 'paid') return { code: 0, message: '成功' };
    // A discharge: HIS books it next. Its own failure leaves the order paid (bookWard again), not the callback unanswered.
    if ((row.ward_ipt_no && this.d.ward) || (row.his_order_no && this.d.clinic))
      await this.bookHis(row.id).catch((e: unknown) => this.d.log?.(`HIS booking after callback: ${String(e)}`));
    return { code: 0, message: '成功' };
  }

  private async runOn<P>(orderId: string, kind: string, externalId: string, payload: P, state: MobileOrderRow['state'], extra = {}) {
    try {
      const result = await this.d.outbox.run(kind, {
        orderId,
        // One intent per attempt (a refused 6202 may be tried again); the centre's own idempotency is by payOrdId
        // and appRefdSn, which the payload carries.
        externalId: `${externalId}#${randomUUID().slice(0, 8)}`,
        payload,
        prepare: () => this.d.orders.update(orderId, { state, ...extra }, this.d.now()),
      });
      if (result.state === 'succeeded') this.billFollows(kind, this.d.orders.get(orderId));
      return this.view(orderId, result);
    } catch (e) {
      if (e instanceof OrderLockedError) return this.view(orderId);
      throw e;
    }
  }

  private billFollows(kind: string, row: MobileOrderRow | undefined): void {
    if (row?.ward_ipt_no && STAY_BILL_KINDS.has(kind)) this.d.ward?.billFollows?.(row.ward_ipt_no);
  }

  private row(ref: unknown): MobileOrderRow {
    const { orderId } = MobileOrderRefSchema.parse(ref);
    const row = this.d.orders.get(orderId);
    if (!row) throw new MobileSettlementError('not-found', `没有订单 ${orderId}`);
    return row;
  }

  private uploaded(row: MobileOrderRow): { payOrdId: string; payToken: string; mdtrtId: string } {
    if (row.state !== 'uploaded' || !row.pay_ord_id || !row.pay_token || !row.mdtrt_id) {
      throw new MobileSettlementError('wrong-state', '订单尚未完成费用上传或已处理');
    }
    return { payOrdId: row.pay_ord_id, payToken: row.pay_token, mdtrtId: row.mdtrt_id };
  }

  private who(row: MobileOrderRow) {
    const p = this.d.orders.patient(row);
    return { idNo: p.idNo, userName: p.name, idType: p.idType };
  }

  private view(orderId: string, result?: RunResult<unknown>): MobileOrderView {
    const row = this.d.orders.get(orderId);
    if (!row) throw new MobileSettlementError('not-found', `没有订单 ${orderId}`);
    return {
      orderId: row.id,
      kind: row.kind,
      visitNo: row.visit_no,
      state: row.state,
      inDoubt: this.d.outbox.isLocked(row.id),
      medfeeFen: row.medfee_fen,
      payOrdId: row.pay_ord_id,
      fundFen: row.fund_fen,
      acctFen: row.acct_fen,
      ownFen: row.own_fen,
      hisOrderNo: row.his_order_no,
      hisCancelled: row.his_cancelled_at !== null,
      createdAt: row.created_at,
      ...(result?.state === 'failed' ? { detail: result.detail } : {}),
    };
  }
}

export const newMobileId = (): string => randomUUID();

/** A bill HIS books once paid: a discharge (the ward) or an outpatient bill (the clinic). */
const bookedAtHis = (row: MobileOrderRow): boolean => row.ward_ipt_no !== null || row.his_order_no !== null;
