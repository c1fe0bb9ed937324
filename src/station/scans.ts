/**
 * Codes the scan boxes read, held in the core. The renderer learns a scan's id and kind, never its content:
 * an e-voucher QR is a bearer credential and is neither logged nor sent across IPC. A scan is used once and
 * expires, so a stale code cannot be replayed from a screen.
 */
import { randomUUID } from 'node:crypto';
import type { ScanEvent, ScanKind } from '../shared/domain';

interface HeldScan extends ScanEvent {
  code: string;
  expiresAt: number;
}

/**
 * Retention: a scan nobody takes (a payment code with no order waiting, a code the screen did not want) stays until
 * it expires, and at most MAX_HELD_SCANS are held at once, the oldest dropped first — a scan box stuck repeating a
 * code cannot fill the core's memory within the expiry.
 */
export const MAX_HELD_SCANS = 1_000;

export class ScanRegistry {
  private readonly scans = new Map<string, HeldScan>();

  constructor(
    private readonly ttlMs = 120_000,
    private readonly now: () => number = Date.now,
    private readonly maxHeld = MAX_HELD_SCANS,
  ) {}

  hold(deviceId: string, code: string, kind: ScanKind): ScanEvent {
    this.sweep();
    const t = this.now();
    const scan: HeldScan = { scanId: randomUUID(), deviceId, kind, at: new Date(t).toISOString(), code, expiresAt: t + this.ttlMs };
    this.scans.set(scan.scanId, scan);
    // Insertion order is age order: the first ones are the oldest.
    for (const id of this.scans.keys()) {
      if (this.scans.size <= this.maxHeld) break;
      this.scans.delete(id);
    }
    return { scanId: scan.scanId, deviceId, kind, at: scan.at };
  }

  /** How many scans are held now (for tests and the IT panel). */
  get size(): number {
    return this.scans.size;
  }

  /** Takes the scan out (single use); undefined when unknown or expired. */
  take(scanId: string): { code: string; kind: ScanKind; deviceId: string } | undefined {
    this.sweep();
    const scan = this.scans.get(scanId);
    if (!scan) return undefined;
    this.scans.delete(scanId);
    return { code: scan.code, kind: scan.kind, deviceId: scan.deviceId };
  }

  private sweep(): void {
    const t = this.now();
    for (const [id, s] of this.scans) if (s.expiresAt <= t) this.scans.delete(id);
  }
}
