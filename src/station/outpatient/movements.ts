/**
 * The outpatient movements besides 2207 (settlement-movement.ts): registration 2201, fee upload 2204, settlement
 * cancel 2208, HIS settle-confirm and the customer-presented payment. Each knows how to send, how to find out
 * after a lost answer, and how to undo; the business effect of each final state is the workflow's (`onFinal`).
 */
import type { OperatorView } from '../../shared/domain';
import {
  cancelOutpatientFees,
  cancelOutpatientRegistration,
  cancelOutpatientSettlement,
  registerOutpatient,
  reverseTransaction,
  uploadOutpatientFees,
  type CallContext,
  type NhsaClient,
  type NhsaOutcome,
  type OutpatientFeeLineInput,
  type Registration,
  type RegistrationInput,
  type Settlement,
} from '../../insurance/nhsa';
import type { HisClient, HisSettlement, InsuredSettleConfirm } from '../../insurance/his';
import { VENDOR_MICROPAY_POLICY, type MicropayResult, type PayChannelClient, type Payment } from '../../insurance/pay-channel';
import type { NhsaGateway } from '../insurance/nhsa-gateway';
import { hisBookingMovement, queryPayment, reversePayment } from './payment-movements';
import type { Db } from '../store/database';
import type { CompensationOutcome, FinalState, IntentContext, Movement, QueryOutcome, RemoteOutcome } from '../outbox/movement';

export const KINDS = {
  registration: 'nhsa.2201',
  registrationCancel: 'nhsa.2202',
  feesCancel: 'nhsa.2205',
  fees: 'nhsa.2204',
  settlementCancel: 'nhsa.2208',
  hisConfirm: 'his.confirm',
  micropay: 'pay.micropay',
} as const;

type OnFinal<P, O> = (db: Db, intent: IntentContext<P>, final: FinalState, output: O | undefined) => void;

export interface NhsaPayload {
  operator: OperatorView;
  insuredRegion: string;
  psnNo: string;
}

/** How centres word "there is nothing of that msgid to reverse" (it never arrived, or it failed there). */
const NOTHING_TO_REVERSE = /原交易不存在|原交易未找到|无此交易|原交易未成功|无需冲正/;

export function fromNhsa<T>(o: NhsaOutcome<T>): RemoteOutcome<T> {
  if (o.kind === 'ok') return { kind: 'ok', output: o.output };
  if (o.kind === 'rejected') return { kind: 'rejected', detail: o.errMsg || `infcode ${o.infcode}` };
  return { kind: 'unknown', detail: `${o.reason}: ${o.detail}` };
}

/** 2601 naming the original msgid: the undo for a lost 2201 (the mdtrt_id a 2202 needs was in the lost answer). */
export function reverseByMsgid(gateway: NhsaGateway, oinfno: string) {
  return async (intent: IntentContext<NhsaPayload> & { compExternalId: string }): Promise<CompensationOutcome> => {
    const { operator, insuredRegion, psnNo } = intent.payload;
    const o = await gateway.perform(
      '2601',
      operator,
      (client, ctx) => reverseTransaction(client, ctx, { psn_no: psnNo, omsgid: intent.externalId, oinfno }),
      { insuredRegion, msgid: intent.compExternalId },
    );
    if (o.kind === 'ok') return { kind: 'ok' };
    if (o.kind === 'rejected') return NOTHING_TO_REVERSE.test(o.errMsg) ? { kind: 'nothing-to-undo' } : { kind: 'rejected', detail: o.errMsg };
    return { kind: 'unknown', detail: `${o.reason}: ${o.detail}` };
  };
}

export type RegistrationPayload = NhsaPayload & { input: RegistrationInput };

export function registrationMovement(deps: {
  gateway: NhsaGateway;
  newMsgid: () => string;
  onFinal: OnFinal<RegistrationPayload, Registration>;
}): Movement<RegistrationPayload, Registration> {
  return {
    kind: KINDS.registration,
    onUnknown: 'compensate',
    send: async (intent) =>
      fromNhsa(
        await deps.gateway.perform('2201', intent.payload.operator, (c, ctx) => registerOutpatient(c, ctx, intent.payload.input), {
          insuredRegion: intent.payload.insuredRegion,
          msgid: intent.externalId,
        }),
      ),
    compensate: reverseByMsgid(deps.gateway, '2201'),
    newCompensationId: deps.newMsgid,
    settle: deps.onFinal,
  };
}

export type FeesPayload = NhsaPayload & { mdtrtId: string; chrgBchno: string; lines: OutpatientFeeLineInput[] };
type FeesOutput = Awaited<ReturnType<typeof uploadOutpatientFees>> extends NhsaOutcome<infer T> ? T : never;

/** 2204; a lost answer is undone by 2205 for the whole fee batch (chrg_bchno), which the centre accepts either way. */
export function feesMovement(deps: { gateway: NhsaGateway; newMsgid: () => string; onFinal: OnFinal<FeesPayload, FeesOutput> }): Movement<FeesPayload, FeesOutput> {
  return {
    kind: KINDS.fees,
    onUnknown: 'compensate',
    send: async (intent) =>
      fromNhsa(
        await deps.gateway.perform('2204', intent.payload.operator, (c, ctx) => uploadOutpatientFees(c, ctx, { feedetail: intent.payload.lines }), {
          insuredRegion: intent.payload.insuredRegion,
          msgid: intent.externalId,
        }),
      ),
    async compensate(intent) {
      const { operator, insuredRegion, psnNo, mdtrtId, chrgBchno } = intent.payload;
      const o = await deps.gateway.perform(
        '2205',
        operator,
        (c, ctx) => cancelOutpatientFees(c, ctx, { mdtrt_id: mdtrtId, chrg_bchno: chrgBchno, psn_no: psnNo }),
        { insuredRegion, msgid: intent.compExternalId },
      );
      if (o.kind === 'ok') return { kind: 'ok' };
      if (o.kind === 'rejected') return /不存在|未找到|无费用/.test(o.errMsg) ? { kind: 'nothing-to-undo' } : { kind: 'rejected', detail: o.errMsg };
      return { kind: 'unknown', detail: `${o.reason}: ${o.detail}` };
    },
    newCompensationId: deps.newMsgid,
    settle: deps.onFinal,
  };
}

export type SettlementCancelPayload = NhsaPayload & { setlId: string; mdtrtId: string };
export type FeesCancelPayload = NhsaPayload & { mdtrtId: string; chrgBchno: string };
export type RegistrationCancelPayload = NhsaPayload & { mdtrtId: string; iptOtpNo: string };

/**
 * A cancel the station never undoes (2208 settlement, 2205 fees, 2202 registration). After a lost answer it is
 * sent again with the same msgid: the centre answers a repeated msgid with its first answer, so the repeat
 * cannot cancel twice. If the centre refuses for good, a person decides.
 */
function cancelMovement<P extends NhsaPayload, O>(
  kind: string,
  infno: string,
  call: (client: NhsaClient, ctx: CallContext, payload: P) => Promise<NhsaOutcome<O>>,
  deps: { gateway: NhsaGateway; newMsgid: () => string; onFinal: OnFinal<P, O> },
): Movement<P, O> {
  const send = async (intent: IntentContext<P>) =>
    fromNhsa(
      await deps.gateway.perform(infno, intent.payload.operator, (c, ctx) => call(c, ctx, intent.payload), {
        insuredRegion: intent.payload.insuredRegion,
        msgid: intent.externalId,
      }),
    );
  return {
    kind,
    onUnknown: 'query',
    send,
    async query(intent): Promise<QueryOutcome<O>> {
      const again = await send(intent);
      if (again.kind === 'ok') return { kind: 'happened', output: again.output };
      if (again.kind === 'rejected') return { kind: 'did-not-happen' };
      return { kind: 'unknown', detail: again.detail };
    },
    compensate: async () => ({ kind: 'rejected', detail: '撤销结果无法确认，需人工核实' }),
    newCompensationId: deps.newMsgid,
    settle: deps.onFinal,
  };
}

type CancelDeps<P, O> = { gateway: NhsaGateway; newMsgid: () => string; onFinal: OnFinal<P, O> };

export const settlementCancelMovement = (deps: CancelDeps<SettlementCancelPayload, Settlement>) =>
  cancelMovement(KINDS.settlementCancel, '2208', (c, ctx, p: SettlementCancelPayload) =>
    cancelOutpatientSettlement(c, ctx, { setl_id: p.setlId, mdtrt_id: p.mdtrtId, psn_no: p.psnNo }), deps);

export const feesCancelMovement = (deps: CancelDeps<FeesCancelPayload, undefined>) =>
  cancelMovement(KINDS.feesCancel, '2205', (c, ctx, p: FeesCancelPayload) =>
    cancelOutpatientFees(c, ctx, { mdtrt_id: p.mdtrtId, chrg_bchno: p.chrgBchno, psn_no: p.psnNo }), deps);

export const registrationCancelMovement = (deps: CancelDeps<RegistrationCancelPayload, undefined>) =>
  cancelMovement(KINDS.registrationCancel, '2202', (c, ctx, p: RegistrationCancelPayload) =>
    cancelOutpatientRegistration(c, ctx, { psn_no: p.psnNo, mdtrt_id: p.mdtrtId, ipt_otp_no: p.iptOtpNo }), deps);

export type HisConfirmPayload = InsuredSettleConfirm;

/** HX-18: the insured booking at HIS (with what paid the cash part). */
export const hisConfirmMovement = (deps: { his: HisClient; onFinal: OnFinal<HisConfirmPayload, HisSettlement> }) =>
  hisBookingMovement<HisConfirmPayload>(KINDS.hisConfirm, (his, p) => his.confirmSettlement(p), deps);

export interface MicropayPayload {
  outTradeNo: string;
  totalFee: number;
  subject: string;
  /** The patient's payment code: a bearer credential, sealed at rest with the intent; never logged. */
  authCode: string;
}

/**
 * HX-23, the vendors' rule for customer-presented codes: "user is paying" or a lost answer is resolved by
 * querying (from ~5 s, every few seconds, up to the query window), then by reversing; "no such order" after a
 * lost answer is not proof of nothing — it is reversed too, which bars the out_trade_no for good.
 */
export function micropayMovement(deps: { pay: PayChannelClient; onFinal: OnFinal<MicropayPayload, Payment> }): Movement<MicropayPayload, Payment> {
  return {
    kind: KINDS.micropay,
    onUnknown: 'query',
    queryTiming: {
      firstAfterMs: VENDOR_MICROPAY_POLICY.firstQueryAfterMs,
      everyMs: VENDOR_MICROPAY_POLICY.queryIntervalMs,
      windowMs: VENDOR_MICROPAY_POLICY.queryLimitMs,
    },
    async send(intent) {
      const p = intent.payload;
      const o = await deps.pay.micropay({ outTradeNo: p.outTradeNo, totalFee: p.totalFee as never, subject: p.subject, authCode: p.authCode });
      if (o.kind === 'ok') {
        const r: MicropayResult = o.value;
        return r.status === 'paid' ? { kind: 'ok', output: r.payment } : { kind: 'unknown', detail: 'USERPAYING 等待患者输入密码' };
      }
      if (o.kind === 'rejected') return { kind: 'rejected', detail: `${o.code} ${o.message}` };
      return { kind: 'unknown', detail: `${o.reason}: ${o.detail}` };
    },
    query: (intent) => queryPayment(deps.pay, intent.payload.outTradeNo),
    compensate: (intent) => reversePayment(deps.pay, intent.payload.outTradeNo),
    newCompensationId: () => `REV-${Date.now()}`,
    settle: deps.onFinal,
  };
}
