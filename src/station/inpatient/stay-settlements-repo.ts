/**
 * A stay's mid-stay settlements (中途结算): each 2304 with mid_setl_flag 1 the centre made, written in the transaction
 * that records it final, and HIS's 'midway' booking of it once made. A row still "settled" is what a repeated
 * 中途结算 resumes (HIS's booking), and what a discharge must wait for: HIS's unsettled bill counts its lines until then.
 */
import type { Db } from '../store';
import type { FieldCipher } from '../security';
import type { StayBooking, StaySettlement } from './stays-repo';

export interface MidstaySettlement {
  stayId: string;
  state: 'settled' | 'booked';
  settlement: StaySettlement;
  booking: StayBooking | null;
  createdAt: string;
}

interface Row {
  setl_id: string;
  stay_id: string;
  state: 'settled' | 'booked';
  upto_line: number;
  settlement_sealed: string;
  booking_sealed: string | null;
  created_at: string;
}

export class StaySettlementsRepo {
  constructor(
    private readonly db: Db,
    private readonly cipher: FieldCipher,
  ) {}

  /** The centre's 2304 made: idempotent by setl_id (a movement settled twice writes it once). */
  add(stayId: string, settlement: StaySettlement, at: Date): void {
    this.db
      .prepare(
        `INSERT OR IGNORE INTO stay_settlements (setl_id, stay_id, state, upto_line, settlement_sealed, created_at, updated_at)
         VALUES (?, ?, 'settled', ?, ?, ?, ?)`,
      )
      .run(settlement.setlId, stayId, settlement.uptoLine, this.cipher.sealJson(settlement), at.toISOString(), at.toISOString());
  }

  booked(setlId: string, booking: StayBooking, at: Date): void {
    this.db
      .prepare(`UPDATE stay_settlements SET state = 'booked', booking_sealed = ?, updated_at = ? WHERE setl_id = ?`)
      .run(this.cipher.sealJson(booking), at.toISOString(), setlId);
  }

  /** The stay's mid-stay settlements, oldest first. */
  of(stayId: string): MidstaySettlement[] {
    return this.db
      .prepare<[string], Row>(`SELECT * FROM stay_settlements WHERE stay_id = ? ORDER BY upto_line, created_at`)
      .all(stayId)
      .map((r) => ({
        stayId: r.stay_id,
        state: r.state,
        settlement: this.cipher.openJson<StaySettlement>(r.settlement_sealed),
        booking: r.booking_sealed ? this.cipher.openJson<StayBooking>(r.booking_sealed) : null,
        createdAt: r.created_at,
      }));
  }

  /** The one the centre made and HIS has not booked yet, if any. */
  unbooked(stayId: string): MidstaySettlement | undefined {
    return this.of(stayId).find((s) => s.state === 'settled');
  }
}
