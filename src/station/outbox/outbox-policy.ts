/** How patiently the outbox resolves an intent whose outcome is unknown, and when it hands it to a person. */
export interface OutboxPolicy {
  /** Definite non-resolving answers before escalation. */
  maxAttempts: number;
  /** Age after which an open intent is escalated whatever happened. */
  maxAgeMs: number;
  /** First and largest pause between resolver looks at one intent. */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** For 'query' movements: how long "the remote cannot tell" is tolerated before compensating. */
  queryWindowMs: number;
  /**
   * No action on an unknown intent younger than this: a request whose answer we lost (or whose sender crashed)
   * may still be on its way to the remote. Reversing before it lands would find "nothing to undo", and the late
   * original would then commit unseen — a one-sided record (单边账). At least twice the remote's timeout.
   */
  settleTimeMs: number;
}

export const DEFAULT_OUTBOX_POLICY: OutboxPolicy = {
  maxAttempts: 8,
  maxAgeMs: 24 * 3600_000,
  backoffBaseMs: 1000,
  backoffMaxMs: 60_000,
  queryWindowMs: 60_000,
  settleTimeMs: 60_000,
};

/** The resolver's longest sleep: an intent another process wrote (IT's command line) is looked at within it. */
export const IDLE_LOOK_MS = 30_000;
