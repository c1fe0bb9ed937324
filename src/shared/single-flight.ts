/**
 * One run per key at a time: a second caller for the same key (the cashier's own call, the resolver's next step,
 * a recovery sweep) joins the run already going and hears its result, instead of taking the same steps twice.
 * The key is free again once the run settles, whichever way.
 */
export class SingleFlight<T> {
  private readonly running = new Map<string, Promise<T>>();

  run(key: string, work: () => Promise<T>): Promise<T> {
    const going = this.running.get(key);
    if (going) return going;
    const run = (async () => work())().finally(() => this.running.delete(key));
    this.running.set(key, run);
    return run;
  }

  /** Whether a run of `key` is going now. */
  has(key: string): boolean {
    return this.running.has(key);
  }

  /** Settles once the run of `key` going now has, if any, whichever way it ends. */
  async settled(key: string): Promise<void> {
    await this.running.get(key)?.catch(() => undefined);
  }

  /** Settles once every run going now has (a stop waits for them). */
  async quiet(): Promise<void> {
    await Promise.allSettled([...this.running.values()]);
  }
}
