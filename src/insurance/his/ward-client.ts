/**
 * HisWardClient: the station's calls to HIS's inpatient services (住院) through the same signed gateway as the
 * outpatient ones. Money calls (settle, settle cancel, deposit refund) carry the station's ids, fixed before the first
 * attempt: HIS books each id once and answers a repeat with what it booked, so after an unknown outcome the station
 * repeats the call or asks the matching *.get. A settlement whose deposits and payments do not cover its cash part
 * is a bug in the caller and is refused here before anything is sent.
 */
import type { z } from 'zod';
import { fenToYuan } from '../../shared/money';
import type { HisOutcome } from './outcome';
import type { HisDepositRefund, HisFeeLine, HisStay, HisWard, HisWardSettle, HisWardSettlement } from './ward-types';
import { DepositRefundAnswer, FeePageAnswer, StayAnswer, StayListAnswer, WardListAnswer, WardSettlementAnswer } from './ward-wire';

export type HisWardService =
  | 'ward.list'
  | 'inpatient.list'
  | 'inpatient.get'
  | 'inpatient.fees'
  | 'inpatient.settle'
  | 'inpatient.insure'
  | 'inpatient.settle.get'
  | 'inpatient.settle.cancel'
  | 'deposit.refund'
  | 'deposit.refund.get';

/** The gateway the ward client goes through (HisClient). */
export interface HisGateway {
  call<T>(service: HisWardService, biz: Record<string, unknown>, read: z.ZodType<T>): Promise<HisOutcome<T>>;
}

/** Fee lines are fetched in pages of at most this many (HIS's own limit). */
export const MAX_FEE_PAGE = 1000;

export class HisWardClient {
  constructor(private readonly gateway: HisGateway) {}

  wards(): Promise<HisOutcome<HisWard[]>> {
    return this.gateway.call('ward.list', {}, WardListAnswer);
  }

  /** The ward's patients (in the ward, or ordered home: `state` narrows it). */
  stays(wardCode: string, state?: 'in' | 'discharge-ordered'): Promise<HisOutcome<HisStay[]>> {
    return this.gateway.call('inpatient.list', state ? { ward_code: wardCode, state } : { ward_code: wardCode }, StayListAnswer);
  }

  /** One stay with its deposits and settlements: by 住院号, or the patient's current stay. */
  stay(by: { iptNo: string } | { patientId: string }): Promise<HisOutcome<HisStay>> {
    return this.gateway.call('inpatient.get', 'iptNo' in by ? { ipt_no: by.iptNo } : { patient_id: by.patientId }, StayAnswer);
  }

  /** The lines after `afterLine`, in execution order: what a batch uploads (2301). */
  feeLines(iptNo: string, afterLine: number, limit: number): Promise<HisOutcome<{ lines: HisFeeLine[]; lastLine: number }>> {
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_FEE_PAGE) throw new RangeError(`a fee page holds 1..${MAX_FEE_PAGE} lines`);
    return this.gateway.call('inpatient.fees', { ipt_no: iptNo, after_line: afterLine, limit }, FeePageAnswer);
  }

  /**
   * 自费转医保: the self-pay stay, registered at the centre, turns insured at HIS (its person number and the centre's
   * stay). The same request again answers the stay as it is, so a lost answer is asked again.
   */
  insure(i: { iptNo: string; psnNo: string; mdtrtId: string }): Promise<HisOutcome<HisStay>> {
    return this.gateway.call('inpatient.insure', { ipt_no: i.iptNo, psn_no: i.psnNo, mdtrt_id: i.mdtrtId }, StayAnswer);
  }

  /** Books a mid-stay or discharge settlement (after the centre's 2304) with the deposits applied and the shortfall paid. */
  settle(s: HisWardSettle): Promise<HisOutcome<HisWardSettlement>> {
    if (s.fundFen + s.acctFen + s.cashFen !== s.medfeeFen) throw new RangeError(`settlement ${s.settleId}: fund + account + cash ≠ total`);
    const covered = s.deposits.reduce((sum, d) => sum + d.amountFen, 0) + s.payments.reduce((sum, p) => sum + p.amountFen, 0);
    if (covered !== s.cashFen)
      throw new RangeError(`settlement ${s.settleId}: deposits and payments ${covered} fen ≠ cash part ${s.cashFen} fen`);
    return this.gateway.call(
      'inpatient.settle',
      {
        settle_id: s.settleId,
        ipt_no: s.iptNo,
        kind: s.kind,
        upto_line: s.uptoLine,
        mdtrt_id: s.mdtrtId,
        setl_id: s.setlId,
        medfee_sumamt: fenToYuan(s.medfeeFen),
        fund_pay_sumamt: fenToYuan(s.fundFen),
        acct_pay: fenToYuan(s.acctFen),
        psn_cash_pay: fenToYuan(s.cashFen),
        deposits: s.deposits.map((d) => ({ deposit_no: d.depositNo, amount: fenToYuan(d.amountFen) })),
        payments: s.payments.map((p) => ({
          pay_channel: p.channel,
          out_trade_no: p.outTradeNo ?? '',
          transaction_id: p.transactionId ?? '',
          amount: fenToYuan(p.amountFen),
        })),
      },
      WardSettlementAnswer,
    );
  }

  settlement(settleId: string): Promise<HisOutcome<HisWardSettlement>> {
    return this.gateway.call('inpatient.settle.get', { settle_id: settleId }, WardSettlementAnswer);
  }

  /**
   * Undoes a booked settlement (before the centre's 2305): its lines are due again, its deposits are back, and what
   * paid its shortfall becomes deposits (转预交金, `paymentDeposits`) on the payments' own channels — unless the
   * payments go back to the patient by their channel's own refund (`payments: 'refunded'`, the phone's 6203), when
   * HIS keeps nothing of them.
   */
  cancelSettlement(c: {
    cancelId: string;
    settleId: string;
    reason: string;
    payments?: 'to-deposits' | 'refunded';
  }): Promise<HisOutcome<HisWardSettlement>> {
    return this.gateway.call(
      'inpatient.settle.cancel',
      { cancel_id: c.cancelId, settle_id: c.settleId, reason: c.reason, payments: c.payments ?? 'to-deposits' },
      WardSettlementAnswer,
    );
  }

  /**
   * Records a deposit's balance paid back: `original` after the station refunded it on the deposit's channel (its
   * refund number given), `cash` at the window.
   */
  refundDeposit(r: {
    refundId: string;
    depositNo: string;
    amountFen: number;
    to: 'original' | 'cash';
    refundTradeNo?: string;
  }): Promise<HisOutcome<HisDepositRefund>> {
    return this.gateway.call(
      'deposit.refund',
      { refund_id: r.refundId, deposit_no: r.depositNo, amount: fenToYuan(r.amountFen), to: r.to, refund_trade_no: r.refundTradeNo ?? '' },
      DepositRefundAnswer,
    );
  }

  depositRefund(refundId: string): Promise<HisOutcome<HisDepositRefund>> {
    return this.gateway.call('deposit.refund.get', { refund_id: refundId }, DepositRefundAnswer);
  }
}
