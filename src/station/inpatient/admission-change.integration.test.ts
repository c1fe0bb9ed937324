/**
 * 2403 admission change (入院信息变更): HIS moves an admitted patient (转科/转床) or changes the admission diagnosis;
 * the fee uploader's sweep finds the difference from what the centre was told and sends one 2403 through the
 * outbox, confirmed by 5201; the stay's record takes the new data, so the discharge (2402) carries it. Real parts:
 * the NHSA centre and HIS simulators on 127.0.0.1, the station's SQLite file.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CentreFixture } from '../../simulators/nhsa';
import type { HisSimulator } from '../../simulators/his';
import { queryDiagnoses } from '../../insurance/nhsa';
import { stayAtCentre } from './centre-stay';
import { NURSE, type InpatientRig } from './testing/inpatient-rig';
import { startInpatientWorld, type InpatientWorld } from '../../../test/harness/inpatient-world';
import type { StayRecord } from './stays-repo';

/** 陈建国: in HIS and the centre's population. */
const PATIENT = { hisId: 'P000101', idNo: '350203196804122036' };
const FRACTURE = { code: 'S72.000', name: '股骨颈骨折' };

let w: InpatientWorld;
let fx: CentreFixture;
let his: HisSimulator;
let rig: InpatientRig;

beforeEach(async () => {
  w = await startInpatientWorld('admission-change');
  ({ fx, his, rig } = w);
});
afterEach(() => w.close());

async function admitted(): Promise<{ iptNo: string; stayId: string }> {
  const iptNo = his.control.ward.admit({ patientId: PATIENT.hisId, wardCode: 'W0301' });
  const { id: stayId } = await rig.service.admit(NURSE, iptNo, await rig.person(PATIENT.idNo));
  return { iptNo, stayId };
}

const sent = (infno: string) => fx.centre.control.requests().filter((r) => r.infno === infno);
const visitOf = (stay: StayRecord) => ({ operator: NURSE, insuredRegion: stay.insuredRegion, psnNo: stay.psnNo, mdtrtId: stay.mdtrtId! });

describe('a stay HIS moved (转科/转床) or re-diagnosed', () => {
  it('is told to the centre by one 2403 found by the sweep; 5201 and the station show the new data; a second sweep sends nothing', async () => {
    const { iptNo, stayId } = await admitted();
    his.control.ward.transfer({ iptNo, wardCode: 'W0401', diagnosis: FRACTURE });

    await rig.uploader.sweep();
    expect(sent('2403')).toHaveLength(1);
    const stay = rig.stays.get(stayId)!;
    expect(stay).toMatchObject({ ward: { code: 'W0401', bedNo: '01' }, dept: { code: '0402', name: '骨科' }, diagnosis: FRACTURE });
    expect(await stayAtCentre(rig.gateway, visitOf(stay), new Date())).toMatchObject({
      kind: 'found',
      state: 'admitted',
      deptName: '骨科',
      diagCode: FRACTURE.code,
    });

    await rig.uploader.sweep();
    expect(sent('2403')).toHaveLength(1);
  });

  it('sends nothing while HIS shows the stay as the centre was told it', async () => {
    const { iptNo } = await admitted();
    his.control.ward.charge({ iptNo, day: '2026-12-01', lines: [{ hospCode: 'Y0006', quantity: '1' }] });
    await rig.uploader.sweep();
    await rig.uploader.sweep();
    expect(sent('2301')).toHaveLength(1);
    expect(sent('2403')).toHaveLength(0);
  });

  it('asks a lost answer again under the same msgid and counts the change once', async () => {
    const { iptNo, stayId } = await admitted();
    his.control.ward.transfer({ iptNo, bedNo: '07', diagnosis: FRACTURE });
    fx.centre.control.inject({ infno: '2403', fault: { kind: 'drop-response' }, times: 1 });

    await rig.uploader.sweep();
    await rig.outbox.resolveNow();
    expect(rig.outbox.isLocked(stayId)).toBe(false);
    const tries = sent('2403');
    expect(tries.length).toBeGreaterThanOrEqual(2);
    expect(new Set(tries.map((r) => r.msgid)).size).toBe(1);
    expect(fx.centre.control.messages().filter((m) => m.infno === '2403')).toHaveLength(1);
    expect(rig.stays.get(stayId)).toMatchObject({ ward: { code: 'W0301', bedNo: '07' }, diagnosis: FRACTURE });

    await rig.uploader.sweep();
    expect(new Set(sent('2403').map((r) => r.msgid)).size).toBe(1);
  });

  it("refused, stops the stay's uploads with the reason kept, and is not sent again every sweep", async () => {
    const { iptNo, stayId } = await admitted();
    his.control.ward.transfer({ iptNo, bedNo: '09' }); // a bed only: 5201 cannot show it, the refusal stands as given
    fx.centre.control.inject({ infno: '2403', fault: { kind: 'business-error', errMsg: '床位编码不存在' }, times: 1 });

    await rig.uploader.sweep();
    const stay = rig.stays.get(stayId)!;
    expect(stay.ward.bedNo).toBe('01');
    expect(stay.uploadProblem).toContain('床位编码不存在');
    his.control.ward.charge({ iptNo, day: '2026-12-01', lines: [{ hospCode: 'Y0006', quantity: '1' }] });
    await rig.uploader.sweep();
    expect(sent('2403')).toHaveLength(1);
    expect(sent('2301')).toHaveLength(0);
  });

  it('is told before the discharge, and the 2402 carries the new department', async () => {
    const { iptNo, stayId } = await admitted();
    his.control.ward.charge({ iptNo, day: '2026-12-01', lines: [{ hospCode: 'Y0006', quantity: '1' }] });
    his.control.ward.transfer({ iptNo, wardCode: 'W0401' });
    his.control.ward.orderDischarge(iptNo);

    const discharged = await rig.service.discharge(NURSE, stayId);
    expect(discharged).toMatchObject({ state: 'discharged', dept: { code: '0402', name: '骨科' } });
    const order = fx.centre.control.requests().map((r) => r.infno);
    expect(order.indexOf('2403')).toBeGreaterThanOrEqual(0);
    expect(order.indexOf('2403')).toBeLessThan(order.indexOf('2402'));
    // 2402 replaces the stay's diagnoses with its own: their department is the one the discharge carried.
    const o = await rig.gateway.perform(
      '5202',
      NURSE,
      (c, ctx) =>
        queryDiagnoses(c, ctx, {
          psn_no: discharged.psnNo,
          begntime: '2026-01-01 00:00:00',
          endtime: '2027-12-31 00:00:00',
          mdtrt_id: discharged.mdtrtId!,
        }),
      { insuredRegion: discharged.insuredRegion },
    );
    expect(o).toMatchObject({ kind: 'ok', output: [{ diag_dept: '骨科' }] });
  });
});
