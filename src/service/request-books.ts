/**
 * The service's request records in the station's SQLite (migration 029): the nonces seen in the replay window
 * and the answers given to idempotency keys. Behind `RequestBooks`, so the hospital ledger can hold them later.
 */
import { createHash } from 'node:crypto';
import type { Db } from '../station/store';
import { REPLAY_WINDOW_MS } from './signing';

export interface StoredAnswer {
  status: number;
  body: unknown;
}

export type IdempotencyClaim =
  { kind: 'claimed' } | { kind: 'answered'; answer: StoredAnswer } | { kind: 'in-progress' } | { kind: 'reused' };

export interface RequestBooks {
  firstUse(appId: string, nonce: string, at: number): boolean;
  claim(appId: string, key: string, requestHash: string, at: number): IdempotencyClaim;
  answer(appId: string, key: string, answer: StoredAnswer): void;
  /** The claim let go without an answer (the outcome was not final): the same key may try again. */
  release(appId: string, key: string): void;
  /**
   * At start: every claim still running was left by a service that stopped mid-request (one process holds the data
   * dir), so its key may run again at once — not after STALE_CLAIM_MS, which would leave the phone without an answer.
   */
  releaseAbandoned(): number;
  prune(before: { nonces: number; keys: number }): void;
}

/** What an idempotency key is bound to: the method, the path and the exact body. */
export function requestHash(method: string, pathAndQuery: string, body: string): string {
  return createHash('sha256').update(`${method}\n${pathAndQuery}\n${body}`).digest('hex');
}

/**
 * A claim this old without an answer was left by a service that stopped mid-request: the same key may run again.
 * Safe for money: a stay has one live settlement at most (migration 030's index), so a rerun finds it and says so.
 */
export const STALE_CLAIM_MS = 10 * 60_000;

export class SqliteRequestBooks implements RequestBooks {
  constructor(private readonly db: Db) {}

  firstUse(appId: string, nonce: string, at: number): boolean {
    const r = this.db.prepare('INSERT OR IGNORE INTO service_nonces (app_id, nonce, seen_at) VALUES (?, ?, ?)').run(appId, nonce, at);
    return r.changes === 1;
  }

  claim(appId: string, key: string, hash: string, at: number): IdempotencyClaim {
    return this.db.transaction((): IdempotencyClaim => {
      const row = this.db
        .prepare<
          [string, string],
          { request_hash: string; state: string; status: number | null; response_json: string | null; created_at: number }
        >('SELECT request_hash, state, status, response_json, created_at FROM service_idempotency WHERE app_id = ? AND key = ?')
        .get(appId, key);
      if (!row) {
        this.db
          .prepare(`INSERT INTO service_idempotency (app_id, key, request_hash, state, created_at) VALUES (?, ?, ?, 'running', ?)`)
          .run(appId, key, hash, at);
        return { kind: 'claimed' };
      }
      if (row.request_hash !== hash) return { kind: 'reused' };
      if (row.state === 'running' && row.created_at > at - STALE_CLAIM_MS) return { kind: 'in-progress' };
      if (row.state === 'running') {
        this.db.prepare('UPDATE service_idempotency SET created_at = ? WHERE app_id = ? AND key = ?').run(at, appId, key);
        return { kind: 'claimed' };
      }
      return { kind: 'answered', answer: { status: row.status!, body: JSON.parse(row.response_json!) as unknown } };
    })();
  }

  answer(appId: string, key: string, answer: StoredAnswer): void {
    this.db
      .prepare(`UPDATE service_idempotency SET state = 'done', status = ?, response_json = ? WHERE app_id = ? AND key = ?`)
      .run(answer.status, JSON.stringify(answer.body), appId, key);
  }

  release(appId: string, key: string): void {
    this.db.prepare(`DELETE FROM service_idempotency WHERE app_id = ? AND key = ? AND state = 'running'`).run(appId, key);
  }

  releaseAbandoned(): number {
    return this.db.prepare(`DELETE FROM service_idempotency WHERE state = 'running'`).run().changes;
  }

  prune(before: { nonces: number; keys: number }): void {
    this.db.prepare('DELETE FROM service_nonces WHERE seen_at < ?').run(before.nonces);
    this.db.prepare('DELETE FROM service_idempotency WHERE created_at < ?').run(before.keys);
  }
}

/** Nonces older than the window can go: a request that old is refused as stale anyway. */
export const nonceHorizon = (now: number) => now - 2 * REPLAY_WINDOW_MS;
