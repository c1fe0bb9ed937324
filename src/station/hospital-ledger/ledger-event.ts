/**
 * A ledger event: one final money movement of one station, immutable once written. The station writes it in the
 * transaction that records the movement final; the hospital ledger keeps it once per (stationId, eventId).
 * Amounts are integer fen by leg, signed from the hospital's side: money in is positive, money back negative.
 */
import { z } from 'zod';

/** Bumped when a field changes meaning; a receiver keeps every version it has seen. */
export const LEDGER_EVENT_VERSION = 1;

export const LEDGER_EVENT_KINDS = [
  'registration',
  'registration-cancel',
  'registration-reversed',
  'settlement',
  'settlement-reversed',
  'settlement-cancel',
  'payment',
  'payment-reversed',
  'his-booking',
  'his-booking-reversed',
  'refund-settlement-cancel',
  'refund-payment',
  'refund-his-confirm',
] as const;
export type LedgerEventKind = (typeof LEDGER_EVENT_KINDS)[number];

const fen = z.number().int();
const id = z.string().min(1).max(64);

export const LedgerAmountsSchema = z.object({ total: fen, fund: fen, pool: fen, account: fen, cash: fen }).partial().strict();
export type LedgerAmounts = z.infer<typeof LedgerAmountsSchema>;

export const LedgerIdsSchema = z
  .object({
    msgid: id,
    mdtrtId: id,
    setlId: id,
    outTradeNo: id,
    transactionId: id,
    outRefundNo: id,
    refundId: id,
    hisSettleId: id,
    hisSettleNo: id,
    /**
     * The station's 退费 a refund step belongs to (2208, the rest resettled, the money back, HIS's confirm): what
     * the hospital's refunds list groups them by. Added after v1 and optional: older events lack it.
     */
    stationRefundId: id,
  })
  .partial()
  .strict();

export const LedgerEventSchema = z
  .object({
    v: z.literal(LEDGER_EVENT_VERSION),
    stationId: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/),
    /** The idempotent key: the outbox intent that reached its final state (one intent, one final state). */
    eventId: id,
    /** The station's own order of its events (SQLite's autoincrement); a shipper sends them in this order. */
    seq: z.number().int().positive(),
    kind: z.enum(LEDGER_EVENT_KINDS),
    /** The outbox movement kind it came from (nhsa.2207, pay.micropay …). */
    movement: z.string().min(1).max(40),
    outcome: z.enum(['succeeded', 'compensated']),
    orderId: id,
    hisOrderNo: z.string().max(64).nullable(),
    operatorId: z.string().max(64).nullable(),
    /** Who reached the final state: the station's call, the resolver, or the operator who decided it. */
    actor: z.string().min(1).max(64),
    at: z.iso.datetime({ offset: true }),
    /**
     * Where the money moved: the national centre (insurance shares), a wallet through the payment platform (wechat,
     * alipay; pay when unknown), cash, a bank card, HIS (bookings), or `mobile` — 医保移动支付's self-pay part, taken
     * from the patient's wallet by the NHSA mobile-payment centre, which pays it to the hospital itself: it is on no
     * statement of the hospital's own merchant accounts. Added after v1: readers older than it refuse such events.
     */
    channel: z.enum(['nhsa', 'wechat', 'alipay', 'pay', 'cash', 'card', 'his', 'mobile']),
    amounts: LedgerAmountsSchema,
    ids: LedgerIdsSchema,
    /**
     * The centre's grouping of an insurance movement, what 3201 totals are asked by: the insurance type, the insured
     * person's region (setl_optins) and the clearing type (11 outpatient, 21 inpatient); and the centre's person
     * number, which 3202's detail file names (a pseudonymous number: no name, no ID number). Absent on other channels.
     */
    insurance: z
      .object({
        insutype: z.string().min(1).max(6),
        region: z.string().min(1).max(12),
        clrType: z.string().min(1).max(6),
        psnNo: z.string().min(1).max(30),
      })
      .strict()
      .optional(),
    /**
     * The patient's blind lookup tokens under the hospital-wide lookup key (security/hospital-lookup.ts): HMAC-SM3
     * of the ID number and of the normalised name, with the key's id — never the name or ID number. What the office
     * finds a patient's rows by across stations. Added after v1 and optional: older events, and stations without the
     * key, carry none.
     */
    patient: z
      .object({
        keyId: z.string().regex(/^[A-Za-z0-9_-]{1,16}$/),
        certNo: z.string().regex(/^[0-9a-f]{64}$/),
        name: z.string().regex(/^[0-9a-f]{64}$/),
      })
      .strict()
      .optional(),
  })
  .strict();
export type LedgerEvent = z.infer<typeof LedgerEventSchema>;

/** An event as the builder makes it; the station's outbox table gives it its seq. */
export type NewLedgerEvent = Omit<LedgerEvent, 'seq'>;
