/**
 * HIS's own account of a day (日对账, `account.day`): every booking it made that Beijing day (settle.confirm,
 * settle.selfpay, a partial refund's new booking) with its amounts and whether it still stands — from its own
 * ledger, never from what the station says. `BookSkew` makes the account disagree on purpose (a test or a trainer
 * drops a booking from it or alters its amounts): HIS's books, not the station's, are then wrong.
 */
import { beijing } from '../nhsa/clock';
import type { HisLedger } from './ledger';

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

export function dayAccount(ledger: HisLedger, day: string, skew: BookSkew): unknown {
  const bookings = [];
  for (const s of ledger.settlements()) {
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
