/**
 * The inpatient's settlement from the phone (issue 16): the stay and its pending fees as HIS has them (HM-02), the
 * shares the centre prices through the inpatient core (HM-05, 2303), the one-step settlement through the mobile-pay
 * port after the security checks (HM-06, HM-11), its result (HM-09), the refund application (HM-10), the discharge
 * guidance (HM-12) and the messages owed to the phones that asked (HM-13/14). The core is the station's own: the
 * same stays, the same outbox, acting as the station's own operator at the centre.
 */
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { HisFeeLine, HisStay, HisOutcome } from '../insurance/his';
import { MAX_FEE_PAGE } from '../insurance/his';
import { awaitingSettlementMessage, maskName, settledMessage } from '../insurance/messages';
import { fen } from '../shared/money';
import type { InpatientStation } from '../station/inpatient/inpatient-station';
import { SELF_SERVICE_OPERATOR } from '../station/self-service';
import type { ServiceConfig } from './config';
import { ServiceError } from './errors';
import { insideGeofence } from './geofence';
import type { MobilePayPort, MobilePayState, MobileRefundState } from './ports';
import type { PatientMessages } from './patient-messages';
import type { GuidanceView, RefundView, SecurityChecks, SettlementView, SharesView, StayFeesView, SubscriptionView } from './schemas';
import type { RefundState, SettlementRow, SettlementsRepo } from './settlements-repo';

/** The service prices and settles as the station's own operator at the centre (as self-service and the uploader). */
const OPERATOR = SELF_SERVICE_OPERATOR;
const AWAITING_DEADLINE_MS = 24 * 3_600_000;
const AWAITING = 'awaiting';
/** A settlement still preparing this long after it was recorded was abandoned by a stopped service. */
const ABANDONED_PREPARING_MS = 2 * 60_000;
/** A subscription older than a stay is long is not looked at any more. */
const SUBSCRIPTION_DAYS = 60;

export interface PhoneSettlementDeps {
  inpatient: Pick<InpatientStation, 'stays' | 'ward' | 'service'>;
  pay: MobilePayPort;
  settlements: SettlementsRepo;
  messages: PatientMessages;
  config: Pick<ServiceConfig, 'geofence' | 'faceMaxAgeSeconds' | 'guidance'>;
  now: () => number;
}

export class PhoneSettlement {
  constructor(private readonly d: PhoneSettlementDeps) {}

  /** HM-02. A stay the doctor discharged also owes its phones the "awaiting settlement" message (HM-13). */
  async stayFees(iptNo: string): Promise<z.output<typeof StayFeesView>> {
    const his = await this.hisStay(iptNo);
    const lines = (await this.allLines(iptNo)).filter((l) => l.settleId === null);
    const dischargeOrdered = his.state === 'discharge-ordered' || his.dischargeOrderedAt !== null;
    if (his.state === 'discharge-ordered') this.queueAwaiting(his);
    const stay = this.d.inpatient.stays.byIptNo(iptNo);
    return {
      iptNo,
      patientName: maskName(his.patientName),
      ward: his.ward.name,
      bedNo: his.bedNo,
      dept: his.dept.name,
      admittedAt: his.admittedAt,
      hisState: his.state,
      dischargeOrdered,
      admittedAtCentre: stay !== undefined && stay.state !== 'cancelled',
      pendingFen: his.unsettledFen,
      depositBalanceFen: his.depositBalanceFen,
      lines: lines.map((l) => ({
        lineNo: l.lineNo,
        day: l.day,
        kind: l.kind,
        name: l.name,
        spec: l.spec,
        unit: l.unit,
        quantity: l.quantity,
        unitPriceFen: l.unitPriceFen,
        amountFen: l.amountFen,
      })),
    };
  }

  /** The stay's settlement in force (paying, paid, in doubt, refunding) or null: a page opened again shows it, not 一键结算. */
  async liveSettlement(iptNo: string): Promise<{ settlement: z.output<typeof SettlementView> | null }> {
    const stay = this.d.inpatient.stays.byIptNo(iptNo);
    const row = stay ? this.d.settlements.liveOf(stay.id) : undefined;
    return { settlement: row ? await this.result(row.id) : null };
  }

  /** HM-05: the discharge's pre-settlement once discharged at the centre, else the bill to date (mid-stay). */
  async shares(iptNo: string): Promise<z.output<typeof SharesView>> {
    const stay = this.stayAtCentre(iptNo);
    const { service } = this.d.inpatient;
    const discharge = stay.state === 'discharged';
    const p = discharge ? await service.preSettleDischarge(OPERATOR, stay.id) : await service.preSettle(OPERATOR, stay.id);
    return { iptNo, medfeeFen: p.medfeeFen, fundFen: p.fundFen, acctFen: p.acctFen, cashFen: p.cashFen, uptoLine: p.uptoLine, discharge };
  }

  /** HM-06 with HM-11's checks: discharged at the centre (2402) if not yet, priced (2303), paid through the port. */
  async settle(appId: string, iptNo: string, input: { payAuthNo: string; security: z.output<typeof SecurityChecks> }) {
    this.checkSecurity(input.security);
    let stay = this.stayAtCentre(iptNo);
    const live = await this.caughtUp(this.d.settlements.liveOf(stay.id));
    if (live) throw new ServiceError(409, 'CONFLICT', `该次住院已有移动支付结算（${live.id}，${live.state}），请查询结果`);
    const { service } = this.d.inpatient;
    if (stay.state === 'admitted') {
      const his = await this.hisStay(iptNo);
      if (his.state !== 'discharge-ordered')
        throw new ServiceError(409, 'NOT_DISCHARGE_ORDERED', '医生尚未开具出院医嘱，暂不能办理出院结算');
      stay = await service.discharge(OPERATOR, stay.id);
    }
    if (stay.state !== 'discharged') throw new ServiceError(409, 'CONFLICT', '该次住院当前不能在手机上结算，请到住院收费处办理');
    const shares = await service.preSettleDischarge(OPERATOR, stay.id);
    const id = randomUUID().replaceAll('-', '');
    const now = this.d.now();
    if (!this.d.settlements.insert({ id, appId, stayId: stay.id, iptNo, shares, checks: input.security, at: now }))
      throw new ServiceError(409, 'CONFLICT', '该次住院正在另一台手机上结算，请查询结果');
    const order = {
      settlementId: id,
      stayId: stay.id,
      iptNo,
      mdtrtId: stay.mdtrtId!,
      psnNo: stay.psnNo,
      payAuthNo: input.payAuthNo,
      ...pick(shares),
    };
    // Nothing is paid before pay(): a prepare that throws leaves a failed settlement, never a stuck one.
    const prepared = await this.d.pay
      .prepare(order)
      .catch((e: unknown) => ({ kind: 'failed' as const, reason: `移动支付下单失败：${String(e)}` }));
    if (prepared.kind === 'failed') {
      this.d.settlements.update(id, { state: 'failed', detail: prepared.reason }, this.d.now());
      return this.view(id);
    }
    this.d.settlements.update(id, { state: 'paying', payOrderId: prepared.payOrderId }, this.d.now());
    const paid = await this.d.pay
      .pay(order, prepared.payOrderId)
      .catch((e: unknown): MobilePayState => ({ kind: 'unknown', payOrderId: prepared.payOrderId, detail: String(e) }));
    await this.record(id, paid);
    return this.view(id);
  }

  /**
   * At start: a settlement left preparing was never paid (pay() follows its move to paying), so it is failed at once
   * and the stay can be settled again — not after ABANDONED_PREPARING_MS, the phone's settle refused meanwhile.
   */
  failAbandoned(): number {
    const left = this.d.settlements.preparing();
    for (const row of left) this.d.settlements.update(row.id, { state: 'failed', detail: '办理中断，未扣费，请重新结算' }, this.d.now());
    return left.length;
  }

  /** HM-09: a pay order not known yet is asked about again (6301). */
  async result(settlementId: string): Promise<z.output<typeof SettlementView>> {
    const row = this.settlement(settlementId);
    if ((row.state === 'paying' || row.state === 'unknown') && row.pay_order_id) {
      const asked = await this.d.pay
        .query(row.id, row.pay_order_id)
        .catch((e: unknown): MobilePayState => ({ kind: 'unknown', payOrderId: row.pay_order_id, detail: String(e) }));
      await this.record(row.id, asked);
    } else if (row.state === 'paid') {
      await this.caughtUp(row);
    } else if (row.state === 'refunding') {
      const open = this.d.settlements.refundsOf(row.id).find((r) => r.state === 'unknown' || r.state === 'applied');
      if (open) await this.askRefund(row, open.id, open.reason);
    } else if (row.state === 'preparing' && row.updated_at < this.d.now() - ABANDONED_PREPARING_MS) {
      // A service stopped between recording the settlement and paying: pay() was never called, nothing was paid.
      this.d.settlements.update(row.id, { state: 'failed', detail: '办理中断，未扣费，请重新结算' }, this.d.now());
    }
    return this.view(settlementId);
  }

  /** HM-10: the insurance part reversed and the self-pay part back to the wallet, through the port. */
  async applyRefund(settlementId: string, reason: string): Promise<z.output<typeof RefundView>> {
    const row = this.settlement(settlementId);
    if (row.state !== 'paid' || !row.pay_order_id) throw new ServiceError(409, 'CONFLICT', `该结算当前状态（${row.state}）不能申请退费`);
    const applicationId = randomUUID().replaceAll('-', '');
    const { settlements } = this.d;
    settlements.insertRefund({ id: applicationId, settlementId, reason, at: this.d.now() });
    settlements.update(settlementId, { state: 'refunding', detail: row.detail }, this.d.now());
    const state = await this.askRefund(row, applicationId, reason);
    const application = settlements.refundsOf(settlementId).find((r) => r.id === applicationId)!;
    return { applicationId, settlementId, state, detail: application.detail };
  }

  /**
   * The port's refund for an application, recorded. Asked again with the same application id while its outcome is
   * unknown: the channel refunds each application once (the port's contract).
   */
  private async askRefund(row: SettlementRow, applicationId: string, reason: string): Promise<RefundState> {
    const { settlements } = this.d;
    const r = await this.d.pay
      .refund({ settlementId: row.id, payOrderId: row.pay_order_id!, applicationId, reason, cashFen: row.cash_fen })
      .catch((e: unknown): MobileRefundState => ({ kind: 'unknown', detail: String(e) }));
    const at = this.d.now();
    if (r.kind === 'refunded') {
      settlements.updateRefund(applicationId, 'refunded', null, at);
      settlements.update(row.id, { state: 'refunded', detail: row.detail }, at);
      return 'refunded';
    }
    if (r.kind === 'refused') {
      settlements.updateRefund(applicationId, 'refused', r.reason, at);
      settlements.update(row.id, { state: 'paid', detail: row.detail }, at);
      return 'refused';
    }
    settlements.updateRefund(applicationId, 'unknown', r.detail, at);
    return 'unknown';
  }

  /** HM-12: the drugs HIS charged with the discharge order (出院带药), where to print, how to leave. */
  async guidance(iptNo: string): Promise<z.output<typeof GuidanceView>> {
    const his = await this.hisStay(iptNo);
    const orderedAt = his.dischargeOrderedAt ? Date.parse(his.dischargeOrderedAt) : null;
    const lines = await this.allLines(iptNo);
    const reversed = new Set(lines.map((l) => l.reversesLine).filter((n) => n !== null));
    const drugs =
      orderedAt === null
        ? []
        : lines.filter((l) => l.kind === 'drug' && l.amountFen > 0 && !reversed.has(l.lineNo) && Date.parse(l.executedAt) >= orderedAt);
    return {
      iptNo,
      drugs: drugs.map((l) => ({ name: l.name, spec: l.spec, quantity: l.quantity, unit: l.unit })),
      printing: this.d.config.guidance.printing,
      leaving: this.d.config.guidance.leaving,
    };
  }

  /** HM-13/14: this phone gets the stay's messages; a stay already awaiting settlement says so now. */
  async subscribe(
    appId: string,
    iptNo: string,
    s: { wallet: 'wechat' | 'alipay'; toUser: string },
  ): Promise<z.output<typeof SubscriptionView>> {
    const his = await this.hisStay(iptNo);
    this.d.messages.subscribe(iptNo, s, appId, this.d.now());
    const queued = his.state === 'discharge-ordered' ? this.queueAwaiting(his) : [];
    return { iptNo, wallet: s.wallet, queued };
  }

  /**
   * HM-13 without the phone asking: each subscribed stay the doctor has since discharged gets its "awaiting
   * settlement" message queued. A stay HIS cannot answer for now is looked at again next time.
   */
  async notifyAwaiting(): Promise<number> {
    let queued = 0;
    for (const iptNo of this.d.messages.awaitingPurpose(AWAITING, this.d.now() - SUBSCRIPTION_DAYS * 86_400_000)) {
      const his = await this.d.inpatient.ward.stay({ iptNo });
      if (his.kind === 'ok' && his.value.state === 'discharge-ordered') queued += this.queueAwaiting(his.value).length;
    }
    return queued;
  }

  private queueAwaiting(his: HisStay): string[] {
    const now = this.d.now();
    return this.d.messages.queue(
      his.iptNo,
      AWAITING,
      (to) =>
        awaitingSettlementMessage(to, {
          patientName: his.patientName,
          amountDueFen: his.unsettledFen,
          deadline: new Date(now + AWAITING_DEADLINE_MS),
          orderNo: his.iptNo,
        }),
      now,
    );
  }

  /**
   * A paid row as the channel holds it now: the window may have undone the discharge by the phone's refund (HM-07),
   * which the row learns here — refunded, it is no longer the stay's live settlement. The row as it stands after.
   */
  private async caughtUp(row: SettlementRow | undefined): Promise<SettlementRow | undefined> {
    if (row?.state !== 'paid' || !row.pay_order_id) return row;
    const now = await this.d.pay.query(row.id, row.pay_order_id).catch(() => null);
    if (now?.kind !== 'refunded') return row;
    await this.record(row.id, now);
    return undefined;
  }

  private async record(id: string, s: MobilePayState): Promise<void> {
    const at = this.d.now();
    if (s.kind === 'paid') {
      this.d.settlements.update(id, { state: 'paid', payOrderId: s.payOrderId, detail: null }, at);
      const row = this.settlement(id);
      const his = await this.hisStay(row.ipt_no).catch(() => null);
      this.d.messages.queue(
        row.ipt_no,
        `settled-${id}`,
        (to) =>
          settledMessage(to, {
            patientName: his?.patientName ?? '患者',
            totalFen: fen(row.medfee_fen),
            fundFen: fen(row.fund_fen + row.acct_fen),
            cashFen: fen(row.cash_fen),
            settledAt: new Date(s.paidAt),
          }),
        at,
      );
    } else if (s.kind === 'refunded') this.d.settlements.update(id, { state: 'refunded', payOrderId: s.payOrderId, detail: s.detail }, at);
    else if (s.kind === 'failed') this.d.settlements.update(id, { state: 'failed', payOrderId: s.payOrderId, detail: s.reason }, at);
    else this.d.settlements.update(id, { state: 'unknown', payOrderId: s.payOrderId, detail: s.detail }, at);
  }

  private checkSecurity(c: z.output<typeof SecurityChecks>): void {
    const refuse = (message: string) => new ServiceError(403, 'SECURITY_CHECK_FAILED', message);
    if (!c.face.passed) throw refuse('人脸核验未通过');
    const age = this.d.now() - Date.parse(c.face.verifiedAt);
    if (age > this.d.config.faceMaxAgeSeconds * 1000 || age < -60_000) throw refuse('人脸核验已过期，请重新核验');
    if (!insideGeofence(this.d.config.geofence, c.location)) throw refuse('当前位置不在医院范围内，请在院内办理');
  }

  private stayAtCentre(iptNo: string) {
    const stay = this.d.inpatient.stays.byIptNo(iptNo);
    if (!stay || stay.state === 'cancelled') throw new ServiceError(404, 'NOT_ADMITTED', '该住院号尚未办理医保入院登记，请到住院处办理');
    return stay;
  }

  private settlement(id: string): SettlementRow {
    const row = this.d.settlements.get(id);
    if (!row) throw new ServiceError(404, 'NOT_FOUND', '没有这笔结算');
    return row;
  }

  private view(id: string) {
    return this.d.settlements.view(this.settlement(id));
  }

  private async hisStay(iptNo: string): Promise<HisStay> {
    return his(await this.d.inpatient.ward.stay({ iptNo }), '住院记录');
  }

  private async allLines(iptNo: string): Promise<HisFeeLine[]> {
    const all: HisFeeLine[] = [];
    for (let after = 0; ;) {
      const page = his(await this.d.inpatient.ward.feeLines(iptNo, after, MAX_FEE_PAGE), '费用明细');
      all.push(...page.lines);
      if (page.lines.length === 0 || page.lines.at(-1)!.lineNo >= page.lastLine) return all;
      after = page.lines.at(-1)!.lineNo;
    }
  }
}

function his<T>(o: HisOutcome<T>, what: string): T {
  if (o.kind === 'rejected') throw new ServiceError(404, 'NOT_FOUND', `HIS：${o.message}`);
  if (o.kind === 'unknown') throw new ServiceError(503, 'UPSTREAM_UNREACHABLE', `HIS 无应答，暂时查不到${what}，请稍后重试`);
  return o.value;
}

const pick = (s: { medfeeFen: number; fundFen: number; acctFen: number; cashFen: number }) => ({
  medfeeFen: s.medfeeFen,
  fundFen: s.fundFen,
  acctFen: s.acctFen,
  cashFen: s.cashFen,
});
