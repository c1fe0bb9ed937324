/**
 * The four mobile-payment movements through the outbox. Every one is idempotent at the centre by ids fixed before
 * the first call, so a lost answer is settled by asking (onUnknown 'query'):
 *   6201 upload  — asked by uploading again under the same medOrgOrd (the centre answers the same order);
 *                  undone, if the resolver must, by 6401 on the order that upload names;
 *   6202 pay     — asked by 6301: settled → paid; still unpaid → it did not happen (the patient may pay again).
 *                  Never sent twice on a lost answer, and never undone by the station (a person decides);
 *   6203 refund  — asked by 6301 (the refund's serial among the order's refunds), else sent again, same serial;
 *   6401 cancel  — asked by 6301 (cancelled), else sent again.
 * A discharge HIS booked has that booking cancelled first (ward-unbooking.ts); its 6203 then unsettles the stay.
 */
import { z } from 'zod';
import { orderStage, type MobilePayClient, type MobilePayOutcome, type OrderAnswer, type UploadAnswer } from '../../insurance/mobile-pay';
import { MOVEMENT_KINDS } from '../movements';
import { NEVER_UNDONE_QUERY_TIMING, type Movement, type QueryOutcome, type RemoteOutcome } from '../outbox';
import type { StaysRepo } from '../inpatient';
import type { MobileOrdersRepo } from './orders-repo';
import { reopenStay } from './ward-unbooking';
import { mobileCentrePaidMovement } from './centre-paid';
import { CentreWho } from './centre-who';

export type MobilePayPort = Pick<MobilePayClient, 'upload' | 'pay' | 'query' | 'refund' | 'revoke'>;

export interface MobileMovementDeps {
  client: MobilePayPort;
  orders: MobileOrdersRepo;
  now: () => Date;
  newId: () => string;
  /** The station's stays: a discharge refunded after HIS's booking was cancelled is unsettled again. */
  stays?: Pick<StaysRepo, 'byIptNo' | 'update'>;
}

const Fen = z.number().int().nonnegative();

export const UploadPayload = z.object({
  medOrgOrd: z.string().min(1),
  payAuthNo: z.string().min(1),
  idNo: z.string(),
  idType: z.string(),
  userName: z.string(),
  psnNo: z.string(),
  insutype: z.string(),
  medType: z.string(),
  iptOtpNo: z.string(),
  deptCode: z.string(),
  deptName: z.string(),
  chrgBchno: z.string(),
  begntime: z.string(),
  acctUsedFlag: z.enum(['0', '1']),
  lines: z.array(
    z.object({
      feedetlSn: z.string(),
      medListCodg: z.string(),
      medinsListCodg: z.string(),
      cnt: z.string(),
      pric: z.string(),
      amountFen: Fen,
    }),
  ),
});
export type UploadPayload = z.infer<typeof UploadPayload>;

export const PayPayload = z.object({
  payOrdId: z.string().min(1),
  payToken: z.string().min(1),
  payAuthNo: z.string().min(1),
  mdtrtId: z.string().min(1),
  chrgBchno: z.string().min(1),
  acctUsedFlag: z.enum(['0', '1']),
  who: CentreWho,
});
export type PayPayload = z.infer<typeof PayPayload>;

export const RefundPayload = z.object({
  payOrdId: z.string().min(1),
  payToken: z.string().min(1),
  payAuthNo: z.string().min(1),
  appRefdSn: z.string().min(1),
  totlFen: Fen,
  fundFen: Fen,
  acctFen: Fen,
  cashFen: Fen,
  who: CentreWho,
});
export type RefundPayload = z.infer<typeof RefundPayload>;

export const CancelPayload = z.object({ payOrdId: z.string().min(1), payToken: z.string().min(1), who: CentreWho });
export type CancelPayload = z.infer<typeof CancelPayload>;

export function remote<T>(o: MobilePayOutcome<T>): RemoteOutcome<T> {
  if (o.kind === 'ok') return { kind: 'ok', output: o.value };
  if (o.kind === 'rejected') return { kind: 'rejected', detail: `${o.code} ${o.message}` };
  return { kind: 'unknown', detail: `${o.reason}: ${o.detail}` };
}

/** A remote answer read as "did it happen?": ok is yes, a refusal no. */
export function asQuery<T>(o: RemoteOutcome<T>): QueryOutcome<T> {
  if (o.kind === 'ok') return { kind: 'happened', output: o.output };
  return o.kind === 'rejected' ? { kind: 'did-not-happen' } : { kind: 'unknown', detail: o.detail };
}

export const needsPerson = async () => ({ kind: 'rejected' as const, detail: '医保移动支付结果无法确认，需人工核实' });

export function mobileUploadMovement(d: MobileMovementDeps): Movement<UploadPayload, UploadAnswer> {
  const upload = async (p: UploadPayload) => remote(await d.client.upload(p));
  return {
    kind: MOVEMENT_KINDS.mobileUpload,
    payload: UploadPayload,
    onUnknown: 'query',
    send: (intent) => upload(intent.payload),
    query: async (intent) => asQuery(await upload(intent.payload)),
    async compensate(intent) {
      const found = await upload(intent.payload);
      if (found.kind === 'rejected') return { kind: 'nothing-to-undo' };
      if (found.kind === 'unknown') return found;
      const p = intent.payload;
      const who = { idNo: p.idNo, userName: p.userName, idType: p.idType };
      const revoked = remote(await d.client.revoke({ payOrdId: found.output.payOrdId, payToken: found.output.payToken, ...who }));
      return revoked.kind === 'ok' ? { kind: 'ok' } : revoked;
    },
    newCompensationId: d.newId,
    settle(_db, intent, { final, output }) {
      if (final !== 'succeeded' || !output) return d.orders.update(intent.orderId, { state: 'upload-failed' }, d.now());
      const x = output.extData;
      d.orders.update(
        intent.orderId,
        {
          state: 'uploaded',
          pay_ord_id: output.payOrdId,
          pay_token: output.payToken,
          mdtrt_id: x.mdtrtId,
          fund_fen: x.fundPay,
          acct_fen: x.psnAcctPay,
          own_fen: x.ownPayAmt,
        },
        d.now(),
      );
    },
  };
}

/** The order paid: its parts as the centre settled them, booked once whoever learnt it. */
export function recordPaid(d: Pick<MobileMovementDeps, 'orders' | 'now'>, orderId: string, o: OrderAnswer, source: string): void {
  d.orders.update(
    orderId,
    { state: 'paid', fund_fen: o.fundPay, acct_fen: o.psnAcctPay, own_fen: o.ownPayAmt, hi_doc_sn: o.hiDocSn ?? null },
    d.now(),
  );
  d.orders.book(orderId, 'paid', source, d.now());
}

export function mobilePayMovement(d: MobileMovementDeps): Movement<PayPayload, OrderAnswer> {
  return {
    kind: MOVEMENT_KINDS.mobilePay,
    payload: PayPayload,
    onUnknown: 'query',
    // Never sent again nor undone: asked by 6301 for a day (chaos escalated one whose 6301s failed past a minute),
    // every 5 s while a patient waits on the phone for it (a callback asks at once).
    queryTiming: { ...NEVER_UNDONE_QUERY_TIMING, everyMs: 5_000 },
    send: async ({ payload: { who: _who, ...p } }) => remote(await d.client.pay(p)),
    async query({ payload: p }) {
      const o = remote(await d.client.query({ payOrdId: p.payOrdId, payToken: p.payToken, ...p.who }));
      if (o.kind !== 'ok') return asQuery(o);
      return orderStage(o.output.ordStas) === 'settled' ? { kind: 'happened', output: o.output } : { kind: 'did-not-happen' };
    },
    compensate: needsPerson,
    newCompensationId: d.newId,
    settle(_db, intent, { final, output, direct }) {
      if (final === 'succeeded' && output) return recordPaid(d, intent.orderId, output, direct ? 'answer' : 'resolver');
      d.orders.update(intent.orderId, { state: 'uploaded' }, d.now());
    },
  };
}

export function mobileRefundMovement(d: MobileMovementDeps): Movement<RefundPayload, { appRefdSn: string }> {
  const refund = async ({ who: _who, payToken: _t, ...p }: RefundPayload): Promise<RemoteOutcome<{ appRefdSn: string }>> => {
    const o = remote(await d.client.refund(p));
    if (o.kind !== 'ok') return o;
    if (o.output.refStatus === 'SUCC') return { kind: 'ok', output: { appRefdSn: o.output.appRefdSn } };
    return o.output.refStatus === 'FAIL'
      ? { kind: 'rejected', detail: '医保中心退款失败' }
      : { kind: 'unknown', detail: `refStatus ${o.output.refStatus}` };
  };
  return {
    kind: MOVEMENT_KINDS.mobileRefund,
    payload: RefundPayload,
    onUnknown: 'query',
    queryTiming: NEVER_UNDONE_QUERY_TIMING,
    send: (intent) => refund(intent.payload),
    async query({ payload: p }) {
      const o = remote(await d.client.query({ payOrdId: p.payOrdId, payToken: p.payToken, ...p.who }));
      if (o.kind !== 'ok') return asQuery(o);
      if (o.output.refunds?.some((r) => r.appRefdSn === p.appRefdSn)) return { kind: 'happened', output: { appRefdSn: p.appRefdSn } };
      return asQuery(await refund(p));
    },
    compensate: needsPerson,
    newCompensationId: d.newId,
    settle(_db, intent, { final, direct }) {
      if (final !== 'succeeded') {
        // Not refunded: the bill as it was — an outpatient bill HIS had booked stays booked.
        const row = d.orders.get(intent.orderId);
        return d.orders.update(intent.orderId, { state: row?.his_order_no && row.his_settle_id ? 'completed' : 'paid' }, d.now());
      }
      d.orders.update(intent.orderId, { state: 'refunded' }, d.now());
      d.orders.book(intent.orderId, 'refunded', direct ? 'answer' : 'resolver', d.now());
      const row = d.orders.get(intent.orderId);
      if (d.stays && row?.ward_ipt_no) reopenStay({ stays: d.stays, now: d.now }, row.ward_ipt_no, row.pay_ord_id);
    },
  };
}

export function mobileCancelMovement(d: MobileMovementDeps): Movement<CancelPayload, unknown> {
  const revoke = async (p: CancelPayload) => remote(await d.client.revoke({ payOrdId: p.payOrdId, payToken: p.payToken, ...p.who }));
  return {
    kind: MOVEMENT_KINDS.mobileCancel,
    payload: CancelPayload,
    onUnknown: 'query',
    send: (intent) => revoke(intent.payload),
    async query({ payload: p }) {
      const o = remote(await d.client.query({ payOrdId: p.payOrdId, payToken: p.payToken, ...p.who }));
      if (o.kind !== 'ok') return asQuery(o);
      const stage = orderStage(o.output.ordStas);
      if (stage === 'cancelled') return { kind: 'happened', output: o.output };
      return stage === 'settled' ? { kind: 'did-not-happen' } : asQuery(await revoke(p));
    },
    compensate: needsPerson,
    newCompensationId: d.newId,
    settle(_db, intent, { final }) {
      d.orders.update(intent.orderId, { state: final === 'succeeded' ? 'cancelled' : 'uploaded' }, d.now());
    },
  };
}

export function mobileMovements(d: MobileMovementDeps): Movement<never, never>[] {
  return [
    mobileUploadMovement(d),
    mobilePayMovement(d),
    mobileCentrePaidMovement(d),
    mobileRefundMovement(d),
    mobileCancelMovement(d),
  ] as unknown as Movement<never, never>[];
}
