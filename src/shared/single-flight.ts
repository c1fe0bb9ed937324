/**
 * One run per key at a time: a second caller for the same key (the cashier's own call, the resolver's next step,
 * a recovery sweep) joins the run already going and hears its result, instead of taking the same steps twice.
 * The key is free again once the run settles, whichever way.
 */
export class SingleFlight<T> {
  private readonly running = new Map<string, Promise<T>>();
  /** The run asked for after the one going (`runAfter`), shared by everyone who asks before it begins. */
  private readonly queued = new Map<string, Promise<T>>();

  run(key: string, work: () => Promise<T>): Promise<T> {
    const going = this.running.get(key);
    if (going) return going;
    const run = (async () => work())().finally(() => this.running.delete(key));
    this.running.set(key, run);
    return run;
  }

  /**
   * A run that begins after this call: for a caller whose reason to run came after a run going began (that run may
   * have read the state before the change), so joining it would miss the change. With none going it is `run`; with one
   * going, one more follows it, and every caller asking meanwhile shares that one.
   */
  runAfter(key: string, work: () => Promise<T>): Promise<T> {
    const going = this.running.get(key);
    if (!going) return this.run(key, work);
    const waiting = this.queued.get(key);
    if (waiting) return waiting;
    const next = going
      .catch(() => undefined)
      .then(() => {
        this.queued.delete(key);
        return this.run(key, work);
      });
    this.queued.set(key, next);
    return next;
  }

  /** Whether a run of `key` is going now. */
  has(key: string): boolean {
    return this.running.has(key);
  }

  /** Settles once the run of `key` going now has, if any, whichever way it ends. */
  async settled(key: string): Promise<void> {
    await this.running.get(key)?.catch(() => undefined);
    await this.queued.get(key)?.catch(() => undefined);
  }

  /** Settles once every run going now has (a stop waits for them). */
  async quiet(): Promise<void> {
    // A queued run settles after the run it follows and its own.
    await Promise.allSettled([...this.running.values(), ...this.queued.values()]);
  }
}
