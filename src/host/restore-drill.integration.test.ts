/**
 * The restore drill (issue 11): settle, back up, settle more (one left in doubt: its answer lost), stop,
 * restore the backup, start. The restored
 * database does not know the later settlements; the first start asks the centre (3202) and lists each one for
 * a person — escalated in the admin outbox list — and settles nothing again. Real SQLite files, the real
 * simulators over HTTP, the centre's own books as the judge.
 */
import { afterEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import Database from 'better-sqlite3';
import { localPerson, openOrder, settle, startOutpatientHarness, ok, type OutpatientHarness } from '../../test/harness/outpatient-harness';
import { connect } from '../../test/harness/ws-test-client';
import { TRAINING_PASSWORD } from '../station/auth/training-operators';
import { openDatabase } from '../station/store';
import { backupNow, restoreBackup, type BackupSettings } from '../station/backup';
import type { IntentView } from '../shared/domain';

let h: OutpatientHarness;
afterEach(async () => h?.close());

function localSetlIds(dataDir: string): Set<string> {
  const db = new Database(path.join(dataDir, 'station.db'), { readonly: true });
  try {
    return new Set(
      (db.prepare('SELECT setl_id FROM outpatient_orders WHERE setl_id IS NOT NULL').all() as { setl_id: string }[]).map((r) => r.setl_id),
    );
  } finally {
    db.close();
  }
}

describe('restore drill', () => {
  it('after a restore, every centre settlement the database lacks is listed for a person, none settled twice', async () => {
    h = await startOutpatientHarness();
    const settings: BackupSettings = {
      dir: path.join(h.dataDir, 'backups'),
      keyDir: path.join(h.dataDir, 'backups', 'keys'),
      everyMinutes: 60,
      keep: 5,
    };
    const before = await settle(h.c, (await openOrder(h.c, '310', 0)).id);
    expect(before.setlId).toBeTruthy();

    const db = openDatabase(path.join(h.dataDir, 'station.db'));
    const backup = await backupNow(db, h.dataDir, settings, new Date());
    db.close();

    const later = [await settle(h.c, (await openOrder(h.c, '310', 1)).id), await settle(h.c, (await openOrder(h.c, '390', 0)).id)];
    const laterSetlIds = later.map((o) => o.setlId!);
    expect(laterSetlIds.every(Boolean)).toBe(true);
    // One more whose 2207 answer is lost: the centre settled it, the station is left in doubt when it stops.
    const centre = h.station.training!.centre.control;
    const rig = h.station.training!;
    const again = rig.his.control.patients().find((p) => p.id_no === localPerson('310', 0).idNo)!;
    rig.his.control.prescribe({ patientId: again.patient_id, prescriptions: [{ lines: [{ hospCode: 'Y0001', quantity: '1' }] }] });
    const inDoubt = await openOrder(h.c, '310', 0);
    ok(await h.c.call('preSettleOrder', { orderId: inDoubt.id }));
    centre.inject({ infno: '2207', fault: { kind: 'drop-response' }, times: 1 });
    expect((await h.c.call('settleOrder', { orderId: inDoubt.id })).ok).toBe(false);
    const centreBefore = centre.books().settlements;
    expect(centreBefore).toHaveLength(4);
    const lostSetlId = centreBefore.find((s) => ![before.setlId, ...laterSetlIds].includes(s.setl_id))!.setl_id;

    await h.restart(() => {
      restoreBackup(h.dataDir, settings, backup.name, new Date());
    });
    const check = await h.station.afterRestore;
    expect(check?.marker.file).toBe(backup.name);
    expect([...check!.listed].sort()).toEqual([...laterSetlIds, lostSetlId].sort());

    // The centre's own books: nothing settled again, and every settlement is either known or listed.
    const centreAfter = h.station.training!.centre.control.books().settlements;
    expect(centreAfter.map((s) => s.setl_id).sort()).toEqual(centreBefore.map((s) => s.setl_id).sort());
    const perVisit = new Map<string, number>();
    for (const s of centreAfter) perVisit.set(s.mdtrt_id, (perVisit.get(s.mdtrt_id) ?? 0) + 1);
    expect([...perVisit.values()].every((n) => n === 1)).toBe(true);
    const known = localSetlIds(h.dataDir);
    expect(known).toEqual(new Set([before.setlId]));
    for (const s of centreAfter) expect(known.has(s.setl_id) || check!.listed.includes(s.setl_id)).toBe(true);

    // A person sees them: escalated in the admin outbox list, naming the settlement.
    const admin = await connect(h.host);
    ok(await admin.call('login', { login: 'admin', password: TRAINING_PASSWORD }));
    const intents = ok(await admin.call<IntentView[]>('listIntents', {}));
    const listed = intents.filter((i) => i.kind === 'restore.centre-only');
    expect(listed.map((i) => i.state)).toEqual(['escalated', 'escalated', 'escalated']);
    for (const id of [...laterSetlIds, lostSetlId])
      expect(listed.some((i) => i.detail.includes(id) && i.detail.includes('切勿重新结算'))).toBe(true);
    const decided = ok(
      await admin.call<IntentView>('decideIntent', { intentId: listed[0]!.id, decision: 'happened', note: '已与 HIS 和财务核对该笔收费' }),
    );
    expect(decided.state).toBe('succeeded');
    admin.close();

    // Checked once per restore: the next start asks nothing more and lists nothing twice.
    await h.restart();
    expect(await h.station.afterRestore).toBeNull();
  });
});
