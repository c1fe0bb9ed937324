/**
 * A station process killed (SIGKILL) inside the transaction that records a payment final, after its ledger event
 * was written: after the restart neither the final state nor the event exists, and the resolver then writes both
 * together. Killed just after the commit: both exist, once.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';

const root = path.resolve(import.meta.dirname, '..', '..');
let dir: string;

function child(mode: 'kill-before-commit' | 'kill-after-commit' | 'resume') {
  // Node with tsx's loader, not tsx's CLI (which would run the script in a process of its own and hide the signal).
  return spawnSync(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'kill-in-final-child.ts'), dir, mode], {
    cwd: root,
    encoding: 'utf8',
  });
}

function books() {
  const db = new Database(path.join(dir, 'station.db'), { readonly: true });
  try {
    return {
      intent: (db.prepare('SELECT state FROM intents').all() as { state: string }[]).map((r) => r.state),
      order: (db.prepare("SELECT state FROM orders WHERE id = 'o1'").get() as { state: string }).state,
      events: (db.prepare('SELECT kind, body FROM ledger_events').all() as { kind: string; body: string }[]).map(
        (r) => [r.kind, (JSON.parse(r.body) as { amounts: unknown }).amounts] as const,
      ),
    };
  } finally {
    db.close();
  }
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kill-in-final-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('a kill between the final state and its ledger event is impossible', { timeout: 60_000 }, () => {
  it('killed inside the transaction: neither exists; the next start writes both', () => {
    const killed = child('kill-before-commit');
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    expect(books()).toEqual({ intent: ['prepared'], order: 'new', events: [] });
    const resumed = child('resume');
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(books()).toEqual({ intent: ['succeeded'], order: 'succeeded', events: [['payment', { cash: 4200 }]] });
  });

  it('killed right after the commit: both exist, once, and a start adds nothing', () => {
    expect(child('kill-after-commit').signal).toBe('SIGKILL');
    expect(books()).toEqual({ intent: ['succeeded'], order: 'succeeded', events: [['payment', { cash: 4200 }]] });
    expect(child('resume').status).toBe(0);
    expect(books().events).toHaveLength(1);
  });
});
