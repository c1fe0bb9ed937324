/**
 * The outbox tests' other side: a ledger of what happened there and scripted answers (default: the truth), and a
 * movement over it whose business effect is a row of a test table `orders`.
 */
import { z } from 'zod';
import type { CompensationOutcome, Movement, QueryOutcome, RemoteOutcome } from '../movement';

export type Script<T> = (() => T | Promise<T>)[];

/** The other side: a ledger of what happened there, and scripted answers (default: the truth). */
export class ScriptedRemote {
  readonly happened = new Map<string, number>(); // externalId -> amount
  readonly undone = new Set<string>();
  readonly compensationIds: string[] = [];
  sends: Script<RemoteOutcome<{ amount: number }>> = [];
  queries: Script<QueryOutcome<{ amount: number }>> = [];
  compensations: Script<CompensationOutcome> = [];
}

/** A movement over the remote, read through `world` at call time (each test's fresh remote and record of settles). */
export function scriptedMovement(
  onUnknown: 'query' | 'compensate',
  world: () => { remote: ScriptedRemote; settled: { id: string; final: string }[] },
): Movement<{ amount: number }, { amount: number }> {
  let n = 0;
  return {
    kind: `test.${onUnknown}`,
    payload: z.object({ amount: z.number().int() }),
    onUnknown,
    async send(i) {
      const scripted = world().remote.sends.shift();
      if (scripted) return scripted();
      world().remote.happened.set(i.externalId, i.payload.amount);
      return { kind: 'ok', output: { amount: i.payload.amount } };
    },
    async query(i) {
      const scripted = world().remote.queries.shift();
      if (scripted) return scripted();
      const amount = world().remote.happened.get(i.externalId);
      return amount === undefined ? { kind: 'did-not-happen' } : { kind: 'happened', output: { amount } };
    },
    async compensate(i) {
      world().remote.compensationIds.push(i.compExternalId);
      const scripted = world().remote.compensations.shift();
      if (scripted) return scripted();
      if (!world().remote.happened.has(i.externalId)) return { kind: 'nothing-to-undo' };
      world().remote.undone.add(i.externalId);
      return { kind: 'ok' };
    },
    newCompensationId: () => `COMP${++n}`,
    settle(d, i, { final }) {
      d.prepare('UPDATE orders SET state = ? WHERE id = ?').run(final, i.orderId);
      world().settled.push({ id: i.id, final });
    },
  };
}
