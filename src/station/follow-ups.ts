/**
 * What the workflows do after a movement finished in the background (the resolver found a QR paid, a 2207 in doubt
 * reversed): HIS books the stay whose shortfall the patient paid, the order's next step runs. The screens heard of
 * the movement when it finished; they are told again once these steps are done, or a screen that read its list on
 * the first word keeps the state from before them (a stay shown 'settled' after HIS booked it). The station's stop
 * waits for the steps under way, so none runs against a closed database.
 */
import { errorFields, type Logger } from './log';
import type { FinalState } from './outbox';

export interface FinishedMovement {
  id: string;
  kind: string;
  orderId: string;
  final: FinalState;
}

/** A workflow that may have a step to take after a movement finished (one not concerned returns at once). */
export interface FollowingWorkflow {
  continueAfter(e: FinishedMovement): Promise<void>;
}

export class FollowUps {
  private readonly running = new Set<Promise<void>>();
  private stopped = false;

  /**
   * @param workflows read when a movement finishes (the workflows are built after the outbox that reports to this)
   * @param announce tells the screens the outbox's state again
   */
  constructor(
    private readonly workflows: () => readonly FollowingWorkflow[],
    private readonly announce: () => void,
    private readonly log: Pick<Logger, 'error'>,
  ) {}

  after(e: FinishedMovement): void {
    if (this.stopped) return;
    const p = Promise.all(this.workflows().map((w) => w.continueAfter(e)))
      .then(
        () => undefined,
        (err: unknown) => this.log.error('next step failed', { intentId: e.id, orderId: e.orderId, ...errorFields(err) }),
      )
      .then(() => {
        if (!this.stopped) this.announce();
      })
      .catch((err: unknown) => this.log.error('announcing the outbox failed', { intentId: e.id, ...errorFields(err) }))
      .finally(() => this.running.delete(p));
    this.running.add(p);
  }

  /** Resolves once no step runs (those a step's own movements started included). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  /** No new steps start and nothing more is said; resolves once those under way have finished. */
  stop(): Promise<void> {
    this.stopped = true;
    return this.idle();
  }
}
