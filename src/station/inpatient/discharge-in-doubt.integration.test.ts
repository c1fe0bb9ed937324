/**
 * 2402 (出院办理) has no undo the station may run: a discharge left in doubt by a station that comes back past the
 * outbox's short query window is asked again under its msgid at the calm, day-long pace until the centre answers —
 * never handed to a person. Real parts: the NHSA centre and HIS simulators on 127.0.0.1, the station's SQLite file.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CentreFixture } from '../../simulators/nhsa';
import type { HisSimulator } from '../../simulators/his';
import { NEVER_UNDONE_QUERY_TIMING } from '../outbox';
import { NURSE, type InpatientRig } from './testing/inpatient-rig';
import { startInpatientWorld, type InpatientWorld } from '../../../test/harness/inpatient-world';

/** 陈建国: in HIS and the centre's population. */
const PATIENT = { hisId: 'P000101', idNo: '350203196804122036' };

let w: InpatientWorld;
let fx: CentreFixture;
let his: HisSimulator;
let rig: InpatientRig;
let away = 0;

beforeEach(async () => {
  away = 0;
  w = await startInpatientWorld('discharge-doubt', { now: () => new Date(Date.now() + away) });
  ({ fx, his, rig } = w);
});
afterEach(() => w.close());

describe('a discharge (2402) left in doubt', () => {
  it('is asked again at the calm pace by a station back an hour later, and counted discharged once the centre answers', async () => {
    const iptNo = his.control.ward.admit({ patientId: PATIENT.hisId, wardCode: 'W0301' });
    const { id: stayId } = await rig.service.admit(NURSE, iptNo, await rig.person(PATIENT.idNo));
    his.control.ward.charge({ iptNo, day: '2026-12-01', lines: [{ hospCode: 'Y0006', quantity: '1' }] });
    his.control.ward.orderDischarge(iptNo);
    // The answer is lost, and so is the first one asked again when the station is back an hour later.
    fx.centre.control.inject({ infno: '2402', fault: { kind: 'drop-response' }, times: 2 });
    await expect(rig.service.discharge(NURSE, stayId)).rejects.toMatchObject({ code: 'OUTCOME_UNKNOWN' });
    expect(rig.outbox.isLocked(stayId)).toBe(true);

    away = 3_600_000;
    await rig.outbox.resolveNow();
    expect(rig.outbox.isLocked(stayId)).toBe(true);
    away += NEVER_UNDONE_QUERY_TIMING.everyMs;
    await rig.outbox.resolveNow();
    expect(rig.outbox.isLocked(stayId)).toBe(false);
    expect(rig.stays.get(stayId)!.state).toBe('discharged');
    const sent = fx.centre.control.requests().filter((r) => r.infno === '2402');
    expect(new Set(sent.map((r) => r.msgid)).size).toBe(1);
  });
});
