/**
 * HisClient: the station's calls to the HIS integration gateway (one signed JSON POST per service).
 *
 * Money calls (settle confirm, self-pay settle, cancel) carry the station's ids — settle_id, cancel_id — fixed
 * before the first attempt; HIS books each id once and answers a repeat with the booking it made, so after an
 * unknown outcome the station repeats the same call or asks settle.get. The split is checked here before
 * anything is sent: a confirm whose parts do not add up is a bug in the caller, not something to send.
 */
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { fenToYuan, type Fen } from '../../shared/money';
import { infTime } from '../nhsa/beijing-time';
import { parseJsonObject, postJson } from '../pay-channel/http';
import { HisConfigSchema, type HisConfig, type HisConfigInput } from './config';
import type { HisOutcome } from './outcome';
import { hisSignature, hisSignatureValid } from './sign';
import type { HisWardService } from './ward-client';
import type {
  HisDayAccount,
  HisOrder,
  HisPatient,
  HisPaymentLine,
  HisLineKey,
  HisRefundApplication,
  HisSettlement,
  InsuredSettleConfirm,
  PartialRefundConfirm,
  SelfPaySettle,
} from './types';
import {
  DayAccountAnswer,
  OrderAnswer,
  OrderChangesAnswer,
  OrderListAnswer,
  PatientAnswer,
  RefundApplicationAnswer,
  SettlementAnswer,
  SettlementDetailsAnswer,
} from './wire';

export type HisService =
  | 'patient.get'
  | 'order.unsettled'
  | 'order.get'
  | 'order.changes'
  | 'settle.confirm'
  | 'settle.selfpay'
  | 'settle.get'
  | 'settle.cancel'
  | 'refund.apply'
  | 'refund.confirm'
  | 'refund.cancel'
  | 'account.day';

export interface HisClientDeps {
  fetch?: typeof fetch;
  /**
   * Awaited before a call that changes HIS (a booking, a cancel, a refund, a deposit refund): the station's intent
   * behind it is on its disk first. A read waits for nothing.
   */
  beforeWrite?: () => Promise<void>;
  now?: () => Date;
  /** Request ids for the gateway's logs (not the idempotency key: that is the settle id). */
  requestId?: () => string;
}

/** The services that only read: everything else changes HIS and passes `beforeWrite` first. */
const HIS_READS: ReadonlySet<HisService | HisWardService> = new Set<HisService | HisWardService>([
  'patient.get',
  'order.unsettled',
  'order.get',
  'order.changes',
  'settle.get',
  'account.day',
  'ward.list',
  'inpatient.list',
  'inpatient.get',
  'inpatient.fees',
  'inpatient.settle.get',
  'deposit.refund.get',
]);

/** HIS codes that mean "busy, not booked as far as anyone knows": the outcome is unknown. */
const BUSY_CODES: ReadonlySet<string> = new Set(['SYSTEM_ERROR']);

export class HisClient {
  private readonly config: HisConfig;
  private readonly fetch: typeof fetch;
  private readonly now: () => Date;
  private readonly requestId: () => string;
  private readonly beforeWrite: () => Promise<void>;

  constructor(config: HisConfigInput, deps: HisClientDeps = {}) {
    this.config = HisConfigSchema.parse(config);
    this.fetch = deps.fetch ?? fetch;
    this.now = deps.now ?? (() => new Date());
    this.requestId = deps.requestId ?? (() => randomUUID().replaceAll('-', ''));
    this.beforeWrite = deps.beforeWrite ?? (() => Promise.resolve());
  }

  patient(by: { patientId: string } | { cardNo: string } | { idNo: string }): Promise<HisOutcome<HisPatient>> {
    const query = 'patientId' in by ? { patient_id: by.patientId } : 'cardNo' in by ? { card_no: by.cardNo } : { id_no: by.idNo };
    return this.call('patient.get', query, PatientAnswer);
  }

  /** HX-08: the patient's prescriptions awaiting payment. */
  unsettledOrders(patientId: string): Promise<HisOutcome<HisOrder[]>> {
    return this.call('order.unsettled', { patient_id: patientId }, OrderListAnswer);
  }

  /** HX-32: one order's current state. */
  order(orderNo: string): Promise<HisOutcome<HisOrder>> {
    return this.call('order.get', { order_no: orderNo }, OrderAnswer);
  }

  /** HX-32: orders whose state changed since `since` (paid elsewhere, expired, refunded); poll from `until` next. */
  orderChanges(since: Date): Promise<HisOutcome<{ orders: HisOrder[]; until: string }>> {
    return this.call('order.changes', { since: infTime(since) }, OrderChangesAnswer);
  }

  /** HX-18: books the insurance settlement and the payments of its cash part. */
  confirmSettlement(c: InsuredSettleConfirm): Promise<HisOutcome<HisSettlement>> {
    if (c.fundFen + c.acctFen + c.cashFen !== c.medfeeFen) throw new RangeError(`settlement ${c.settleId}: fund + account + cash ≠ total`);
    assertPaymentsCover(c.settleId, c.payments, c.cashFen);
    return this.call(
      'settle.confirm',
      {
        settle_id: c.settleId,
        order_no: c.orderNo,
        mdtrt_id: c.mdtrtId,
        setl_id: c.setlId,
        medfee_sumamt: fenToYuan(c.medfeeFen),
        fund_pay_sumamt: fenToYuan(c.fundFen),
        acct_pay: fenToYuan(c.acctFen),
        psn_cash_pay: fenToYuan(c.cashFen),
        payments: c.payments.map(paymentWire),
      },
      SettlementAnswer,
    );
  }

  /** HX-20: an uninsured patient's order, paid in full by the payments. */
  selfPaySettlement(s: SelfPaySettle): Promise<HisOutcome<HisSettlement>> {
    if (s.payments.length === 0) throw new RangeError(`settlement ${s.settleId}: no payment`);
    return this.call(
      'settle.selfpay',
      { settle_id: s.settleId, order_no: s.orderNo, payments: s.payments.map(paymentWire) },
      SettlementAnswer,
    );
  }

  /** HX-25: the booked settlement with its order and fee lines. */
  settlement(by: { settleId: string } | { orderNo: string }): Promise<HisOutcome<{ settlement: HisSettlement; order: HisOrder }>> {
    const query = 'settleId' in by ? { settle_id: by.settleId } : { order_no: by.orderNo };
    return this.call('settle.get', query, SettlementDetailsAnswer);
  }

  /** Undoes a booked settlement (after the insurance reversal and the refund); the order becomes refunded. */
  cancelSettlement(c: { cancelId: string; settleId: string; reason: string }): Promise<HisOutcome<HisSettlement>> {
    return this.call('settle.cancel', { cancel_id: c.cancelId, settle_id: c.settleId, reason: c.reason }, SettlementAnswer);
  }

  /**
   * 退费申请: HIS approves the refund of a booked settlement or refuses it (drugs already dispensed). The
   * refund id is the station's, fixed before the first attempt: a repeat answers the application as it stands.
   */
  applyRefund(r: { refundId: string; settleId: string; reason: string; lines?: HisLineKey[] }): Promise<HisOutcome<HisRefundApplication>> {
    const lines = (r.lines ?? []).map((l) => ({ rx_no: l.rxNo, line_no: l.lineNo }));
    return this.call('refund.apply', { refund_id: r.refundId, settle_id: r.settleId, reason: r.reason, lines }, RefundApplicationAnswer);
  }

  /** 部分退费 confirmed: the old booking cancelled, the remaining lines booked under a new settle id (idempotent). */
  confirmPartialRefund(c: PartialRefundConfirm): Promise<HisOutcome<HisSettlement>> {
    if (c.fundFen + c.acctFen + c.cashFen !== c.medfeeFen) throw new RangeError(`refund ${c.refundId}: fund + account + cash ≠ total`);
    assertPaymentsCover(c.settleId, c.payments, c.cashFen);
    return this.call(
      'refund.confirm',
      {
        refund_id: c.refundId,
        settle_id: c.settleId,
        mdtrt_id: c.mdtrtId,
        setl_id: c.setlId,
        medfee_sumamt: fenToYuan(c.medfeeFen),
        fund_pay_sumamt: fenToYuan(c.fundFen),
        acct_pay: fenToYuan(c.acctFen),
        psn_cash_pay: fenToYuan(c.cashFen),
        payments: c.payments.map(paymentWire),
      },
      SettlementAnswer,
    );
  }

  /** Takes an approved application back (the centre refused the refund): the bill stays as it was. */
  withdrawRefund(refundId: string): Promise<HisOutcome<HisRefundApplication>> {
    return this.call('refund.cancel', { refund_id: refundId }, RefundApplicationAnswer);
  }

  /** HIS's own account of a Beijing day (yyyy-MM-dd): the day's reconciliation matches it with the ledger. */
  dayAccount(day: string): Promise<HisOutcome<HisDayAccount>> {
    return this.call('account.day', { day }, DayAccountAnswer);
  }

  /** One signed gateway call, read by `read`; the ward client (ward-client.ts) goes through it for the 住院 services. */
  async call<T>(service: HisService | HisWardService, biz: Record<string, unknown>, read: z.ZodType<T>): Promise<HisOutcome<T>> {
    if (!HIS_READS.has(service)) await this.beforeWrite();
    const fields: Record<string, string> = {
      app_id: this.config.appId,
      service,
      request_id: this.requestId(),
      timestamp: infTime(this.now()),
      version: '1.0',
      sign_type: 'HMAC-SHA256',
      biz_content: JSON.stringify(biz),
    };
    fields.sign = hisSignature(fields, this.config.appSecret);
    const reply = await postJson(this.fetch, `${this.config.baseUrl}/gateway`, JSON.stringify(fields), this.config.timeoutMs);
    if (reply.kind === 'failed') return { kind: 'unknown', reason: reply.reason, detail: reply.detail };
    if (reply.status !== 200) return { kind: 'unknown', reason: 'http-status', detail: `HTTP ${reply.status}` };
    const answer = parseJsonObject(reply.body);
    if (!answer) return { kind: 'unknown', reason: 'unparsable', detail: 'the answer is not a JSON object' };
    if (!hisSignatureValid(answer, this.config.appSecret)) {
      const text = typeof answer.msg === 'string' ? `: ${answer.msg}` : '';
      return { kind: 'unknown', reason: 'bad-signature', detail: `the answer's signature does not verify${text}` };
    }
    if (answer.request_id !== fields.request_id || answer.service !== service) {
      return {
        kind: 'unknown',
        reason: 'mismatch',
        detail: `the answer is for request ${String(answer.request_id)} (${String(answer.service)})`,
      };
    }
    const code = String(answer.code ?? '');
    const message = String(answer.msg ?? '');
    if (BUSY_CODES.has(code)) return { kind: 'unknown', reason: 'his-busy', detail: `${code} ${message}` };
    if (code !== '0') return { kind: 'rejected', code, message };
    const parsed = read.safeParse(typeof answer.biz_content === 'string' ? parseJsonObject(answer.biz_content) : undefined);
    if (!parsed.success) {
      const where = [...new Set(parsed.error.issues.map((i) => i.message))].join('; ');
      return { kind: 'unknown', reason: 'schema', detail: `unexpected answer: ${where}` };
    }
    return { kind: 'ok', value: parsed.data };
  }
}

function assertPaymentsCover(settleId: string, payments: HisPaymentLine[], cashFen: Fen): void {
  const paid = payments.reduce((sum, p) => sum + p.amountFen, 0);
  if (paid !== cashFen) throw new RangeError(`settlement ${settleId}: payments ${paid} fen ≠ cash part ${cashFen} fen`);
}

function paymentWire(p: HisPaymentLine) {
  return {
    pay_channel: p.channel,
    out_trade_no: p.outTradeNo ?? '',
    transaction_id: p.transactionId ?? '',
    amount: fenToYuan(p.amountFen),
  };
}
