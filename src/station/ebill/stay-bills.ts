/**
 * The fiscal e-bill of an inpatient discharge (AQ-15 / SX-02 / SX-03, busType 01): issued once HIS booked the
 * discharge settlement (busNo = that booking's settle id), in the background — the nurse is not held — and by the
 * inpatient sweep after a stop; red-flushed once the settlement was undone (HIS cancelled its booking), naming who
 * asked the undo. The same two movements as an order's bill (ebill-movements.ts), on the stay: a lost issue is looked
 * up by busNo before anything is sent again. Nothing here moves money or holds up the undo: a red-flush the platform
 * refuses (the bill reimbursed, 已报销入账) is recorded as such and shown on the stay, for a person.
 */
import type { EBillPort } from '../../insurance/ebill';
import type { OrderEBillView } from '../../shared/domain';
import { SingleFlight } from '../../shared/single-flight';
import { MOVEMENT_KINDS } from '../movements';
import { OrderLockedError, type Outbox } from '../outbox';
import type { Db } from '../store';
import { redFlushPayload, registerEBillMovements } from './ebill-movements';
import { EBillsRepo, viewOf, type EBillRecord } from './ebills-repo';
import { issueRequest, type BillableOrder } from './issue-request';

/** The stay's discharge booking as it stands: busNo null while none is booked (not yet, or undone). */
export interface StayBooked {
  state: string;
  busNo: string | null;
  /** Who a red-flush names when nobody's undo is on record (a bill from before migration 039). */
  operatorName: string;
}

export interface StayBillsDeps {
  db: Db;
  outbox: Outbox;
  port: EBillPort;
  placeCode: string;
  now: () => Date;
  bookedOf: (stayId: string) => StayBooked | undefined;
  /** The stay as its bill needs it (asked of HIS: the lines the booking covers, its deposits and payments). */
  billableOf: (stayId: string) => Promise<BillableOrder>;
  /** Every screen sees the stay's bill as it changes. */
  changed?: (stayId: string) => void;
  log: (message: string, error: unknown) => void;
}

export const STAY_UNDO_REASON = '出院结算撤销';

/**
 * The outbox key of a stay's bill movements: not the stay's own, so a bill in doubt never locks the stay (the nurse's
 * surplus refund right after the booking, an undo) — the bill follows the stay, it does not hold it.
 */
export const stayBillKey = (stayId: string) => `ebill:${stayId}`;
/** The stay a bill movement's key names, or null for any other movement's. */
export const stayOfBillKey = (orderId: string): string | null => (orderId.startsWith('ebill:') ? orderId.slice(6) : null);

export class StayBills {
  readonly repo: EBillsRepo;
  /** One issue or red-flush at a time per stay: the booking's follow-up, the resolver and the sweep may meet. */
  private readonly running = new SingleFlight<void>();
  private readonly background = new Set<Promise<void>>();

  constructor(private readonly d: StayBillsDeps) {
    this.repo = new EBillsRepo(d.db);
    registerEBillMovements(d.outbox, { port: d.port, repo: this.repo, now: d.now });
  }

  /** After HIS booked the discharge (or undone): the bill's work in the background, its failure logged for the sweep. */
  follow(stayId: string): void {
    // A run that begins after this word: one going (the issue, say) may have read the stay before what changed (an undo).
    const p = this.running
      .runAfter(stayId, () => this.bringOnce(stayId))
      .catch((e: unknown) => this.d.log(`e-bill of stay ${stayId} not brought up to date`, e))
      .finally(() => this.background.delete(p));
    this.background.add(p);
  }

  /**
   * An undo of the discharge settlement was asked: its operator is written on the stay's issued bills before anything
   * is undone, so the red-flush that follows the undo (follow, once it is over) names them even after a stop.
   */
  asked(stayId: string, askedBy: string): void {
    // One still in doubt too: found issued after the undo, its red-flush names them as well.
    for (const bill of this.repo.ofStay(stayId))
      if (bill.state === 'issued' || bill.state === 'issuing') this.repo.askRedFlush(bill.busNo, askedBy, this.d.now());
  }

  /** Red-flushes the bills whose booking is gone, then issues the current booking's if it has none. */
  bring(stayId: string): Promise<void> {
    return this.running.run(stayId, () => this.bringOnce(stayId));
  }

  /**
   * Stays changed since `since`: a booking without a bill, a bill whose booking is gone; and refused bills IT asked
   * to issue again. One stay that cannot be brought up to date (HIS unreachable) is logged and the others go on.
   */
  async sweep(since: Date): Promise<void> {
    for (const id of new Set([...this.repo.staysChangedSince(since), ...this.repo.staysOwingReissue()])) await this.bringLogged(id);
  }

  /** The refused bills IT asked to issue again (`ebill reissue`), sent in the background (the resolver's idle pass). */
  reissueAsked(): void {
    for (const id of this.repo.staysOwingReissue()) this.follow(id);
  }

  async quiet(): Promise<void> {
    await Promise.allSettled([...this.background]);
  }

  /** The stay's latest bill, as the bedside and the window show it. */
  view(stayId: string): OrderEBillView | null {
    const bill = this.repo.ofStay(stayId).at(-1);
    return bill ? viewOf(bill) : null;
  }

  private bringLogged(stayId: string): Promise<void> {
    return this.bring(stayId).catch((e: unknown) => this.d.log(`e-bill of stay ${stayId} not brought up to date`, e));
  }

  private async bringOnce(stayId: string): Promise<void> {
    for (const bill of this.gone(stayId)) {
      const operator = bill.redAskedBy ?? this.d.bookedOf(stayId)?.operatorName ?? '';
      const payload = redFlushPayload(bill, STAY_UNDO_REASON, operator, this.d.now(), this.d.placeCode);
      const r = await this.run(stayId, () =>
        this.d.outbox.run(MOVEMENT_KINDS.ebillRedFlush, { orderId: stayBillKey(stayId), externalId: `EBR${bill.busNo}`, payload }),
      );
      if (r !== 'succeeded') return;
    }
    const booked = this.d.bookedOf(stayId);
    if (booked?.state !== 'completed' || !booked.busNo) return;
    // Issued, in doubt or refused: left as it is, unless IT asked a refused one issued again (same busNo).
    const known = this.repo.byBusNo(booked.busNo);
    if (known && !(known.state === 'refused' && known.reissueAsked)) return;
    const bill = await this.d.billableOf(stayId);
    const again = this.d.bookedOf(stayId); // HIS was asked meanwhile: the booking may have been undone
    if (again?.state !== 'completed' || again.busNo !== booked.busNo || bill.busNo !== booked.busNo) return;
    const payload = issueRequest(bill, this.d.placeCode);
    const now = this.d.now();
    await this.run(stayId, () =>
      this.d.outbox.run(MOVEMENT_KINDS.ebillIssue, {
        orderId: stayBillKey(stayId),
        // Each request its own intent, the busNo the same (one settlement, one bill).
        externalId: known ? `EB${bill.busNo}-${known.attempts + 1}` : `EB${bill.busNo}`,
        payload,
        prepare: () => (known ? this.repo.reissue(bill.busNo, now) : this.repo.begin({ stayId }, bill.busNo, bill.totalFen, now)),
      }),
    );
  }

  /** The stay's issued bills whose booking is gone (the settlement undone, or settled again under a new id). */
  private gone(stayId: string): EBillRecord[] {
    const booked = this.d.bookedOf(stayId);
    if (!booked || booked.state === 'in-doubt') return []; // a step being resolved: the booking may stand yet
    const live = booked.state === 'completed' ? booked.busNo : null;
    return this.repo.ofStay(stayId).filter((b) => b.state === 'issued' && b.busNo !== live && b.billCode && b.billNo);
  }

  /** One movement of the stay's bill; another of it in doubt leaves this one to the sweep. */
  private async run(stayId: string, run: () => Promise<{ state: string }>): Promise<string> {
    try {
      const r = await run();
      this.d.changed?.(stayId);
      return r.state;
    } catch (e) {
      if (e instanceof OrderLockedError) return 'locked';
      throw e;
    }
  }
}
