/**
 * Arms one timer at a pure parser's idle deadline and lets the parser expire its stale partial frame then.
 * The parser decides by timestamps, so a timer that fires a little early only re-arms, and one that fires
 * late cannot join old bytes to new ones.
 */
export interface IdleExpiring {
  idleDeadline(): number | undefined;
  expireIdle(now: number): boolean;
}

export class IdleTimer {
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly parser: IdleExpiring,
    private readonly monotonicNow: () => number,
  ) {}

  /** Call after every change to the parser: (re)arms the timer, or clears it when nothing is pending. */
  arm(): void {
    this.clear();
    const deadline = this.parser.idleDeadline();
    if (deadline === undefined) return;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.parser.expireIdle(this.monotonicNow());
        this.arm();
      },
      Math.max(0, deadline - this.monotonicNow()),
    );
  }

  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
