/**
 * Issue 15, 自费转医保 with real parts (the NHSA centre and HIS simulators on 127.0.0.1, the station's SQLite file and
 * outbox): a patient HIS admitted as self-pay is registered at the centre late by 2401 with begntime = HIS's
 * admission time, HIS turns the stay insured, and the uploader sends every line so far; the pre-settlement prices
 * HIS's bill. Past the centre's registration window (3 days after admission) the centre refuses with a clear
 * message and the stay stays self-pay. Someone else's card is refused before anything is sent.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CentreFixture } from '../../simulators/nhsa';
import type { HisSimulator } from '../../simulators/his';
import { queryVisits } from '../../insurance/nhsa';
import { NURSE, type InpatientRig } from './testing/inpatient-rig';
import { startInpatientWorld, type InpatientWorld } from '../../../test/harness/inpatient-world';

/** 黄志强 (390): in HIS and the centre's population. */
const PATIENT = { hisId: 'P000103', idNo: '350211195203054010' };
const DAY_MS = 86_400_000;
/** yyyy-MM-dd HH:mm:ss in Beijing, as the centre writes times. */
const beijing = (t: number) => new Date(t + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');

let w: InpatientWorld;
let fx: CentreFixture;
let his: HisSimulator;
let rig: InpatientRig;

beforeEach(async () => {
  w = await startInpatientWorld('late-registration', { batchSize: 10 });
  ({ fx, his, rig } = w);
});
afterEach(() => w.close());

/** Admitted self-pay at HIS `daysAgo` days ago, with two ward days of lines (one taken back). */
function selfPayStay(daysAgo: number): string {
  const admittedAt = new Date(Date.now() - daysAgo * DAY_MS).toISOString();
  const iptNo = his.control.ward.admit({ patientId: PATIENT.hisId, wardCode: 'W0301', admittedAt, selfPay: true });
  for (const day of ['2026-12-01', '2026-12-02'])
    his.control.ward.charge({
      iptNo,
      day,
      lines: [
        { hospCode: 'Y0006', quantity: '2' },
        { hospCode: 'Y0001', quantity: '1' },
      ],
    });
  his.control.ward.takeBack(iptNo, 2);
  return iptNo;
}

async function hisStay(iptNo: string) {
  const h = await rig.ward.stay({ iptNo });
  if (h.kind !== 'ok') throw new Error(JSON.stringify(h));
  return h.value;
}

const sent = (infno: string) => fx.centre.control.requests().filter((r) => r.infno === infno);

describe('自费转医保: a self-pay stay registered at the centre late', () => {
  it('within the window: 2401 with HIS’s admission time, HIS turns it insured, every line so far goes up', async () => {
    const iptNo = selfPayStay(2);
    const before = await hisStay(iptNo);
    expect(before.psnNo).toBe('');
    const person = await rig.person(PATIENT.idNo);
    // The ordinary admission says what to do instead.
    await expect(rig.service.admit(NURSE, iptNo, person)).rejects.toMatchObject({ code: 'CONFLICT', message: /自费转医保/ });

    const stay = await rig.lateRegistration.register(NURSE, iptNo, person);
    expect(stay).toMatchObject({ state: 'admitted', psnNo: person.psnNo, uploadedUptoLine: 0 });
    // The centre's stay begins when HIS admitted the patient, two days ago (5201).
    const visits = await rig.gateway.perform(
      '5201',
      NURSE,
      (c, ctx) =>
        queryVisits(c, ctx, { psn_no: person.psnNo, begntime: beijing(Date.now() - 9 * DAY_MS), endtime: beijing(Date.now() + DAY_MS) }),
      { insuredRegion: person.insuredRegion },
    );
    if (visits.kind !== 'ok') throw new Error(JSON.stringify(visits));
    expect(visits.output.find((v) => v.mdtrt_id === stay.mdtrtId)?.begntime).toBe(beijing(Date.parse(before.admittedAt)));
    expect(await hisStay(iptNo)).toMatchObject({ psnNo: person.psnNo });

    // The normal uploader: lines 1, 3, 4 (2 and its taking-back 5 left out), then the bill priced as HIS has it.
    expect(await rig.uploader.upload(stay.id)).toEqual({ kind: 'up-to-date', uptoLine: 5, batches: 1 });
    const preview = await rig.service.preSettle(NURSE, stay.id);
    expect(preview.medfeeFen).toBe((await hisStay(iptNo)).unsettledFen);
    expect(preview.medfeeFen).toBe(840 + 840 + 1250);

    // Pressed again (an answer lost on the way to the screen): the same stay, nothing sent again.
    expect((await rig.lateRegistration.register(NURSE, iptNo, person)).id).toBe(stay.id);
    expect(sent('2401')).toHaveLength(1);
  });

  it('past the window: the centre refuses, the nurse is told why, the stay stays self-pay', async () => {
    const iptNo = selfPayStay(5);
    const person = await rig.person(PATIENT.idNo);
    await expect(rig.lateRegistration.register(NURSE, iptNo, person)).rejects.toMatchObject({
      code: 'CENTRE_REJECTED',
      message: expect.stringMatching(/医保入院登记失败：入院日期\d{4}-\d\d-\d\d距今已超过3天，超出医保入院登记时限/),
    });
    expect(rig.stays.byIptNo(iptNo)?.state).toBe('cancelled');
    expect((await hisStay(iptNo)).psnNo).toBe('');
    expect(fx.centre.control.books().visits).toHaveLength(0);
    expect(sent('2401')).toHaveLength(1);
  });

  it('someone else’s card is refused before anything is sent', async () => {
    const iptNo = selfPayStay(1);
    await expect(rig.lateRegistration.register(NURSE, iptNo, await rig.person('350203196804122036'))).rejects.toMatchObject({
      code: 'CONFLICT',
      message: /不符/,
    });
    expect(sent('2401')).toHaveLength(0);
  });

  it('HIS’s answer lost: asked again with the same request, the stay insured once', async () => {
    const iptNo = selfPayStay(0);
    his.control.inject({ op: 'inpatient.insure', fault: { kind: 'drop-response' }, times: 1 });
    const person = await rig.person(PATIENT.idNo);
    await expect(rig.lateRegistration.register(NURSE, iptNo, person)).rejects.toMatchObject({ code: 'OUTCOME_UNKNOWN' });
    const stayId = rig.stays.byIptNo(iptNo)!.id;
    expect(rig.outbox.isLocked(stayId)).toBe(true);
    await rig.outbox.resolveNow();
    expect(rig.outbox.isLocked(stayId)).toBe(false);
    expect((await hisStay(iptNo)).psnNo).toBe(person.psnNo);
    expect(his.control.requests().filter((r) => r.service === 'inpatient.insure')).toHaveLength(2);
  });

  it('a stop between the 2401 and HIS’s change: the station turns the stay insured at HIS when it starts', async () => {
    const iptNo = selfPayStay(1);
    const person = await rig.person(PATIENT.idNo);
    // Only the registration's first half (as a stop right after the 2401 leaves it).
    const stay = await rig.service.admit(NURSE, iptNo, person, true);
    expect((await hisStay(iptNo)).psnNo).toBe('');
    expect(await rig.lateRegistration.mend()).toBe(1);
    expect(await hisStay(iptNo)).toMatchObject({ psnNo: person.psnNo });
    expect(rig.stays.get(stay.id)?.state).toBe('admitted');
    // Nothing left to mend; an insured stay is not touched.
    expect(await rig.lateRegistration.mend()).toBe(0);
  });
});
