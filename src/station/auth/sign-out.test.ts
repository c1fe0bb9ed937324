/**
 * The sign-out's 9002 runs in the background (an unreachable centre must not keep the window signed in); the
 * station's close waits for the ones still out, so their audit row is written before the database closes, and a
 * row that cannot be written is logged, never an unhandled rejection.
 */
import { describe, expect, it } from 'vitest';
import type { OperatorView } from '../../shared/domain';
import type { AuditRepo } from '../store';
import { silentLogger, type Logger } from '../log';
import { SignOuts } from './sign-out';

const CASHIER: OperatorView = { id: 'sf001', name: '收费员', role: 'cashier' };

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('SignOuts', () => {
  it('settled() waits for a 9002 still out and its audit row; nothing is written after it resolves', async () => {
    const answer = deferred<boolean>();
    const rows: string[] = [];
    const audit = { append: (row: { action: string }) => void rows.push(row.action) } as unknown as AuditRepo;
    const outs = new SignOuts({ gateway: { signOut: () => answer.promise }, audit, now: () => new Date(), log: silentLogger });
    outs.end(CASHIER);
    let settled = false;
    const closing = outs.settled().then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    answer.resolve(true);
    await closing;
    expect(rows).toEqual(['nhsa.signOut']);
  });

  it('an audit row that cannot be written (the database closed) is logged, not an unhandled rejection', async () => {
    const errors: string[] = [];
    const log = { ...silentLogger, error: (m: string) => void errors.push(m) } as Logger;
    const audit = {
      append: () => {
        throw new TypeError('The database connection is not open');
      },
    } as unknown as AuditRepo;
    const outs = new SignOuts({ gateway: { signOut: async () => true }, audit, now: () => new Date(), log });
    outs.end(CASHIER);
    await outs.settled();
    expect(errors).toEqual(['recording a sign-out failed']);
  });
});
