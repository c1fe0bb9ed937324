/**
 * Every book checked on its own (issue 18): the station's view of its orders against the centre's, HIS's and the
 * payment platform's books, read from the simulators' own ledgers (`control.books()`). One function per invariant;
 * each returns the violations it found, each naming the order. Used by the chaos harness; integration tests may
 * use them the same way.
 *
 * What each order's state promises of the other books:
 *   completed                      the platform kept the cash share, HIS booked it once with the split, the centre
 *                                  holds its one settlement (insured) and nothing else left open for it
 *   waiting for a person           the money was taken but HIS did not book it (refused, or not confirmed): the
 *   (insurance-settled, HIS failed) platform kept the cash share, HIS holds nothing, the centre its one settlement
 *   refunded                       like anything else below (the booking cancelled, the cash share refunded, the
 *                                  settlement cancelled, fee batch and visit closed), and HIS's refund application done
 *   anything else                  nothing anywhere: no money kept, no booking, no open visit, fee batch or settlement;
 *                                  no refund application of it left approved at HIS
 *
 * Books are matched to orders by what the other side itself recorded, not by what the station says it did: the
 * centre's visits by ipt_otp_no (HIS's order number) and its fee batches and settlements by their visit; HIS's
 * bookings by order_no; the platform's trades by the trade numbers the station used, the ones HIS booked, and
 * otherwise by the HIS order number every out_trade_no starts with (src/station/ids.ts).
 */
import type { CentreBooks } from '../../src/simulators/nhsa';
import type { HisBooks } from '../../src/simulators/his';
import type { PayBooks } from '../../src/simulators/pay-channel';

/** The station's view of one order, from its own database. Amounts in fen. */
export interface StationOrder {
  /** HIS's order number: the station's order as the other books know it. */
  orderNo: string;
  state: string;
  mode: 'insurance' | 'self-pay';
  /** The split of the current round (null when none: open, reversed, ...). */
  split: { totalFen: number; fundFen: number; acctFen: number; cashFen: number } | null;
  mdtrtId: string | null;
  setlId: string | null;
  /** Every out_trade_no the station used for the order (any attempt, any outcome). */
  outTradeNos: string[];
  /** Left for a person: HIS did not book it although the money was taken (the order stays insurance-settled). */
  waitingForPerson: boolean;
  /** Cash at the window (the station's own drawer, no platform): taken less paid back. Absent: none. */
  drawerFen?: number;
  /** Bank card at the window (the POS terminal, no platform): charged less given back, as the station recorded it. */
  cardFen?: number;
}

export interface Books {
  centre: CentreBooks;
  his: HisBooks;
  pay: PayBooks;
  /** The POS terminal's own ledger (absent: no terminal): the money each REF keeps charged. */
  terminal?: { ref: string; keptFen: number }[];
  /** The e-bill gateway's bills (absent: no e-bills), by the busNo the station gave each: HIS's settle id. */
  ebills?: { busNo: string; totalFen: number; isScarlet: boolean }[];
  /**
   * HIS's ward bookings of the stations' discharges, live or cancelled (absent: no stays), from the ward's own books:
   * a stay's bill is matched by HIS's settle number (busNo), the stay named by its 住院号.
   */
  wardBookings?: { busNo: string; iptNo: string; medfeeFen: number; state: 'settled' | 'cancelled' }[];
}

export type Invariant =
  'platform-money' | 'cash-drawer' | 'card-terminal' | 'his-booking' | 'centre-settlement' | 'double-charge' | 'his-refund' | 'ebill';

export interface Violation {
  invariant: Invariant;
  /** HIS's order number ('?' when a book's entry belongs to no order at all). */
  orderNo: string;
  detail: string;
}

/** What the order's state promises: the cash kept at the platform, HIS bookings, centre settlements. */
export function expected(o: StationOrder): { cashFen: number; bookings: number; settlements: number } {
  const insured = o.mode === 'insurance' ? 1 : 0;
  if (o.state === 'completed') return { cashFen: o.split?.cashFen ?? 0, bookings: 1, settlements: insured };
  if (o.waitingForPerson && o.state === 'insurance-settled') return { cashFen: o.split?.cashFen ?? 0, bookings: 0, settlements: insured };
  return { cashFen: 0, bookings: 0, settlements: 0 };
}

/** The platform's trades per HIS order number, with the money each kept (SUCCESS, less its refunds). */
export function tradesByOrder(orders: readonly StationOrder[], books: Books): Map<string, { outTradeNo: string; keptFen: number }[]> {
  const owner = new Map<string, string>();
  for (const b of books.his.bookings) for (const p of b.payments) if (p.outTradeNo) owner.set(p.outTradeNo, b.orderNo);
  for (const o of orders) for (const no of o.outTradeNos) owner.set(no, o.orderNo);
  const byPrefix = [...orders].sort((a, b) => b.orderNo.length - a.orderNo.length);
  const refunded = new Map<string, number>();
  for (const r of books.pay.refunds)
    if (r.state !== 'CHANGE') refunded.set(r.out_trade_no, (refunded.get(r.out_trade_no) ?? 0) + r.refund_fee);
  const result = new Map<string, { outTradeNo: string; keptFen: number }[]>();
  for (const t of books.pay.trades) {
    const orderNo = owner.get(t.out_trade_no) ?? byPrefix.find((o) => t.out_trade_no.startsWith(o.orderNo))?.orderNo ?? '?';
    const keptFen = t.state === 'SUCCESS' ? t.total_fee - (refunded.get(t.out_trade_no) ?? 0) : 0;
    result.set(orderNo, [...(result.get(orderNo) ?? []), { outTradeNo: t.out_trade_no, keptFen }]);
  }
  return result;
}

/** Per order, the platform's successful trades less their refunds equal the cash share promised (0 unless completed). */
export function platformMoney(orders: readonly StationOrder[], books: Books): Violation[] {
  const trades = tradesByOrder(orders, books);
  const out: Violation[] = [];
  for (const o of orders) {
    const kept = (trades.get(o.orderNo) ?? []).reduce((sum, t) => sum + t.keptFen, 0);
    // Cash taken at the window is the drawer's, not the platform's: the platform keeps the rest of the share.
    const drawer = (o.drawerFen ?? 0) + (o.cardFen ?? 0);
    const want = expected(o).cashFen - drawer;
    if (want < 0 || drawer < 0) {
      out.push({
        invariant: 'cash-drawer',
        orderNo: o.orderNo,
        detail: `the drawer kept ${drawer} fen, the order (${o.mode} ${o.state}) promises ${expected(o).cashFen} in all`,
      });
      continue;
    }
    if (kept !== want)
      out.push({
        invariant: 'platform-money',
        orderNo: o.orderNo,
        detail: `the platform kept ${kept} fen (${describeTrades(trades.get(o.orderNo))}), the order (${o.mode} ${o.state}) promises ${want}`,
      });
  }
  const known = new Set(orders.map((o) => o.orderNo));
  for (const [orderNo, list] of trades) {
    if (known.has(orderNo)) continue;
    const kept = list.reduce((sum, t) => sum + t.keptFen, 0);
    if (kept !== 0)
      out.push({
        invariant: 'platform-money',
        orderNo,
        detail: `the platform kept ${kept} fen of no station order (${describeTrades(list)})`,
      });
  }
  return out;
}

/** HIS holds exactly one live booking per completed order and none otherwise, its amounts the split and its payments kept. */
export function hisBookings(orders: readonly StationOrder[], books: Books): Violation[] {
  const out: Violation[] = [];
  const live = books.his.bookings.filter((b) => b.state === 'settled');
  const trades = tradesByOrder(orders, books);
  for (const o of orders) {
    const mine = live.filter((b) => b.orderNo === o.orderNo);
    const want = expected(o).bookings;
    if (mine.length !== want) {
      out.push({
        invariant: 'his-booking',
        orderNo: o.orderNo,
        detail: `HIS holds ${mine.length} live booking(s), the order (${o.mode} ${o.state}) promises ${want}`,
      });
      continue;
    }
    const b = mine[0];
    if (!b || !o.split) continue;
    const s = o.split;
    if (
      b.medfeeFen !== s.totalFen ||
      b.cashFen !== s.cashFen ||
      (b.kind === 'insured' && (b.fundFen !== s.fundFen || b.acctFen !== s.acctFen))
    )
      out.push({
        invariant: 'his-booking',
        orderNo: o.orderNo,
        detail: `HIS booked ${b.medfeeFen}/${b.fundFen}/${b.acctFen}/${b.cashFen}, the split is ${s.totalFen}/${s.fundFen}/${s.acctFen}/${s.cashFen}`,
      });
    const keptTrades = new Map((trades.get(o.orderNo) ?? []).map((t) => [t.outTradeNo, t.keptFen]));
    for (const p of b.payments)
      if (p.channel === 'card' && p.amountFen !== (o.cardFen ?? 0))
        out.push({
          invariant: 'his-booking',
          orderNo: o.orderNo,
          detail: `HIS booked card ${p.amountFen} fen; the terminal kept ${o.cardFen ?? 0}`,
        });
      else if (p.channel === 'cash' && p.amountFen !== (o.drawerFen ?? 0))
        out.push({
          invariant: 'his-booking',
          orderNo: o.orderNo,
          detail: `HIS booked cash of ${p.amountFen} fen; the drawer kept ${o.drawerFen ?? 0}`,
        });
      else if (p.channel !== 'cash' && p.channel !== 'card' && p.outTradeNo && keptTrades.get(p.outTradeNo) !== p.amountFen)
        out.push({
          invariant: 'his-booking',
          orderNo: o.orderNo,
          detail: `HIS booked payment ${p.outTradeNo} of ${p.amountFen} fen; the platform kept ${keptTrades.get(p.outTradeNo) ?? 0} of it`,
        });
  }
  const known = new Set(orders.map((o) => o.orderNo));
  for (const b of live)
    if (!known.has(b.orderNo))
      out.push({ invariant: 'his-booking', orderNo: b.orderNo, detail: `HIS booked ${b.settleId} for no station order` });
  return out;
}

/**
 * The centre holds exactly one live settlement per completed insured order (the station's, with the split's amounts)
 * and nothing else left open for it; for any order not completed, no open visit, no live fee batch, no live settlement.
 */
export function centreSettlements(orders: readonly StationOrder[], books: Books): Violation[] {
  const out: Violation[] = [];
  const { visits, feeBatches, settlements } = books.centre;
  const orderOfVisit = new Map(visits.filter((v) => v.kind === 'outpatient').map((v) => [v.mdtrt_id, v.ipt_otp_no]));
  const known = new Set(orders.map((o) => o.orderNo));
  for (const o of orders) {
    const mine = new Set(visits.filter((v) => v.ipt_otp_no === o.orderNo && v.kind === 'outpatient').map((v) => v.mdtrt_id));
    const liveSettlements = settlements.filter((s) => mine.has(s.mdtrt_id) && s.state === 'settled');
    const want = expected(o).settlements;
    const say = (detail: string) =>
      out.push({ invariant: 'centre-settlement', orderNo: o.orderNo, detail: `${detail} (${o.mode} ${o.state})` });
    if (liveSettlements.length !== want) say(`the centre holds ${liveSettlements.length} live settlement(s), the order promises ${want}`);
    const s = liveSettlements[0];
    if (want === 1 && liveSettlements.length === 1 && s && o.split) {
      const p = o.split;
      if (s.setl_id !== o.setlId || s.mdtrt_id !== o.mdtrtId)
        say(`the centre's settlement is ${s.mdtrt_id}/${s.setl_id}, the station's ${o.mdtrtId}/${o.setlId}`);
      if (s.medfee_sumamt !== p.totalFen || s.fund_pay_sumamt !== p.fundFen || s.acct_pay !== p.acctFen || s.psn_cash_pay !== p.cashFen)
        say(
          `the centre settled ${s.medfee_sumamt}/${s.fund_pay_sumamt}/${s.acct_pay}/${s.psn_cash_pay}, the split is ${p.totalFen}/${p.fundFen}/${p.acctFen}/${p.cashFen}`,
        );
    }
    // What may stay open: the visit of the settlement the order keeps, and its fee batches.
    const kept = want === 1 && s ? s.mdtrt_id : null;
    const openVisits = visits.filter((v) => mine.has(v.mdtrt_id) && v.state === 'open' && v.mdtrt_id !== kept);
    if (openVisits.length) say(`the centre has visit(s) ${openVisits.map((v) => v.mdtrt_id).join(', ')} still open`);
    const liveBatches = feeBatches.filter((b) => mine.has(b.mdtrt_id) && b.state === 'live' && b.mdtrt_id !== kept);
    if (liveBatches.length) say(`the centre has fee batch(es) ${liveBatches.map((b) => b.chrg_bchno).join(', ')} still live`);
  }
  for (const s of settlements)
    if (s.state === 'settled' && !known.has(orderOfVisit.get(s.mdtrt_id) ?? ''))
      out.push({
        invariant: 'centre-settlement',
        orderNo: orderOfVisit.get(s.mdtrt_id) ?? '?',
        detail: `live settlement ${s.setl_id} of no station order`,
      });
  for (const v of visits)
    if (v.state === 'open' && v.kind === 'outpatient' && !known.has(v.ipt_otp_no))
      out.push({ invariant: 'centre-settlement', orderNo: v.ipt_otp_no, detail: `open visit ${v.mdtrt_id} of no station order` });
  return out;
}

/** Double charges, from the platform's and HIS's own books: a second trade that kept money, a second live booking. */
export function doubleCharges(orders: readonly StationOrder[], books: Books): Violation[] {
  const out: Violation[] = [];
  for (const [orderNo, list] of tradesByOrder(orders, books)) {
    const paid = list.filter((t) => t.keptFen > 0);
    for (const t of paid.slice(1))
      out.push({
        invariant: 'double-charge',
        orderNo,
        detail: `a second trade kept money: ${t.outTradeNo} (${t.keptFen} fen) after ${paid[0]!.outTradeNo}`,
      });
  }
  // The POS terminal's ledger: a second sale of one order still charged (a lost answer sent again as a new sale).
  const owner = new Map<string, string>();
  for (const o of orders) for (const no of o.outTradeNos) owner.set(no, o.orderNo);
  const sales = new Map<string, string[]>();
  for (const t of books.terminal ?? [])
    if (t.keptFen > 0) sales.set(owner.get(t.ref) ?? '?', [...(sales.get(owner.get(t.ref) ?? '?') ?? []), t.ref]);
  for (const [orderNo, refs] of sales)
    for (const ref of refs.slice(1))
      out.push({ invariant: 'double-charge', orderNo, detail: `a second card sale kept money: ${ref} after ${refs[0]}` });
  const bookings = new Map<string, string[]>();
  for (const b of books.his.bookings) if (b.state === 'settled') bookings.set(b.orderNo, [...(bookings.get(b.orderNo) ?? []), b.settleId]);
  for (const [orderNo, ids] of bookings)
    for (const id of ids.slice(1)) out.push({ invariant: 'double-charge', orderNo, detail: `HIS booked it again: ${id} after ${ids[0]}` });
  return out;
}

/**
 * HIS's refund applications (退费申请): a refunded order has exactly one whole one, done; an order not refunded has
 * no whole one done (a partial one — 部分退费, some lines — done leaves the rest of the bill standing); no order has
 * one left approved (an approval nothing followed: HIS would hold the bill as being refunded while the station says
 * otherwise).
 */
export function hisRefunds(orders: readonly StationOrder[], books: Books): Violation[] {
  const out: Violation[] = [];
  const orderOfSettle = new Map(books.his.bookings.map((b) => [b.settleId, b.orderNo]));
  const byOrder = new Map<string, HisBooks['refunds']>();
  for (const r of books.his.refunds) {
    const orderNo = orderOfSettle.get(r.settleId) ?? '?';
    byOrder.set(orderNo, [...(byOrder.get(orderNo) ?? []), r]);
  }
  for (const o of orders) {
    const mine = byOrder.get(o.orderNo) ?? [];
    const done = mine.filter((r) => r.state === 'done' && r.lines === 0).length;
    const approved = mine.filter((r) => r.state === 'approved').length;
    const say = (detail: string) => out.push({ invariant: 'his-refund', orderNo: o.orderNo, detail: `${detail} (${o.mode} ${o.state})` });
    if (o.state === 'refunded' && done !== 1) say(`HIS holds ${done} done refund application(s), the refunded order promises 1`);
    if (o.state !== 'refunded' && done !== 0) say(`HIS holds ${done} done refund application(s) of an order not refunded`);
    if (approved !== 0) say(`HIS holds ${approved} refund application(s) still approved`);
  }
  const known = new Set(orders.map((o) => o.orderNo));
  for (const [orderNo, list] of byOrder)
    if (!known.has(orderNo))
      out.push({ invariant: 'his-refund', orderNo, detail: `${list.length} refund application(s) of no station order` });
  return out;
}

/** Per order, what the POS terminal's own ledger keeps charged under the order's REFs is what the station recorded. */
export function terminalMoney(orders: readonly StationOrder[], books: Books): Violation[] {
  if (!books.terminal) return [];
  const out: Violation[] = [];
  const owner = new Map<string, string>();
  for (const o of orders) for (const no of o.outTradeNos) owner.set(no, o.orderNo);
  const kept = new Map<string, number>();
  for (const t of books.terminal) {
    const orderNo = owner.get(t.ref) ?? '?';
    kept.set(orderNo, (kept.get(orderNo) ?? 0) + t.keptFen);
  }
  for (const o of orders)
    if ((kept.get(o.orderNo) ?? 0) !== (o.cardFen ?? 0))
      out.push({
        invariant: 'card-terminal',
        orderNo: o.orderNo,
        detail: `the terminal kept ${kept.get(o.orderNo) ?? 0} fen, the station recorded ${o.cardFen ?? 0} by card`,
      });
  if ((kept.get('?') ?? 0) !== 0)
    out.push({ invariant: 'card-terminal', orderNo: '?', detail: `the terminal kept ${kept.get('?')} fen of no station order` });
  return out;
}

/**
 * The fiscal e-bills (AQ-15), by what the gateway and HIS each recorded: every live HIS booking of the stations'
 * orders has exactly one bill (its busNo is the booking's settle id), live, for the booking's amount; a booking HIS
 * cancelled (a refund, whole or by line) has its bill red-flushed; no bill belongs to anything HIS never booked.
 */
export function eBills(
  orders: readonly StationOrder[],
  books: Pick<Books, 'ebills' | 'wardBookings'> & { his: Pick<HisBooks, 'bookings'> },
): Violation[] {
  if (!books.ebills) return [];
  const mine = new Set(orders.map((o) => o.orderNo));
  const out: Violation[] = [];
  const bills = new Map<string, { busNo: string; totalFen: number; isScarlet: boolean }[]>();
  for (const b of books.ebills) bills.set(b.busNo, [...(bills.get(b.busNo) ?? []), b]);
  const booked = new Set<string>();
  const bookings = [
    ...books.his.bookings
      .filter((b) => mine.has(b.orderNo))
      .map((b) => ({ busNo: b.settleId, orderNo: b.orderNo, medfeeFen: b.medfeeFen, live: b.state === 'settled' })),
    ...(books.wardBookings ?? []).map((b) => ({ busNo: b.busNo, orderNo: b.iptNo, medfeeFen: b.medfeeFen, live: b.state === 'settled' })),
  ];
  for (const booking of bookings) {
    booked.add(booking.busNo);
    const found = bills.get(booking.busNo) ?? [];
    const say = (detail: string) => out.push({ invariant: 'ebill', orderNo: booking.orderNo, detail: `${booking.busNo}: ${detail}` });
    if (found.length > 1) say(`${found.length} bills under one busNo`);
    const bill = found[0];
    if (booking.live) {
      if (!bill) say('booked at HIS, no e-bill');
      else if (bill.isScarlet) say('booked at HIS, its e-bill red-flushed');
      else if (bill.totalFen !== booking.medfeeFen) say(`e-bill of ${bill.totalFen} fen for a booking of ${booking.medfeeFen}`);
    } else if (bill && !bill.isScarlet) say('HIS cancelled the booking, its e-bill is still live');
  }
  for (const [busNo, list] of bills)
    if (!booked.has(busNo))
      for (const b of list) out.push({ invariant: 'ebill', orderNo: '?', detail: `e-bill ${busNo} (${b.totalFen} fen) of no HIS booking` });
  return out;
}

/** Every invariant over the books. */
export function checkBooks(orders: readonly StationOrder[], books: Books): Violation[] {
  return [
    ...platformMoney(orders, books),
    ...terminalMoney(orders, books),
    ...hisBookings(orders, books),
    ...centreSettlements(orders, books),
    ...doubleCharges(orders, books),
    ...hisRefunds(orders, books),
    ...eBills(orders, books),
  ];
}

function describeTrades(list: { outTradeNo: string; keptFen: number }[] | undefined): string {
  if (!list?.length) return 'no trades';
  return list.map((t) => `${t.outTradeNo}:${t.keptFen}`).join(', ');
}
