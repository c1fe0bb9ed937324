/**
 * One resolver pass at a time, and no request for one missed. A request while a pass is under way used to get that
 * pass's promise only: the pass may have looked for due work, or asked the remote, just before the news (a QR paid
 * meanwhile, an intent just written), and the step in flight may have pushed the intent back on its stale answer —
 * the news then waited for the timer. Now such a request runs one more pass after it, with the orders named in the
 * meantime made due again first; the promise a caller holds covers both.
 */
export class ResolverPasses {
  private current: Promise<number> | null = null;
  private again = false;
  private readonly orders = new Set<string>();

  constructor(
    private readonly parts: {
      /** One pass over what is due: how many intents it finished. */
      pass: () => Promise<number>;
      /** A pass that threw: its retry time decides the next, not another pass at once. */
      failed: (e: unknown) => number;
      /** Makes an order's open intents due now. */
      dueNow: (orderId: string) => void;
      /** After the last pass: set the timer for what is due next. */
      done: () => void;
    },
  ) {}

  /** The pass under way, if any (stopping waits for it). */
  get inFlight(): Promise<number> | null {
    return this.current;
  }

  /** A pass now, or one more after the pass under way. */
  request(): Promise<number> {
    if (this.current) {
      this.again = true;
      return this.current;
    }
    this.current = this.passes().finally(() => {
      this.current = null;
      this.parts.done();
    });
    return this.current;
  }

  /** The order's open intents due now — and again before the next pass, should one be under way. */
  dueNow(orderId: string): void {
    this.parts.dueNow(orderId);
    if (this.current) this.orders.add(orderId);
  }

  private async passes(): Promise<number> {
    let resolved = 0;
    do {
      this.again = false;
      for (const orderId of this.orders) this.parts.dueNow(orderId);
      this.orders.clear();
      try {
        resolved += await this.parts.pass();
      } catch (e) {
        resolved += this.parts.failed(e);
        break;
      }
    } while (this.again);
    return resolved;
  }
}
