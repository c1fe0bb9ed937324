/**
 * The resolver when the station's own database refuses writes (store/storage-errors.ts). A pass that hits one
 * stops, and the next is tried after a growing pause; nothing is sent meanwhile whose intent could not be written
 * first. A movement whose answer came back but could not be recorded stays `prepared` in the file ("stranded"):
 * it is moved to `unknown` — and so queried or undone with its own ids — by the first pass whose writes work.
 */
export class ResolverStorage {
  private readonly stranded = new Set<string>();
  private failures = 0;

  constructor(private readonly pause: { baseMs: number; maxMs: number }) {}

  strand(intentId: string): void {
    this.stranded.add(intentId);
  }

  /** Moves every stranded intent on (`toUnknown` writes); a storage error stops it, the rest wait for the next pass. */
  unstrand(toUnknown: (intentId: string) => void): void {
    for (const id of [...this.stranded]) {
      toUnknown(id);
      this.stranded.delete(id);
    }
  }

  /** A pass failed on storage: how long until the next try. */
  failed(): number {
    this.failures += 1;
    return Math.min(this.pause.maxMs, this.pause.baseMs * 2 ** (this.failures - 1));
  }

  /** A pass wrote what it had to; true when that ends a run of failures. */
  succeeded(): boolean {
    const recovered = this.failures > 0;
    this.failures = 0;
    return recovered;
  }
}
