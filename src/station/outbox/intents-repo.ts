import type { Db } from '../store';
import type { FieldCipher } from '../security';

export type IntentState = 'prepared' | 'succeeded' | 'failed' | 'unknown' | 'compensating' | 'compensated' | 'escalated';
export type OpenIntentState = 'prepared' | 'unknown' | 'compensating' | 'escalated';
export const OPEN_STATES: readonly OpenIntentState[] = ['prepared', 'unknown', 'compensating', 'escalated'];

export interface IntentRecord {
  id: string;
  kind: string;
  orderId: string;
  externalId: string;
  compExternalId: string | null;
  state: IntentState;
  payload: unknown;
  result: unknown;
  attempts: number;
  nextAt: string | null;
  detail: string;
  createdAt: string;
  updatedAt: string;
}

interface Row {
  id: string;
  kind: string;
  order_id: string;
  external_id: string;
  comp_external_id: string | null;
  state: IntentState;
  payload: string;
  result: string | null;
  attempts: number;
  next_at: string | null;
  detail: string;
  created_at: string;
  updated_at: string;
}

/** SQL for the outbox. Payloads and results are sealed: they carry person numbers, tokens and amounts. */
export class IntentsRepo {
  constructor(
    private readonly db: Db,
    private readonly cipher: FieldCipher,
  ) {}

  insert(i: { id: string; kind: string; orderId: string; externalId: string; payload: unknown }, now: Date): void {
    const at = now.toISOString();
    this.db
      .prepare(
        `INSERT INTO intents (id, kind, order_id, external_id, state, payload, created_at, updated_at)
         VALUES (?, ?, ?, ?, 'prepared', ?, ?, ?)`,
      )
      .run(i.id, i.kind, i.orderId, i.externalId, this.cipher.sealJson(i.payload), at, at);
    this.journal(i.id, null, 'prepared', 'station', '', now);
  }

  get(id: string): IntentRecord | undefined {
    const row = this.db.prepare('SELECT * FROM intents WHERE id = ?').get(id) as Row | undefined;
    return row ? this.decode(row) : undefined;
  }

  /** Moves an intent; the caller runs this inside the transaction that also writes the business effect. */
  transition(
    id: string,
    from: IntentState,
    to: IntentState,
    fields: { result?: unknown; detail?: string; nextAt?: Date | null; attemptsDelta?: number; compExternalId?: string },
    actor: string,
    now: Date,
  ): void {
    const changed = this.db
      .prepare(
        `UPDATE intents SET state = ?, updated_at = ?,
           result = COALESCE(?, result),
           detail = COALESCE(?, detail),
           next_at = CASE WHEN ? THEN ? ELSE next_at END,
           attempts = attempts + ?,
           comp_external_id = COALESCE(?, comp_external_id)
         WHERE id = ? AND state = ?`,
      )
      .run(
        to,
        now.toISOString(),
        fields.result === undefined ? null : this.cipher.sealJson(fields.result),
        fields.detail === undefined ? null : this.cipher.sealText(fields.detail),
        fields.nextAt === undefined ? 0 : 1,
        fields.nextAt ? fields.nextAt.toISOString() : null,
        fields.attemptsDelta ?? 0,
        fields.compExternalId ?? null,
        id,
        from,
      ).changes;
    // A lost race (another resolver pass moved it first) must never apply an effect twice.
    if (changed !== 1) throw new Error(`intent ${id} is no longer ${from}`);
    this.journal(id, from, to, actor, fields.detail ?? '', now);
  }

  reschedule(id: string, nextAt: Date, detail: string, now: Date): void {
    this.db
      .prepare('UPDATE intents SET next_at = ?, detail = ?, updated_at = ? WHERE id = ?')
      .run(nextAt.toISOString(), this.cipher.sealText(detail), now.toISOString(), id);
  }

  /**
   * The kinds that succeeded for an order since its latest successful `anchorKind` (e.g. 2201): an order settled,
   * undone and settled again must not count the first round's cancels as done for the second.
   */
  succeededSince(orderId: string, anchorKind: string): Set<string> {
    const rows = this.db
      .prepare(
        `SELECT DISTINCT kind FROM intents WHERE order_id = ? AND state = 'succeeded' AND rowid > COALESCE(
           (SELECT MAX(rowid) FROM intents WHERE order_id = ? AND kind = ? AND state = 'succeeded'), 0)`,
      )
      .all(orderId, orderId, anchorKind) as { kind: string }[];
    return new Set(rows.map((r) => r.kind));
  }

  /** The order's latest intent of these kinds (e.g. HIS's bookings of a bill), whatever its state. */
  latestOfKinds(orderId: string, kinds: readonly string[]): IntentRecord | undefined {
    const row = this.db
      .prepare(`SELECT * FROM intents WHERE order_id = ? AND kind IN (${kinds.map(() => '?').join(',')}) ORDER BY rowid DESC LIMIT 1`)
      .get(orderId, ...kinds) as Row | undefined;
    return row ? this.decode(row) : undefined;
  }

  /** Open intents of a kind (e.g. QRs shown, waiting for the patient rather than in doubt). */
  openOfKind(kind: string): number {
    const row = this.db
      .prepare(`SELECT count(*) AS n FROM intents WHERE kind = ? AND state IN ('prepared','unknown','compensating')`)
      .get(kind) as { n: number };
    return row.n;
  }

  /** The order's most recently finished intent (what a workflow resumes after). */
  lastFinished(
    orderId: string,
    ignoreKinds: readonly string[] = [],
  ): { kind: string; final: 'succeeded' | 'failed' | 'compensated' } | undefined {
    const row = this.db
      .prepare(
        `SELECT kind, state FROM intents WHERE order_id = ? AND state IN ('succeeded','failed','compensated')
           AND kind NOT IN (SELECT value FROM json_each(?))
         ORDER BY updated_at DESC, rowid DESC LIMIT 1`,
      )
      .get(orderId, JSON.stringify(ignoreKinds)) as { kind: string; state: 'succeeded' | 'failed' | 'compensated' } | undefined;
    return row ? { kind: row.kind, final: row.state } : undefined;
  }

  /** Open intents that block an order (one in doubt locks it). */
  openForOrder(orderId: string): IntentRecord[] {
    const rows = this.db
      .prepare(`SELECT * FROM intents WHERE order_id = ? AND state IN ('prepared','unknown','compensating','escalated')`)
      .all(orderId) as Row[];
    return rows.map((r) => this.decode(r));
  }

  /** Due for the resolver: the oldest open intent of each order, so an order has one movement in flight. */
  due(now: Date, limit: number): IntentRecord[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM intents i
         WHERE state IN ('unknown','compensating') AND (next_at IS NULL OR next_at <= ?)
           AND NOT EXISTS (SELECT 1 FROM intents j WHERE j.order_id = i.order_id
                           AND j.state IN ('unknown','compensating','prepared','escalated') AND j.created_at < i.created_at)
         ORDER BY COALESCE(next_at, created_at) LIMIT ?`,
      )
      .all(now.toISOString(), limit) as Row[];
    return rows.map((r) => this.decode(r));
  }

  nextDueAt(): Date | null {
    const row = this.db
      .prepare(`SELECT MIN(COALESCE(next_at, created_at)) AS t FROM intents WHERE state IN ('unknown','compensating')`)
      .get() as { t: string | null };
    return row.t ? new Date(row.t) : null;
  }

  inState(state: IntentState): IntentRecord[] {
    return (this.db.prepare('SELECT * FROM intents WHERE state = ? ORDER BY created_at').all(state) as Row[]).map((r) => this.decode(r));
  }

  /**
   * The open intents by state: what the alarm, `isBusy` and every `changed` event need. Only these states are
   * looked up (the state index), never the finished history `counts()` walks.
   */
  openCounts(): Record<OpenIntentState, number> {
    const out: Record<OpenIntentState, number> = { prepared: 0, unknown: 0, compensating: 0, escalated: 0 };
    for (const r of this.db
      .prepare(`SELECT state, count(*) AS n FROM intents WHERE state IN ('prepared','unknown','compensating','escalated') GROUP BY state`)
      .all() as { state: OpenIntentState; n: number }[])
      out[r.state] = r.n;
    return out;
  }

  /** Every state, history included (one pass over the state index): for IT's status command, not a hot path. */
  counts(): Record<IntentState, number> {
    const out: Record<IntentState, number> = {
      prepared: 0,
      succeeded: 0,
      failed: 0,
      unknown: 0,
      compensating: 0,
      compensated: 0,
      escalated: 0,
    };
    for (const r of this.db.prepare('SELECT state, count(*) AS n FROM intents GROUP BY state').all() as {
      state: IntentState;
      n: number;
    }[])
      out[r.state] = r.n;
    return out;
  }

  list(limit: number, states?: readonly IntentState[]): IntentRecord[] {
    const rows = states
      ? (this.db
          .prepare(`SELECT * FROM intents WHERE state IN (${states.map(() => '?').join(',')}) ORDER BY created_at DESC LIMIT ?`)
          .all(...states, limit) as Row[])
      : (this.db.prepare('SELECT * FROM intents ORDER BY created_at DESC LIMIT ?').all(limit) as Row[]);
    return rows.map((r) => this.decode(r));
  }

  transitions(id: string): { at: string; from: string | null; to: string; actor: string; detail: string }[] {
    const rows = this.db
      .prepare('SELECT at, from_state AS "from", to_state AS "to", actor, detail FROM intent_transitions WHERE intent_id = ? ORDER BY id')
      .all(id) as { at: string; from: string | null; to: string; actor: string; detail: string }[];
    return rows.map((t) => ({ ...t, detail: this.cipher.openText(t.detail) }));
  }

  private journal(id: string, from: IntentState | null, to: IntentState, actor: string, detail: string, now: Date): void {
    this.db
      .prepare('INSERT INTO intent_transitions (intent_id, at, from_state, to_state, actor, detail) VALUES (?, ?, ?, ?, ?, ?)')
      .run(id, now.toISOString(), from, to, actor, this.cipher.sealText(detail));
  }

  private decode(r: Row): IntentRecord {
    return {
      id: r.id,
      kind: r.kind,
      orderId: r.order_id,
      externalId: r.external_id,
      compExternalId: r.comp_external_id,
      state: r.state,
      payload: this.cipher.openJson(r.payload),
      result: r.result ? this.cipher.openJson(r.result) : undefined,
      attempts: r.attempts,
      nextAt: r.next_at,
      detail: this.cipher.openText(r.detail),
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    };
  }
}
