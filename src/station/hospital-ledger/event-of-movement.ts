/**
 * Which final movements are ledger events, and what each says. Only money that moved (succeeded) or was undone
 * after it may have moved (compensated) is published; a failed movement moved nothing. Fee uploads (2204/2205,
 * 6201), an upload's withdrawal (6401), HIS's refund application and patient messages move no money and are not
 * events. A mobile payment (6202) and its refund (6203) move two kinds of money in one call — the insurance shares
 * and the self-pay part from the patient's wallet — so each publishes two events (the second's id is the intent's
 * with `SELF_PAY_SUFFIX`).
 */
import { z } from 'zod';
import type { FinalMovement } from '../outbox';
import { LEDGER_EVENT_VERSION, type LedgerAmounts, type LedgerEventKind, type NewLedgerEvent } from './ledger-event';

/** What the order row says once the movement's settle has run (the outpatient OrderRecord fits). */
export interface OrderFacts {
  hisOrderNo: string;
  /** Null for an order nobody at a window made (a patient's phone). */
  operatorId: string | null;
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
  /** A mobile payment's refund serial (appRefdSn): the 退费 its refund steps belong to. */
  refundSn?: string | null;
}

/** The self-pay event's id of a movement that publishes two (mobile payment): the intent id and this. */
export const SELF_PAY_SUFFIX = '.self-pay';

/** 3201's clearing type of an outpatient visit (门诊). */
const CLEARING_OUTPATIENT = '11';
/** ... and of an inpatient stay (住院). */
const CLEARING_INPATIENT = '21';

type Channel = NewLedgerEvent['channel'];
interface Mapping {
  succeeded: LedgerEventKind;
  compensated?: LedgerEventKind;
  channel: Channel;
  /** 医保移动支付: the settlement is the centre's order (setl_id = payOrdId, from the order), and the self-pay part its own event. */
  mobile?: { selfPay: LedgerEventKind };
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
  // 医保移动支付 (the order is the phone's mobile order; its facts name the stay or the outpatient order and the
  // clearing type): 6202 settles the insurance shares and takes the self-pay part from the wallet, 6203 returns both;
  // neither is ever undone by the station (a person decides), so neither has a compensated event. HIS's bookings
  // and their cancels as the window's.
  'mobile.6202': { succeeded: 'settlement', channel: 'nhsa', mobile: { selfPay: 'payment' } },
  // A bill the patient paid in the NHSA app, outside the station's 6202: its callback's 6301 is the same settlement
  'mobile.6301-paid': { succeeded: 'settlement', channel: 'nhsa', mobile: { selfPay: 'payment' } },
  'mobile.6203': { succeeded: 'refund-settlement-cancel', channel: 'nhsa', mobile: { selfPay: 'refund-payment' } },
  'his.mobile-ward-settle': { succeeded: 'his-booking', compensated: 'his-booking-reversed', channel: 'his' },
  'his.mobile-ward-cancel': { succeeded: 'his-booking-reversed', channel: 'his' },
  'his.mobile-clinic-settle': { succeeded: 'his-booking', compensated: 'his-booking-reversed', channel: 'his' },
  'his.mobile-clinic-cancel': { succeeded: 'his-booking-reversed', channel: 'his' },
};

/** A mobile refund's steps: their events name the phone's refund serial as the station's refund. */
const MOBILE_REFUND_STEPS: ReadonlySet<string> = new Set(['mobile.6203', 'his.mobile-ward-cancel', 'his.mobile-clinic-cancel']);

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
    /** 医保移动支付: the centre's order (the trade), its transaction serial, the refund's serial */
    payOrdId: text,
    hiDocSn: text,
    appRefdSn: text,
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

function idsOf(m: FinalMovement, mapping: Mapping, p: Fields, o: Fields, order: OrderFacts | null): NewLedgerEvent['ids'] {
  const { channel } = mapping;
  const ids: NewLedgerEvent['ids'] = {};
  // A mobile payment's intent id is the station's, not a message the national centre saw.
  if (channel === 'nhsa' && !mapping.mobile) ids.msgid = m.externalId;
  const mdtrtId = p.mdtrtId ?? o.mdtrt_id ?? order?.mdtrtId ?? undefined;
  const ownSetlId = p.setlId ?? o.setlinfo?.setl_id ?? (channel === 'nhsa' ? undefined : o.setlId);
  const setlId = ownSetlId ?? (mapping.mobile ? order?.setlId : undefined) ?? undefined;
  if (mdtrtId) ids.mdtrtId = mdtrtId;
  if (setlId) ids.setlId = setlId;
  const trade = p.outTradeNo ?? p.ref ?? p.payOrdId;
  if (trade) ids.outTradeNo = trade;
  const transactionId = o.transactionId ?? o.hiDocSn;
  if (transactionId) ids.transactionId = transactionId;
  const outRefundNo = p.outRefundNo ?? p.appRefdSn;
  if (outRefundNo) ids.outRefundNo = outRefundNo;
  const refundId = channel === 'pay' ? (o.refundId ?? p.refundId) : p.refundId;
  if (refundId) ids.refundId = refundId;
  if (p.settleId) ids.hisSettleId = p.settleId;
  if (o.hisSettleNo) ids.hisSettleNo = o.hisSettleNo;
  if (p.refundId && REFUND_STEPS.has(m.kind)) ids.stationRefundId = p.refundId;
  if (MOBILE_REFUND_STEPS.has(m.kind) && order?.refundSn) ids.stationRefundId = order.refundSn;
  return ids;
}

function walletOf(order: OrderFacts | null, outTradeNo: string | undefined): 'wechat' | 'alipay' | undefined {
  const channel = order?.paid?.find((p) => p.outTradeNo === outTradeNo)?.channel;
  return channel === 'wechat' || channel === 'alipay' ? channel : undefined;
}

/** Every event a final movement publishes: none, one, or a mobile payment's two (insurance, then self-pay). */
export function ledgerEventsOf(
  stationId: string,
  m: FinalMovement,
  order: OrderFacts | null,
  patient?: NewLedgerEvent['patient'],
): NewLedgerEvent[] {
  const mapping = MAPPINGS[m.kind];
  if (!mapping || m.final === 'failed') return [];
  const kind = m.final === 'succeeded' ? mapping.succeeded : mapping.compensated;
  if (!kind) return [];
  const p = fieldsOf(m.payload);
  const o = fieldsOf(m.output);
  const channel = mapping.channel === 'pay' ? (o.wallet ?? p.wallet ?? walletOf(order, p.outTradeNo) ?? 'pay') : mapping.channel;
  const event: NewLedgerEvent = {
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
    ids: idsOf(m, mapping, p, o, order),
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
  const selfPay = mapping.mobile && m.final === 'succeeded' ? selfPayEvent(event, mapping.mobile.selfPay, order) : null;
  return selfPay ? [event, selfPay] : [event];
}

/** The self-pay part of a mobile payment or refund: the wallet's money through the mobile-payment centre. */
function selfPayEvent(insured: NewLedgerEvent, kind: LedgerEventKind, order: OrderFacts | null): NewLedgerEvent | null {
  const cash = order?.split?.cashFen ?? 0;
  if (cash === 0) return null;
  const { insurance: _insurance, ...rest } = insured;
  const { msgid: _msgid, setlId: _setlId, mdtrtId: _mdtrtId, ...ids } = insured.ids;
  return {
    ...rest,
    eventId: `${insured.eventId}${SELF_PAY_SUFFIX}`,
    kind,
    channel: 'mobile',
    amounts: { cash: kind === 'payment' ? cash : -cash },
    ids,
  };
}
