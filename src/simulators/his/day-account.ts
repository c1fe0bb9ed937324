/**
 * HIS's own account of a day (日对账, `account.day`): every booking it made that Beijing day — the outpatient ones
 * (settle.confirm, settle.selfpay, a partial refund's new booking) and the ward's (inpatient.settle: mid-stay and
 * discharge, at the bedside or paid on the phone; order_no is the stay's 住院号) — with its amounts and whether it
 * still stands, from its own books (both subsystems), never from what the station says. `BookSkew` makes the account disagree on purpose (a test or a trainer
 * drops a booking from it or alters its amounts): HIS's books, not the station's, are then wrong.
 */
import { beijing } from '../nhsa/clock';
import type { HisLedger } from './ledger';
import type { WardLedger } from './ward-ledger';

export type SkewChange = { drop: true } | { medfeeFen?: number; cashFen?: number };

export class BookSkew {
  private readonly changes = new Map<string, SkewChange>();

  /** From now on the account reports this booking dropped or with these amounts. */
  disagree(settleId: string, change: SkewChange): void {
    this.changes.set(settleId, change);
  }

  agree(): void {
    this.changes.clear();
  }

  of(settleId: string): SkewChange | undefined {
    return this.changes.get(settleId);
  }
}

const yuanText = (fen: number) => `${Math.trunc(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;

/** One booking as either subsystem keeps it: the ward's stay stands in for the outpatient order. */
interface Booking {
  settle_id: string;
  his_settle_no: string;
  order_no: string;
  kind: 'insured' | 'selfpay';
  setl_id: string;
  medfee_fen: number;
  cash_fen: number;
  state: 'settled' | 'cancelled';
  settled_at: number;
}

function bookingsOf(ledger: HisLedger, ward: WardLedger): Booking[] {
  const clinic: Booking[] = ledger.settlements();
  // A stay settled self-pay has no settlement at the centre (no setl_id): HIS books it as self-pay.
  const stays: Booking[] = ward
    .settlements()
    .map((s) => ({ ...s, order_no: s.ipt_no, kind: s.setl_id === '' ? ('selfpay' as const) : ('insured' as const) }));
  return [...clinic, ...stays].sort((a, b) => a.settled_at - b.settled_at || a.settle_id.localeCompare(b.settle_id));
}

export function dayAccount(ledger: HisLedger, ward: WardLedger, day: string, skew: BookSkew): unknown {
  const bookings = [];
  for (const s of bookingsOf(ledger, ward)) {
    if (beijing(new Date(s.settled_at)).display.slice(0, 10) !== day) continue;
    const change = skew.of(s.settle_id);
    if (change && 'drop' in change) continue;
    const medfee = change && 'medfeeFen' in change && change.medfeeFen !== undefined ? change.medfeeFen : s.medfee_fen;
    const cash = change && 'cashFen' in change && change.cashFen !== undefined ? change.cashFen : s.cash_fen;
    bookings.push({
      settle_id: s.settle_id,
      his_settle_no: s.his_settle_no,
      order_no: s.order_no,
      kind: s.kind,
      setl_id: s.setl_id,
      medfee_sumamt: yuanText(medfee),
      psn_cash_pay: yuanText(cash),
      state: s.state,
      settle_time: beijing(new Date(s.settled_at)).display,
    });
  }
  return { day, count: bookings.length, bookings };
}
