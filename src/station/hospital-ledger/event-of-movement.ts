/**
 * Which final movements are ledger events, and what each says. Only money that moved (succeeded) or was undone
 * after it may have moved (compensated) is published; a failed movement moved nothing. Fee uploads (2204/2205),
 * HIS's refund application and patient messages move no money and are not events.
 */
import { z } from 'zod';
import type { FinalMovement } from '../outbox';
import { LEDGER_EVENT_VERSION, type LedgerAmounts, type LedgerEventKind, type NewLedgerEvent } from './ledger-event';

/** What the order row says once the movement's settle has run (the outpatient OrderRecord fits). */
export interface OrderFacts {
  hisOrderNo: string;
  operatorId: string;
  mdtrtId: string | null;
  setlId: string | null;
  split: { totalFen: number; fundFen: number; poolFen: number; accountFen: number; cashFen: number } | null;
  /** The order's paid payments: a refund names its trade, the wallet is the payment's. */
  paid?: readonly { outTradeNo: string; channel: string }[];
  /** The insured person's insurance type and region (empty for a self-pay order). */
  insutype?: string | null;
  insuredRegion?: string | null;
  psnNo?: string | null;
  /** 3201's clearing type: 11 for an outpatient order (the default), 21 for an inpatient stay. */
  clrType?: string;
}

/** 3201's clearing type of an outpatient visit (门诊). */
const CLEARING_OUTPATIENT = '11';
/** ... and of an inpatient stay (住院). */
const CLEARING_INPATIENT = '21';

type Channel = NewLedgerEvent['channel'];
interface Mapping {
  succeeded: LedgerEventKind;
  compensated?: LedgerEventKind;
  channel: Channel;
}

/** Outbox kinds (movements/kinds.ts) → ledger kinds. */
const MAPPINGS: Readonly<Record<string, Mapping>> = {
  'nhsa.2201': { succeeded: 'registration', compensated: 'registration-reversed', channel: 'nhsa' },
  'nhsa.2202': { succeeded: 'registration-cancel', channel: 'nhsa' },
  'nhsa.2207': { succeeded: 'settlement', compensated: 'settlement-reversed', channel: 'nhsa' },
  'nhsa.2208': { succeeded: 'settlement-cancel', channel: 'nhsa' },
  'pay.micropay': { succeeded: 'payment', compensated: 'payment-reversed', channel: 'pay' },
  'pay.qr': { succeeded: 'payment', compensated: 'payment-reversed', channel: 'pay' },
  // Cash at the window (the drawer) and the bank-card POS terminal (its REF is the trade number)
  'cash.take': { succeeded: 'payment', channel: 'cash' },
  'cash.refund': { succeeded: 'refund-payment', channel: 'cash' },
  'pos.sale': { succeeded: 'payment', compensated: 'payment-reversed', channel: 'card' },
  'pos.refund': { succeeded: 'refund-payment', channel: 'card' },
  'his.confirm': { succeeded: 'his-booking', compensated: 'his-booking-reversed', channel: 'his' },
  'his.selfpay': { succeeded: 'his-booking', compensated: 'his-booking-reversed', channel: 'his' },
  'nhsa.2208-refund': { succeeded: 'refund-settlement-cancel', channel: 'nhsa' },
  // 部分退费: the rest of the bill settled again at the centre (a lost one reversed by 2601 like any 2207)
  'nhsa.2207-refund': { succeeded: 'settlement', compensated: 'settlement-reversed', channel: 'nhsa' },
  'pay.refund': { succeeded: 'refund-payment', channel: 'pay' },
  'his.refund-confirm': { succeeded: 'refund-his-confirm', channel: 'his' },
  // Inpatient stays (住院; the stay is the "order", clearing type 21): admission, the discharge settlement, HIS's
  // booking of it with the deposits applied, a surplus deposit back on its wallet and recorded at HIS. Fee batches
  // (2301) and the discharge (2402) move no money.
  'nhsa.2401': { succeeded: 'registration', compensated: 'registration-reversed', channel: 'nhsa' },
  'nhsa.2404': { succeeded: 'registration-cancel', channel: 'nhsa' },
  'nhsa.2304': { succeeded: 'settlement', compensated: 'settlement-reversed', channel: 'nhsa' },
  'his.ward-settle': { succeeded: 'his-booking', compensated: 'his-booking-reversed', channel: 'his' },
  // The window's undo of a discharge settlement: HIS's booking cancelled, then the centre's 2305
  'his.ward-settle-cancel': { succeeded: 'his-booking-reversed', channel: 'his' },
  'nhsa.2305': { succeeded: 'settlement-cancel', channel: 'nhsa' },
  'pay.deposit-refund': { succeeded: 'refund-payment', channel: 'pay' },
  'cash.deposit-refund': { succeeded: 'refund-payment', channel: 'cash' },
  // The shortfall over the deposits, paid at the bedside by payment code or QR
  'pay.ward-micropay': { succeeded: 'payment', compensated: 'payment-reversed', channel: 'pay' },
  'pay.ward-qr': { succeeded: 'payment', compensated: 'payment-reversed', channel: 'pay' },
  'his.deposit-refund': { succeeded: 'refund-his-confirm', channel: 'his' },
};

/** An outpatient 退费's steps that move money: their payloads name the station's refund (`refundId`). */
const REFUND_STEPS: ReadonlySet<string> = new Set([
  'nhsa.2208-refund',
  'nhsa.2207-refund',
  'pay.refund',
  'cash.refund',
  'pos.refund',
  'his.refund-confirm',
]);

export const LEDGER_MOVEMENT_KINDS: readonly string[] = Object.keys(MAPPINGS);

const text = z.string().min(1).optional();
const cents = z.number().int().optional();
/** The fields of the movements' payloads and outputs an event names (each already validated by its movement). */
const Fields = z
  .object({
    operator: z.object({ id: z.string() }).loose().optional(),
    setlId: text,
    mdtrtId: text,
    outTradeNo: text,
    /** the POS terminal's REF: a card sale's trade number */
    ref: text,
    outRefundNo: text,
    refundId: text,
    settleId: text,
    hisSettleNo: text,
    transactionId: text,
    wallet: z.enum(['wechat', 'alipay']).optional(),
    totalFee: cents,
    refundFee: cents,
    medfeeFen: cents,
    fundFen: cents,
    acctFen: cents,
    cashFen: cents,
    mdtrt_id: text,
    setlinfo: z
      .object({ setl_id: text, medfee_sumamt: cents, fund_pay_sumamt: cents, acct_pay: cents, psn_cash_pay: cents })
      .loose()
      .optional(),
  })
  .loose();
type Fields = z.infer<typeof Fields>;

const fieldsOf = (value: unknown): Fields => {
  const parsed = Fields.safeParse(value);
  return parsed.success ? parsed.data : {};
};

const negate = (a: LedgerAmounts): LedgerAmounts =>
  Object.fromEntries(Object.entries(a).map(([k, v]) => [k, v === 0 ? 0 : -v])) as LedgerAmounts;

function splitAmounts(order: OrderFacts | null): LedgerAmounts {
  const s = order?.split;
  return s ? { total: s.totalFen, fund: s.fundFen, pool: s.poolFen, account: s.accountFen, cash: s.cashFen } : {};
}

/** A 2304's split as the centre answered it; the pool share is the fund's (no separate figure), as the stay's facts say. */
function stayAmounts(s: NonNullable<Fields['setlinfo']>): LedgerAmounts {
  const fund = s.fund_pay_sumamt ?? 0;
  return { total: s.medfee_sumamt ?? 0, fund, pool: fund, account: s.acct_pay ?? 0, cash: s.psn_cash_pay ?? 0 };
}

function amountsOf(kind: LedgerEventKind, p: Fields, o: Fields, order: OrderFacts | null): LedgerAmounts {
  switch (kind) {
    case 'settlement':
      // A stay's 2304 says its own split: a mid-stay settlement is not the one the stay's row keeps (the discharge's).
      return order?.clrType === CLEARING_INPATIENT && o.setlinfo?.medfee_sumamt !== undefined
        ? stayAmounts(o.setlinfo)
        : splitAmounts(order);
    case 'settlement-cancel':
    case 'refund-settlement-cancel':
      return negate(splitAmounts(order));
    case 'payment':
      return { cash: o.totalFee ?? p.totalFee ?? 0 };
    case 'refund-payment':
      return { cash: -(o.refundFee ?? p.refundFee ?? 0) };
    case 'his-booking':
      return o.medfeeFen === undefined ? {} : { total: o.medfeeFen, fund: o.fundFen ?? 0, account: o.acctFen ?? 0, cash: o.cashFen ?? 0 };
    default:
      // Registrations move no money; a reversal's amount is what the remote undid, which its own books say.
      return {};
  }
}

function idsOf(m: FinalMovement, channel: Channel, p: Fields, o: Fields, order: OrderFacts | null): NewLedgerEvent['ids'] {
  const ids: NewLedgerEvent['ids'] = {};
  if (channel === 'nhsa') ids.msgid = m.externalId;
  const mdtrtId = p.mdtrtId ?? o.mdtrt_id ?? order?.mdtrtId ?? undefined;
  const setlId = p.setlId ?? o.setlinfo?.setl_id ?? (channel === 'nhsa' ? undefined : o.setlId) ?? undefined;
  if (mdtrtId) ids.mdtrtId = mdtrtId;
  if (setlId) ids.setlId = setlId;
  const trade = p.outTradeNo ?? p.ref;
  if (trade) ids.outTradeNo = trade;
  if (o.transactionId) ids.transactionId = o.transactionId;
  if (p.outRefundNo) ids.outRefundNo = p.outRefundNo;
  const refundId = channel === 'pay' ? (o.refundId ?? p.refundId) : p.refundId;
  if (refundId) ids.refundId = refundId;
  if (p.settleId) ids.hisSettleId = p.settleId;
  if (o.hisSettleNo) ids.hisSettleNo = o.hisSettleNo;
  if (p.refundId && REFUND_STEPS.has(m.kind)) ids.stationRefundId = p.refundId;
  return ids;
}

function walletOf(order: OrderFacts | null, outTradeNo: string | undefined): 'wechat' | 'alipay' | undefined {
  const channel = order?.paid?.find((p) => p.outTradeNo === outTradeNo)?.channel;
  return channel === 'wechat' || channel === 'alipay' ? channel : undefined;
}

/** The event a final movement publishes, or null when it is not one (see the header). */
export function ledgerEventOf(
  stationId: string,
  m: FinalMovement,
  order: OrderFacts | null,
  patient?: NewLedgerEvent['patient'],
): NewLedgerEvent | null {
  const mapping = MAPPINGS[m.kind];
  if (!mapping || m.final === 'failed') return null;
  const kind = m.final === 'succeeded' ? mapping.succeeded : mapping.compensated;
  if (!kind) return null;
  const p = fieldsOf(m.payload);
  const o = fieldsOf(m.output);
  const channel = mapping.channel === 'pay' ? (o.wallet ?? p.wallet ?? walletOf(order, p.outTradeNo) ?? 'pay') : mapping.channel;
  return {
    v: LEDGER_EVENT_VERSION,
    stationId,
    eventId: m.id,
    kind,
    movement: m.kind,
    outcome: m.final,
    orderId: m.orderId,
    hisOrderNo: order?.hisOrderNo ?? null,
    operatorId: p.operator?.id ?? order?.operatorId ?? null,
    actor: m.actor,
    at: m.at.toISOString(),
    channel,
    amounts: amountsOf(kind, p, o, order),
    ids: idsOf(m, mapping.channel, p, o, order),
    ...(mapping.channel === 'nhsa' && order?.insutype && order.insuredRegion && order.psnNo
      ? {
          insurance: {
            insutype: order.insutype,
            region: order.insuredRegion,
            clrType: order.clrType ?? CLEARING_OUTPATIENT,
            psnNo: order.psnNo,
          },
        }
      : {}),
    ...(patient ? { patient } : {}),
  };
}
