/**
 * The service chaos run's books, each read on its own and checked with zero tolerance, per stay:
 *   - mobile-pay centre: at most one order paid and not refunded per stay (a second is a double charge; a stay is paid
 *     again only after its refund); a refunded order has
 *     exactly one refund and one refund at most (a second is a double charge); every wallet holds what it was given
 *     less the self-pay part of its orders still paid
 *   - HIS's ward: exactly one live discharge settlement per stay paid at the centre (setl_id = pay_ord_id, the same
 *     amounts), none for a stay not paid or refunded (two is a double charge); a stay refunded and not paid again is
 *     discharged and unsettled at the station
 *   - the station: no movement in doubt (intents prepared/unknown/compensating: unresolved); no service settlement
 *     left preparing, paying, unknown or refunding (stuck); each settlement's state the centre's (paid ⇔ settled,
 *     refunded ⇔ refunded, failed ⇔ nothing paid); an escalated movement, and a stay paid that HIS refused to book
 *     (the station's stay settled, not completed), wait for a person and are counted so
 *   - the phones: one told "paid" was paid (and not refunded behind its back), one told "refunded" was refunded, one
 *     told "failed" was not charged; every stay paid in the end, no phone gave up (stuck)
 *   - the e-bill gateway (test/harness/books.ts `eBills`): every live HIS discharge booking has exactly one live bill
 *     for its amount (busNo = HIS's settle number), a cancelled one's is red-flushed, no bill of nothing; a bill still
 *     owed at the station (a completed stay without one, one in doubt, one live on a stay no longer booked) is unresolved
 */
import Database from 'better-sqlite3';
import type { HisControl } from '../../src/simulators/his';
import type { EBillSimulatorControl } from '../../src/simulators/ebill';
import { eBills } from '../harness/books';
import type { MobilePayControl } from '../../src/simulators/mobile-pay';
import type { PhoneOutcome, PhonePlan } from './service-phones';

export type ServiceInvariant =
  'centre_paid_once' | 'centre_refund_once' | 'wallet' | 'his_booking' | 'station_agrees' | 'phone_told' | 'stay_unpaid' | 'ebill';

export interface ServiceFinding {
  invariant: ServiceInvariant;
  stay: string;
  detail: string;
}

export interface ServiceBooks {
  findings: ServiceFinding[];
  byInvariant: Record<ServiceInvariant, number>;
  discrepancies: number;
  doubleCharges: number;
  unresolved: number;
  stuck: number;
  waitingForPerson: number;
  paid: number;
  refunded: number;
}

const SETTLED = new Set(['4', '8']);

export function checkServiceBooks(o: {
  dbPath: string;
  mobile: Pick<MobilePayControl, 'ledger'>;
  his: Pick<HisControl, 'ward'>;
  plans: readonly PhonePlan[];
  outcomes: readonly PhoneOutcome[];
  /** payAuthNo -> 住院号: every authorisation a phone was given. */
  walletOf: ReadonlyMap<string, string>;
  walletFen: number;
  /** The e-bill gateway, when the run has one. */
  ebill?: Pick<EBillSimulatorControl, 'bills'>;
}): ServiceBooks {
  const findings: ServiceFinding[] = [];
  let doubleCharges = 0;
  const find = (invariant: ServiceInvariant, stay: string, detail: string, double = false) => {
    findings.push({ invariant, stay, detail });
    if (double) doubleCharges += 1;
  };
  const ledger = o.mobile.ledger;
  const orders = ledger.orders();
  const refunds = ledger.refunds();
  const stayOfAuth = (payAuthNo: string) => o.walletOf.get(payAuthNo);
  const booked = o.his.ward.wardBooks().settlements.filter((s) => s.kind === 'discharge' && s.state === 'settled');

  const station = stationBooks(o.dbPath, o.ebill !== undefined);
  const { unresolved, settlements } = station;
  let waitingForPerson = station.escalated;
  let stuck = station.stuck;

  let paid = 0;
  let refunded = 0;
  for (const plan of o.plans) {
    const stay = plan.iptNo;
    const mine = orders.filter((r) => stayOfAuth(r.pay_auth_no) === stay);
    const settled = mine.filter((r) => SETTLED.has(r.ord_stas));
    // Paid again only after a refund: two orders paid and not refunded is a double charge.
    const paidNow = mine.filter((r) => r.ord_stas === '4');
    if (paidNow.length > 1)
      find('centre_paid_once', stay, `${paidNow.length} orders paid: ${paidNow.map((r) => r.pay_ord_id).join(', ')}`, true);
    const live = paidNow[0];
    if (live) paid += 1;
    for (const r of mine) {
      const back = refunds.filter((f) => f.pay_ord_id === r.pay_ord_id);
      if (back.length > 1) find('centre_refund_once', stay, `${r.pay_ord_id} refunded ${back.length} times`, true);
      if ((r.ord_stas === '8') !== (back.length === 1))
        find('centre_refund_once', stay, `${r.pay_ord_id} is ${r.ord_stas} with ${back.length} refunds`);
      if (r.ord_stas === '8') refunded += 1;
    }
    if (!settled.length) {
      const refusal = o.outcomes.find((x) => x.iptNo === stay)?.lastRefusal ?? '';
      find('stay_unpaid', stay, `no order paid (${mine.map((r) => `${r.pay_ord_id}:${r.ord_stas}`).join(', ') || 'none'}) ${refusal}`);
    }

    const his = booked.filter((b) => b.iptNo === stay);
    if (his.length > 1) find('his_booking', stay, `${his.length} live discharge settlements at HIS`, true);
    if (!live && his.length > 0) find('his_booking', stay, `booked at HIS (${his[0]!.setlId}) with no order paid at the centre`);
    // Refunded and not paid again: discharged and unsettled at the station, HIS's booking cancelled (checked above).
    if (!live && settled.length > 0 && station.stays.get(stay) !== 'discharged')
      find('station_agrees', stay, `every order refunded, the station's stay ${station.stays.get(stay)} (not discharged)`);
    // HIS refused the booking: the station holds the stay settled (paid, not booked) for the window to take up.
    if (live && his.length === 0 && station.stays.get(stay) === 'settled') waitingForPerson += 1;
    else if (live && his.length === 0)
      find('his_booking', stay, `${live.pay_ord_id} paid, not booked at HIS, the station's stay ${station.stays.get(stay)}`);
    if (live && his.length === 1) {
      const b = his[0]!;
      const want = {
        setlId: live.pay_ord_id,
        medfeeFen: live.fee_sumamt,
        fundFen: live.fund_pay,
        acctFen: live.psn_acct_pay,
        cashFen: live.own_pay_amt,
      };
      const got = { setlId: b.setlId, medfeeFen: b.medfeeFen, fundFen: b.fundFen, acctFen: b.acctFen, cashFen: b.cashFen };
      if (JSON.stringify(want) !== JSON.stringify(got))
        find('his_booking', stay, `HIS ${JSON.stringify(got)} ≠ centre ${JSON.stringify(want)}`);
    }

    for (const s of settlements.filter((x) => x.ipt_no === stay)) {
      const order = ledger.orderByMedOrgOrd(s.id);
      const at = order?.ord_stas ?? 'none';
      const agrees = s.state === 'paid' ? at === '4' : s.state === 'refunded' ? at === '8' : s.state === 'failed' ? !SETTLED.has(at) : true;
      if (!agrees) find('station_agrees', stay, `settlement ${s.id} is ${s.state}, the centre's order ${at}`);
    }
  }

  for (const out of o.outcomes) {
    for (const [id, told] of out.told) {
      const at = ledger.orderByMedOrgOrd(id)?.ord_stas ?? 'none';
      const right = told === 'paid' || told === 'refund-refused' ? at === '4' : told === 'refunded' ? at === '8' : !SETTLED.has(at);
      if (!right) find('phone_told', out.iptNo, `settlement ${id}: the phone was told ${told}, the centre's order is ${at}`);
    }
    for (const b of out.broken) find('phone_told', out.iptNo, b);
    if (out.gaveUp) {
      stuck += 1;
      find('stay_unpaid', out.iptNo, 'the phone gave up waiting for an answer');
    }
  }

  // The discharges' e-bills against HIS's ward bookings of the run's stays, live or cancelled.
  if (o.ebill) {
    const stays = new Set(o.plans.map((p) => p.iptNo));
    const wardBookings = o.his.ward
      .wardBooks()
      .settlements.filter((x) => x.kind === 'discharge' && stays.has(x.iptNo))
      .map((x) => ({ busNo: x.hisSettleNo, iptNo: x.iptNo, medfeeFen: x.medfeeFen, state: x.state }));
    const ebills = o.ebill.bills().map((b) => ({ busNo: b.busNo, totalFen: b.totalFen, isScarlet: b.isScarlet }));
    for (const v of eBills([], { his: { bookings: [] }, ebills, wardBookings })) find('ebill', v.orderNo, v.detail);
  }

  // Each wallet: what it was given less the self-pay part of its orders still paid (a refunded one gave it back).
  for (const [payAuthNo, stay] of o.walletOf) {
    const charged = orders.filter((r) => r.pay_auth_no === payAuthNo && r.ord_stas === '4').reduce((n, r) => n + r.own_pay_amt, 0);
    const holds = ledger.auth(payAuthNo)?.wallet_fen;
    if (holds !== o.walletFen - charged) find('wallet', stay, `${payAuthNo} holds ${holds} fen, should ${o.walletFen - charged}`);
  }

  const byInvariant = Object.fromEntries(
    (
      ['centre_paid_once', 'centre_refund_once', 'wallet', 'his_booking', 'station_agrees', 'phone_told', 'stay_unpaid', 'ebill'] as const
    ).map((k) => [k, findings.filter((f) => f.invariant === k).length]),
  ) as Record<ServiceInvariant, number>;
  return {
    findings,
    byInvariant,
    discrepancies: findings.length - doubleCharges,
    doubleCharges,
    unresolved,
    stuck,
    waitingForPerson,
    paid,
    refunded,
  };
}

/** The station's own records: movements in doubt, escalated ones, and the service's settlements. */
/** `withBills`: a discharge's e-bill still owed counts as unresolved (the run has an e-bill gateway). */
export function stationBooks(dbPath: string, withBills = false) {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    const intents = db.prepare('SELECT state, count(*) AS n FROM intents GROUP BY state').all() as { state: string; n: number }[];
    const count = (state: string) => intents.find((r) => r.state === state)?.n ?? 0;
    const settlements = db.prepare('SELECT id, ipt_no, state, pay_order_id FROM service_settlements').all() as {
      id: string;
      ipt_no: string;
      state: string;
      pay_order_id: string | null;
    }[];
    // A discharge's bill still owed (its booking's number is sealed): a completed stay wants an issued bill, any other none.
    const billsOwed = !withBills
      ? { n: 0 }
      : (db
          .prepare(
            `SELECT count(*) AS n FROM inpatient_stays s
          WHERE (s.state = 'completed' AND NOT EXISTS (SELECT 1 FROM ebills e WHERE e.stay_id = s.id AND e.state = 'issued'))
             OR EXISTS (SELECT 1 FROM ebills e WHERE e.stay_id = s.id AND e.state = 'issuing')
             OR (s.state NOT IN ('completed', 'in-doubt') AND EXISTS (SELECT 1 FROM ebills e WHERE e.stay_id = s.id AND e.state = 'issued'))`,
          )
          .get() as { n: number });
    return {
      unresolved: count('prepared') + count('unknown') + count('compensating') + billsOwed.n,
      escalated: count('escalated'),
      stays: new Map(
        (db.prepare('SELECT ipt_no, state FROM inpatient_stays').all() as { ipt_no: string; state: string }[]).map((r) => [
          r.ipt_no,
          r.state,
        ]),
      ),
      settlements,
      stuck: settlements.filter((s) => ['preparing', 'paying', 'unknown', 'refunding'].includes(s.state)).length,
    };
  } finally {
    db.close();
  }
}
