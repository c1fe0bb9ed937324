/**
 * Ships the station's ledger events to the hospital ledger: oldest first, in batches, at least once (marked shipped
 * only after the ledger stored them; a repeat is ignored there by its key). While the ledger cannot be reached it
 * waits and tries again — a station offline for hours ships its whole backlog, in order, when it is back.
 */
import type { LedgerEventsRepo } from './ledger-events-repo';
import type { HospitalLedger } from './ledger-port';

export interface ShipperOptions {
  now: () => Date;
  batchSize?: number;
  /** Between looks when all is shipped (new events also ask for a look at once through `kick`). */
  idleMs?: number;
  /** The first pause after a failure; doubles up to `maxPauseMs`. */
  retryMs?: number;
  maxPauseMs?: number;
  log?: (message: string) => void;
  /** After each batch the ledger stored (its last seq): monitoring, and tests that wait for a shipment. */
  shipped?: (lastSeq: number) => void;
  /** The database's durability barrier: an event the ledger holds must never be lost here to a power cut. */
  durable?: () => Promise<void>;
}

export class LedgerShipper {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private started = false;
  private pauseMs = 0;
  private lastError: string | null = null;

  constructor(
    private readonly events: LedgerEventsRepo,
    private readonly ledger: HospitalLedger,
    private readonly opts: ShipperOptions,
  ) {}

  start(): void {
    this.started = true;
    this.kick();
  }

  async stop(): Promise<void> {
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => 0);
  }

  /** A new event was committed: ship it soon. */
  kick(): void {
    if (this.started) void this.shipNow().catch(() => 0);
  }

  /** The last failure's words, null once shipping works again (`ledger status`). */
  get error(): string | null {
    return this.lastError;
  }

  /** Ships everything unshipped now; returns how many events were shipped. Throws when the ledger refuses. */
  shipNow(): Promise<number> {
    this.running ??= this.shipAll().finally(() => {
      this.running = null;
      this.schedule();
    });
    return this.running;
  }

  private async shipAll(): Promise<number> {
    const size = this.opts.batchSize ?? 500;
    let shipped = 0;
    try {
      for (;;) {
        const batch = this.events.unshipped(size);
        if (batch.length === 0) break;
        await this.opts.durable?.();
        await this.ledger.append(batch);
        this.events.markShipped(
          batch.map((e) => e.seq),
          this.opts.now(),
        );
        shipped += batch.length;
        this.opts.shipped?.(batch.at(-1)!.seq);
      }
    } catch (e) {
      this.lastError = e instanceof Error ? e.message : String(e);
      const base = this.opts.retryMs ?? 1_000;
      this.pauseMs = Math.min(this.opts.maxPauseMs ?? 60_000, this.pauseMs ? this.pauseMs * 2 : base);
      this.opts.log?.(`[ledger] shipping failed, next try in ${this.pauseMs} ms: ${this.lastError}`);
      throw e;
    }
    this.lastError = null;
    this.pauseMs = 0;
    return shipped;
  }

  private schedule(): void {
    if (!this.started) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.kick(), this.pauseMs || (this.opts.idleMs ?? 5_000));
    this.timer.unref?.();
  }
}
