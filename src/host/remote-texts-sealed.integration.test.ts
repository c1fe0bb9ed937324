/**
 * Issue 11, item 8: a centre's free-text error can quote the patient (name, ID number). What it says goes into the
 * call journal, the outbox's intent and its journal, and the audit trail — each sealed with the data key, the
 * station's own code beside it in clear — and is shown in words to the cashier and the admin. Checked on the bytes
 * of the real database file after a refusal from the real centre simulator.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { localPerson, openOrder, startOutpatientHarness, type OutpatientHarness } from '../../test/harness/outpatient-harness';
import { AuditRepo } from '../station/store';
import { FieldCipher, loadOrCreateDataKeys } from '../station/security';
import { IntentsRepo } from '../station/outbox';

let h: OutpatientHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe("a centre's words about a patient at rest", () => {
  it('a refusal quoting the name and ID number is sealed in the call journal, the outbox and the audit, and read back in words', async () => {
    h = await startOutpatientHarness();
    const person = localPerson('390');
    const order = await openOrder(h.c, '390');
    const words = `参保人${person.name}（${person.idNo}）本地就医登记受限`;
    h.station.training!.centre.control.inject({ infno: '2201', fault: { kind: 'business-error', errMsg: words }, times: 1 });
    const refused = await h.c.call('preSettleOrder', { orderId: order.id });
    expect(refused).toMatchObject({ ok: false, error: { message: expect.stringContaining(person.idNo) } }); // the cashier reads it

    const file = path.join(h.dataDir, 'station.db');
    const db = new Database(file, { readonly: true });
    try {
      const cipher = new FieldCipher(loadOrCreateDataKeys(path.join(h.dataDir, 'keys')));
      const call = db.prepare(`SELECT detail FROM nhsa_calls WHERE infno = '2201' AND state = 'rejected'`).get() as { detail: string };
      expect(cipher.openText(call.detail)).toContain(words);
      const intents = new IntentsRepo(db, cipher);
      const intent = intents.list(10).find((i) => i.kind === 'nhsa.2201')!;
      expect(intent.detail).toContain(person.idNo);
      expect(intents.transitions(intent.id).some((t) => t.detail.includes(person.idNo))).toBe(true);
      const audit = new AuditRepo(db, 'test', cipher).list(50).find((r) => r.action === 'preSettleOrder' && r.outcome === 'failed')!;
      expect(audit.detail).toMatch(/^CENTRE_REJECTED .*本地就医登记受限/);
    } finally {
      db.close();
    }
    // nothing of it in clear on disk (the WAL checkpointed into the file by a writer connection)
    const writer = new Database(file);
    writer.pragma('wal_checkpoint(TRUNCATE)');
    writer.close();
    const bytes = Buffer.concat([fs.readFileSync(file), fs.existsSync(`${file}-wal`) ? fs.readFileSync(`${file}-wal`) : Buffer.alloc(0)]);
    expect(bytes.includes(Buffer.from(person.idNo))).toBe(false);
    expect(bytes.includes(Buffer.from(person.name))).toBe(false);
    expect(bytes.includes(Buffer.from('本地就医登记受限'))).toBe(false);
  });
});
