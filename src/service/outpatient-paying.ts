/**
 * The internet hospital's outpatient paying (ZS-09): a patient's bills awaiting payment as HIS has them and their
 * fee lines, paying one by NHSA mobile payment (6201 with med type 11 → 6202 → HIS books it, all through the
 * station's MobileSettlement and its outbox), the answer within resultWaitMs (≤ 5 s) or "processing" with where to ask,
 * and the patient's paid records with HIS's booking. A bill has at most one live mobile order: never paid twice.
 */
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { HisClient, HisOrder, HisOutcome } from '../insurance/his';
import { maskName } from '../insurance/messages';
import { infTime } from '../insurance/nhsa/beijing-time';
import { fenToYuan } from '../shared/money';
import type { MobileOrderView } from '../shared/mobile-pay';
import type { MobileSettlement } from '../station/mobile-pay';
import type { StoredPerson } from '../station/store';
import { ServiceError } from './errors';
import type {
  BillView,
  PaidRecordView,
  PaidRecordsView,
  PaymentView,
  PendingBillsView,
  RegistrationRefundView,
} from './outpatient-schemas';

const MAX_REFUSALS_KEPT = 1_000;
/** 普通门诊 (the NHSA med_type of an outpatient bill). */
const MED_TYPE_OUTPATIENT = '11';

export interface OutpatientPayingDeps {
  his: Pick<HisClient, 'patient' | 'unsettledOrders' | 'order' | 'settlement'>;
  /** 1101 by ID number: the payer's person number and insurance type for the upload. */
  insuredPerson(idNo: string): Promise<StoredPerson>;
  /** The station's mobile payment; null where `mobilePay` is not configured (paying is then refused). */
  mobile: Pick<MobileSettlement, 'prepare' | 'pay' | 'query' | 'cancel' | 'liveForHisOrder' | 'paidOfPatient' | 'refundClinic'> | null;
  /** ZS-09 "医保支付成功后需5秒内响应结果": how long the pay answer waits for the result (config, ≤ 5 s). */
  resultWaitMs: number;
}

type Payment = z.output<typeof PaymentView>;

export class OutpatientPaying {
  /** Payments whose pay flow is still running here: an uploaded order among them is not a refused one. */
  private readonly running = new Set<string>();
  /** The centre's words for a payment refused while this service ran (the order row keeps no text). */
  private readonly refusals = new Map<string, string>();

  constructor(private readonly d: OutpatientPayingDeps) {}

  async pending(patientId: string): Promise<z.output<typeof PendingBillsView>> {
    const patient = his(await this.d.his.patient({ patientId }), '患者信息');
    const orders = his(await this.d.his.unsettledOrders(patientId), '待缴费记录');
    return {
      patientId,
      patientName: maskName(patient.name),
      bills: orders.map((o) => {
        const live = this.d.mobile?.liveForHisOrder(o.orderNo) ?? null;
        return { ...summary(o), payment: live ? { paymentId: live.orderId, state: this.stateOf(live) } : null };
      }),
    };
  }

  async bill(orderNo: string): Promise<z.output<typeof BillView>> {
    const o = his(await this.d.his.order(orderNo), '待缴费明细');
    return { ...summary(o), patientId: o.patientId, state: o.state, lines: linesOf(o) };
  }

  /** 6201 → 6202 → HIS's booking; the answer as it stands after at most resultWaitMs, the rest carrying on. */
  async pay(orderNo: string, payAuthNo: string): Promise<Payment> {
    const mobile = this.mobile();
    const live = mobile.liveForHisOrder(orderNo);
    if (live && !(live.state === 'uploaded' && !live.inDoubt && !this.running.has(live.orderId))) return this.view(live);
    const order = his(await this.d.his.order(orderNo), '待缴费记录');
    if (order.state !== 'unpaid') throw new ServiceError(409, 'CONFLICT', billClosed(order.state));
    // A bill whose earlier try was refused (or abandoned) before paying: that order withdrawn (6401) first.
    if (live) {
      const cancelled = await mobile.cancel({ orderId: live.orderId });
      if (cancelled.state !== 'cancelled') throw new ServiceError(409, 'BUSY', '上一次支付正在撤销，请稍后再试');
    }
    const patient = his(await this.d.his.patient({ patientId: order.patientId }), '患者信息');
    const person = await this.d.insuredPerson(patient.idNo).catch(() => {
      throw new ServiceError(409, 'CONFLICT', '未查询到有效的医保参保信息，请到收费窗口缴费');
    });
    const insurance = person.insurances.find((i) => i.status === '1') ?? person.insurances[0];
    if (!insurance) throw new ServiceError(409, 'CONFLICT', '未查询到有效的医保参保信息，请到收费窗口缴费');
    const paymentId = randomUUID().replaceAll('-', '');
    const flow = this.flow(paymentId, order, payAuthNo, {
      idNo: patient.idNo,
      name: patient.name,
      psnNo: person.psnNo,
      insutype: insurance.insutype,
    });
    this.running.add(paymentId);
    void flow.finally(() => this.running.delete(paymentId)).catch(() => undefined);
    // A refusal before the order existed (flow rejects in time) is the answer itself.
    await Promise.race([flow, sleep(this.d.resultWaitMs)]);
    return this.payment(paymentId);
  }

  /** The payment as the station holds it now (a 6202 in doubt is being asked by 6301 in the outbox). */
  payment(paymentId: string): Payment {
    const v = this.find(paymentId);
    return this.view(v);
  }

  async records(patientId: string): Promise<z.output<typeof PaidRecordsView>> {
    his(await this.d.his.patient({ patientId }), '患者信息');
    return {
      patientId,
      records: this.mobile()
        .paidOfPatient(patientId)
        .map((v) => this.view(v)),
    };
  }

  async record(paymentId: string): Promise<z.output<typeof PaidRecordView>> {
    const v = this.find(paymentId);
    const booked = v.state === 'completed' || v.state === 'refunding' || v.state === 'refunded';
    const orderNo = v.hisOrderNo!;
    if (!booked) return { ...this.view(v), his: null, lines: linesOf(his(await this.d.his.order(orderNo), '缴费明细')) };
    const s = his(await this.d.his.settlement({ orderNo }), '缴费明细');
    const { hisSettleNo, invoiceNo, pickupWindow, settledAt, state } = s.settlement;
    return { ...this.view(v), his: { hisSettleNo, invoiceNo, pickupWindow, settledAt, state }, lines: linesOf(s.order) };
  }

  /**
   * 退号: a registration paid here is refunded here (HIS approves, 6203, HIS cancels the registration); one paid at
   * the window is refunded at the window, where it was paid.
   */
  async refundRegistration(orderNo: string, reason: string): Promise<z.output<typeof RegistrationRefundView>> {
    const order = his(await this.d.his.order(orderNo), '挂号记录');
    if (!order.registration) throw new ServiceError(409, 'CONFLICT', '该账单不是挂号费，不能退号');
    const mobile = this.mobile();
    const live = mobile.liveForHisOrder(orderNo);
    if (!live) {
      if (order.state === 'paid') throw new ServiceError(409, 'CONFLICT', '该挂号费在收费窗口缴纳，请到收费窗口办理退号退费');
      throw new ServiceError(409, 'CONFLICT', order.state === 'refunded' ? '该挂号已退号' : '该挂号费尚未缴纳，无需退费');
    }
    const v = await mobile.refundClinic({ orderId: live.orderId }, reason);
    const state = v.state === 'refunded' ? 'refunded' : v.state === 'refunding' ? 'refunding' : 'refused';
    return {
      orderNo,
      paymentId: v.orderId,
      state,
      registrationCancelled: v.hisCancelled === true,
      detail: state === 'refused' ? (v.detail ?? (v.inDoubt ? '该缴费正在办理中，请稍后再试' : '退号未完成')) : null,
    };
  }

  private async flow(
    paymentId: string,
    order: HisOrder,
    payAuthNo: string,
    patient: { idNo: string; name: string; psnNo: string; insutype: string },
  ) {
    const mobile = this.mobile();
    let prepared: MobileOrderView;
    try {
      prepared = await mobile.prepare({
        orderId: paymentId,
        kind: 'outpatient',
        visitNo: order.visitNo,
        payAuthNo,
        patient: { ...patient, idType: '01' },
        medType: MED_TYPE_OUTPATIENT,
        deptCode: order.dept.code,
        deptName: order.dept.name,
        begntime: infTime(new Date(order.createdAt)),
        useAccount: true,
        clinic: { orderNo: order.orderNo, patientId: order.patientId },
        lines: linesOf(order).map((l) => ({
          feedetlSn: `${l.rxNo}-${l.lineNo}`,
          medListCodg: l.nationalCode,
          medinsListCodg: l.hospCode,
          cnt: l.quantity,
          pric: fenToYuan(l.unitPriceFen),
          amountFen: l.amountFen,
        })),
      });
    } catch (e) {
      // The bill's live order taken by a payment started meanwhile (its unique index): this one never began.
      const other = mobile.liveForHisOrder(order.orderNo);
      if (other && other.orderId !== paymentId) throw new ServiceError(409, 'BUSY', '该账单正在支付，请稍后查询结果');
      throw e;
    }
    if (prepared.state !== 'uploaded' || prepared.inDoubt) return this.keepDetail(paymentId, prepared);
    this.keepDetail(paymentId, await mobile.pay({ orderId: paymentId }));
  }

  private keepDetail(paymentId: string, v: MobileOrderView): void {
    if (!v.detail) return;
    this.refusals.set(paymentId, v.detail);
    // Only recent refusals matter (the phone asking about the payment it just tried): the oldest goes first.
    if (this.refusals.size > MAX_REFUSALS_KEPT) this.refusals.delete(this.refusals.keys().next().value!);
  }

  private mobile(): NonNullable<OutpatientPayingDeps['mobile']> {
    if (!this.d.mobile) throw new ServiceError(503, 'UPSTREAM_UNREACHABLE', '医院尚未开通医保移动支付，请到收费窗口缴费');
    return this.d.mobile;
  }

  private find(paymentId: string): MobileOrderView {
    try {
      const v = this.mobile().query({ orderId: paymentId });
      if (v.hisOrderNo) return v;
    } catch {
      // not found: answered below
    }
    throw new ServiceError(404, 'NOT_FOUND', '没有这笔缴费');
  }

  /** Paid is paid even while HIS's booking is in doubt; before the pay, an order in doubt or in flight is processing. */
  private stateOf(v: MobileOrderView): Payment['state'] {
    switch (v.state) {
      case 'paid':
      case 'completed':
        return 'paid';
      case 'refunding':
      case 'refunded':
        return v.state;
      case 'uploading':
      case 'paying':
      case 'cancelling':
        return 'processing';
      default:
        return v.inDoubt || this.running.has(v.orderId) ? 'processing' : 'failed';
    }
  }

  private view(v: MobileOrderView): Payment {
    const state = this.stateOf(v);
    return {
      paymentId: v.orderId,
      orderNo: v.hisOrderNo ?? '',
      state,
      hisBooked: v.state === 'completed' || v.state === 'refunding' || v.state === 'refunded',
      medfeeFen: v.medfeeFen,
      fundFen: v.fundFen,
      acctFen: v.acctFen,
      cashFen: v.ownFen,
      payOrderId: v.payOrdId,
      detail: state === 'failed' ? `${this.refusals.get(v.orderId) ?? '医保移动支付未完成'}，未扣费` : null,
      createdAt: v.createdAt ?? null,
      resultUrl: `/v1/outpatient/payments/${v.orderId}`,
    };
  }
}

function summary(o: HisOrder) {
  return {
    orderNo: o.orderNo,
    visitNo: o.visitNo,
    dept: o.dept.name,
    doctor: o.doctor.name,
    totalFen: o.totalFen,
    createdAt: o.createdAt,
    expiresAt: o.expiresAt,
  };
}

function linesOf(o: HisOrder) {
  return o.prescriptions.flatMap((rx) => rx.lines.map((l) => ({ ...l, rxNo: rx.rxNo })));
}

function billClosed(state: HisOrder['state']): string {
  if (state === 'paid') return '该账单已缴费';
  return state === 'expired' ? '该账单已过期，请联系医生重新开具' : '该账单已退费';
}

function his<T>(o: HisOutcome<T>, what: string): T {
  if (o.kind === 'rejected') throw new ServiceError(404, 'NOT_FOUND', `HIS：${o.message}`);
  if (o.kind === 'unknown') throw new ServiceError(503, 'UPSTREAM_UNREACHABLE', `HIS 无应答，暂时查不到${what}，请稍后重试`);
  return o.value;
}

const sleep = (ms: number) =>
  new Promise<'waited'>((resolve) => {
    setTimeout(() => resolve('waited'), ms).unref();
  });
