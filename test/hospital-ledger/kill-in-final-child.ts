/**
 * A station process for the SIGKILL test (kill-in-final.test.ts): one payment through the real outbox and the
 * real ledger recorder on a real SQLite file. The remote is a file (it "took the money" once the file exists).
 *
 *   tsx kill-in-final-child.ts DIR kill-before-commit   killed inside the final state's transaction, after the event was written
 *   tsx kill-in-final-child.ts DIR kill-after-commit    killed right after the final state committed
 *   tsx kill-in-final-child.ts DIR resume               the next start: the resolver finishes what the kill left
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { openDatabase, type Db } from '../../src/station/store';
import { FieldCipher, loadOrCreateDataKeys } from '../../src/station/security';
import { IntentsRepo, Outbox, type FinalMovement, type Movement } from '../../src/station/outbox';
import { LedgerEventsRepo } from '../../src/station/hospital-ledger';

const [dir, mode] = process.argv.slice(2) as [string, 'kill-before-commit' | 'kill-after-commit' | 'resume'];
const taken = path.join(dir, 'remote-took-P1');
const db = openDatabase(path.join(dir, 'station.db'));
db.exec('CREATE TABLE IF NOT EXISTS orders (id TEXT PRIMARY KEY, state TEXT NOT NULL)');
const intents = new IntentsRepo(db, new FieldCipher(loadOrCreateDataKeys(path.join(dir, 'keys'))));
const events = new LedgerEventsRepo(db);
const order = { hisOrderNo: 'H1', operatorId: 'op1', mdtrtId: null, setlId: null, split: null };
const record = events.recorder('W01', { get: () => order, payments: { paid: () => [] } });

interface Pay {
  outTradeNo: string;
  totalFee: number;
}
const paid = (p: Pay) => ({ transactionId: `T${p.outTradeNo}`, wallet: 'alipay' as const, totalFee: p.totalFee });
const micropay: Movement<Pay, ReturnType<typeof paid>> = {
  kind: 'pay.micropay',
  payload: z.object({ outTradeNo: z.string(), totalFee: z.number().int() }),
  onUnknown: 'query',
  send: async ({ payload }) => {
    fs.writeFileSync(taken, '');
    return { kind: 'ok', output: paid(payload) };
  },
  query: async ({ payload }) => (fs.existsSync(taken) ? { kind: 'happened', output: paid(payload) } : { kind: 'did-not-happen' }),
  compensate: async () => ({ kind: 'ok' }),
  newCompensationId: () => 'REV1',
  settle: (d, intent, { final }) => void d.prepare('UPDATE orders SET state = ? WHERE id = ?').run(final, intent.orderId),
};

const outbox = new Outbox(db, intents, [micropay as unknown as Movement], {
  now: () => new Date('2026-12-04T02:00:00Z'),
  policy: { backoffBaseMs: 10, backoffMaxMs: 10, settleTimeMs: 0 },
  onFinal: (d: Db, m: FinalMovement) => {
    record(d, m);
    if (mode === 'kill-before-commit') process.kill(process.pid, 'SIGKILL');
  },
});

if (mode === 'resume') {
  outbox.start();
  await outbox.resolveNow();
  await outbox.stop();
  db.close();
} else {
  await outbox.run('pay.micropay', {
    orderId: 'o1',
    externalId: 'P1',
    payload: { outTradeNo: 'P1', totalFee: 4200 },
    prepare: (d) => void d.prepare("INSERT INTO orders (id, state) VALUES ('o1', 'new')").run(),
  });
  process.kill(process.pid, 'SIGKILL');
}
