/**
 * HIS books the discharge settlement (inpatient.settle) with the deposits applied to its cash part. Idempotent by
 * the station's settle id, fixed before the first attempt: a lost answer is asked by inpatient.settle.get and, if HIS
 * has nothing under the id, the same booking is sent again. Never undone by the station.
 */
import { z } from 'zod';
import type { HisWardClient, HisWardSettlement } from '../../../insurance/his';
import { fen } from '../../../shared/money';
import { MOVEMENT_KINDS } from '../../movements';
import type { Movement, RemoteOutcome } from '../../outbox';
import type { StaysRepo } from '../stays-repo';
import { NEVER_UNDONE_QUERY_TIMING } from './fee-batch';

const Fen = z.number().int();

export const HisWardSettlePayload = z.object({
  settleId: z.string().min(1),
  iptNo: z.string().min(1),
  kind: z.enum(['midway', 'discharge']),
  uptoLine: z.number().int().positive(),
  mdtrtId: z.string(),
  setlId: z.string(),
  medfeeFen: Fen,
  fundFen: Fen.nonnegative(),
  acctFen: Fen.nonnegative(),
  cashFen: Fen.nonnegative(),
  deposits: z.array(z.object({ depositNo: z.string().min(1), amountFen: Fen.positive() })),
  payments: z.array(
    z.object({
      channel: z.enum(['cash', 'card', 'wechat', 'alipay']),
      outTradeNo: z.string().optional(),
      transactionId: z.string().optional(),
      amountFen: Fen.positive(),
    }),
  ),
  /** Deposits left after the cash part, kept with the booking for the refunds that follow. */
  surplusFen: Fen.nonnegative(),
});
export type HisWardSettlePayload = z.infer<typeof HisWardSettlePayload>;

/**
 * HIS's settle id of a stay's settlement: fixed per stay and settlement, so a second booking of the same (the QR's
 * resolver and the nurse's F8 at once) is answered with the first; a settlement made again after an undo has its own.
 */
export const wardSettleId = (stayId: string, setlId: string) => `ZY${stayId.replaceAll('-', '')}${setlId.slice(-30)}`;

export interface HisWardBookingDeps {
  his: Pick<HisWardClient, 'settle' | 'settlement'>;
  stays: StaysRepo;
  newMsgid: () => string;
  now: () => Date;
}

export function hisWardBookingMovement(d: HisWardBookingDeps): Movement<HisWardSettlePayload, HisWardSettlement> {
  const book = async (p: HisWardSettlePayload): Promise<RemoteOutcome<HisWardSettlement>> => {
    const o = await d.his.settle({
      ...p,
      medfeeFen: fen(p.medfeeFen),
      fundFen: fen(p.fundFen),
      acctFen: fen(p.acctFen),
      cashFen: fen(p.cashFen),
      deposits: p.deposits.map((x) => ({ depositNo: x.depositNo, amountFen: fen(x.amountFen) })),
      payments: p.payments.map((x) => ({ ...x, amountFen: fen(x.amountFen) })),
    });
    if (o.kind === 'ok') return { kind: 'ok', output: o.value };
    if (o.kind === 'rejected') return { kind: 'rejected', detail: `${o.code} ${o.message}` };
    return { kind: 'unknown', detail: `${o.reason}: ${o.detail}` };
  };
  return {
    kind: MOVEMENT_KINDS.hisWardSettle,
    payload: HisWardSettlePayload,
    onUnknown: 'query',
    queryTiming: NEVER_UNDONE_QUERY_TIMING,
    send: (intent) => book(intent.payload),
    async query(intent) {
      const o = await d.his.settlement(intent.payload.settleId);
      if (o.kind === 'ok') return { kind: 'happened', output: o.value };
      if (o.kind === 'unknown') return { kind: 'unknown', detail: o.detail };
      const again = await book(intent.payload);
      if (again.kind === 'ok') return { kind: 'happened', output: again.output };
      // HIS's refusal kept: a booking sent again (IT's rebook, a lost answer) and refused waits for a person with it.
      return again.kind === 'rejected' ? { kind: 'did-not-happen', detail: again.detail } : { kind: 'unknown', detail: again.detail };
    },
    compensate: async () => ({ kind: 'rejected', detail: 'HIS 出院结算登记结果无法确认，需人工核实' }),
    newCompensationId: d.newMsgid,
    settle(_db, intent, { final, output }) {
      const stay = d.stays.get(intent.orderId);
      if (!stay) return;
      if (intent.payload.kind === 'midway') return settleMidway(d, stay.id, intent.payload, final === 'succeeded' ? output : undefined);
      // Not booked (HIS refused): the stay stays settled at the centre, for the nurse to book again or a person.
      if (final !== 'succeeded' || !output) return d.stays.update(stay.id, { state: 'settled' }, d.now());
      const booking = {
        hisSettleNo: output.hisSettleNo,
        invoiceNo: output.invoiceNo,
        deposits: output.deposits,
        surplusFen: intent.payload.surplusFen,
      };
      d.stays.update(stay.id, { state: 'completed', booking }, d.now());
    },
  };
}

/**
 * A mid-stay booking: the stay goes on admitted either way; booked, its settlement in the stay's list is; refused,
 * the settlement waits "settled" for the nurse's 中途结算 again (deposits topped up at HIS) or a person.
 */
function settleMidway(d: HisWardBookingDeps, stayId: string, p: HisWardSettlePayload, output: HisWardSettlement | undefined): void {
  if (output) {
    const booking = { hisSettleNo: output.hisSettleNo, invoiceNo: output.invoiceNo, deposits: output.deposits, surplusFen: p.surplusFen };
    d.stays.midway.booked(p.setlId, booking, d.now());
  }
  d.stays.update(stayId, { state: 'admitted' }, d.now());
}
