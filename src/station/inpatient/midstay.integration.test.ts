/**
 * Issue 15, 中途结算 with real parts (the NHSA centre and HIS simulators on 127.0.0.1, the station's SQLite file and
 * outbox): the bill to date settled while the patient stays (2304 mid_setl_flag 1, HIS's 'midway' booking with the
 * deposits applied), later lines accrue, and the discharge settles only the lines after it — the centre's lines,
 * HIS's ward books and the station's list of the stay's settlements agreeing. A stop between the 2304 and HIS's
 * booking is finished by 中途结算 again, without a second 2304; a lost 2304 is reversed and the stay stays admitted.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CentreFixture } from '../../simulators/nhsa';
import type { HisSimulator } from '../../simulators/his';
import { queryFeeDetails } from '../../insurance/nhsa';
import { registrationCancelled } from '../movements';
import { cancelAdmission } from './admission-cancel';
import { NURSE, type InpatientRig } from './testing/inpatient-rig';
import { startInpatientWorld, type InpatientWorld } from '../../../test/harness/inpatient-world';

/** 黄志强: resident scheme, no personal account — his self-pay share is a cash part. */
const RESIDENT = { hisId: 'P000103', idNo: '350211195203054010' };

let w: InpatientWorld;
let fx: CentreFixture;
let his: HisSimulator;
let rig: InpatientRig;

beforeEach(async () => {
  w = await startInpatientWorld('midstay', { batchSize: 3 });
  ({ fx, his, rig } = w);
});
afterEach(() => w.close());

/** One day's charges: 0.9% NaCl ×2 (8.40) and amoxicillin ×1 (12.50). */
const aDay = (iptNo: string, day: string) =>
  his.control.ward.charge({
    iptNo,
    day,
    lines: [
      { hospCode: 'Y0006', quantity: '2' },
      { hospCode: 'Y0001', quantity: '1' },
    ],
  });

/** Admitted at the centre, three days charged and a class C item (36.00, the patient's in full), a 500.00 deposit. */
async function threeDaysIn(depositFen = 50_000) {
  const iptNo = his.control.ward.admit({ patientId: RESIDENT.hisId, wardCode: 'W0301' });
  const { id: stayId } = await rig.service.admit(NURSE, iptNo, await rig.person(RESIDENT.idNo));
  for (const day of ['2026-12-01', '2026-12-02', '2026-12-03']) aDay(iptNo, day);
  his.control.ward.charge({ iptNo, lines: [{ hospCode: 'Y0007', quantity: '1' }] });
  const depositNo = his.control.ward.deposit({ iptNo, channel: 'cash', amountFen: depositFen });
  return { iptNo, stayId, depositNo };
}

/** The centre's lines of the stay (5204): feedetl_sn, amount and the settlement that binds it ('' while unbound). */
async function centreLines(stayId: string) {
  const stay = rig.stays.get(stayId)!;
  const o = await rig.gateway.perform(
    '5204',
    NURSE,
    (client, ctx) => queryFeeDetails(client, ctx, { psn_no: stay.psnNo, mdtrt_id: stay.mdtrtId!, setl_id: '' }),
    { insuredRegion: stay.insuredRegion },
  );
  if (o.kind !== 'ok') throw new Error(JSON.stringify(o));
  return o.output.map((l) => ({ sn: l.feedetl_sn, fen: l.det_item_fee_sumamt, setlId: l.setl_id }));
}

const centreSum = (lines: { fen: number; setlId: string }[], setlId: string) =>
  lines.filter((l) => l.setlId === setlId).reduce((sum, l) => sum + l.fen, 0);

describe('中途结算 while the patient stays', () => {
  it('settles the bill to date, the stay stays admitted, and the discharge settles only the later lines — every book agreeing', async () => {
    const { iptNo, stayId, depositNo } = await threeDaysIn();
    const mid = await rig.midstay.settle(NURSE, stayId);
    // 3 × (8.40 + 12.50) + 36.00 = 98.70, up to HIS's line 7.
    expect(mid).toMatchObject({ state: 'booked', settlement: { medfeeFen: 9870, uptoLine: 7 } });
    expect(mid.settlement.cashFen).toBeGreaterThanOrEqual(3600);
    expect(rig.stays.get(stayId)).toMatchObject({ state: 'admitted', settlement: null });
    expect(fx.centre.control.requests().filter((r) => r.infno === '2304')).toHaveLength(1);

    // HIS booked a midway settlement with the deposit applied; what is left stays on deposit, nothing refunded.
    const [midway] = his.control.ward.wardBooks().settlements;
    expect(midway).toMatchObject({ kind: 'midway', state: 'settled', setlId: mid.settlement.setlId, medfeeFen: 9870 });
    expect(midway!.deposits).toEqual([{ depositNo, amountFen: mid.settlement.cashFen }]);
    expect(mid.booking).toMatchObject({ hisSettleNo: expect.stringMatching(/\S/) as string, surplusFen: 0 });
    expect(his.control.ward.wardBooks().depositRefunds).toHaveLength(0);
    const between = await rig.ward.stay({ iptNo });
    if (between.kind !== 'ok') throw new Error(JSON.stringify(between));
    expect(between.value).toMatchObject({ state: 'in', unsettledFen: 0, depositBalanceFen: 50_000 - mid.settlement.cashFen });
    // The centre: lines 1–7 bound to the mid-stay settlement.
    expect(centreSum(await centreLines(stayId), mid.settlement.setlId)).toBe(9870);

    // Two more days, then the discharge: only the lines after the mid-stay one.
    aDay(iptNo, '2026-12-04');
    aDay(iptNo, '2026-12-05');
    his.control.ward.orderDischarge(iptNo);
    await rig.service.discharge(NURSE, stayId);
    const preview = await rig.service.preSettleDischarge(NURSE, stayId);
    expect(preview).toMatchObject({ medfeeFen: 2 * 2090, depositBalanceFen: 50_000 - mid.settlement.cashFen });
    const done = await rig.service.settleDischarge(NURSE, stayId);
    expect(done).toMatchObject({ state: 'completed', settlement: { medfeeFen: 4180, uptoLine: 11 } });

    const books = his.control.ward.wardBooks().settlements;
    expect(books.map((b) => [b.kind, b.setlId, b.medfeeFen, b.cashFen])).toEqual([
      ['midway', mid.settlement.setlId, 9870, mid.settlement.cashFen],
      ['discharge', done.settlement!.setlId, 4180, done.settlement!.cashFen],
    ]);
    const lines = await centreLines(stayId);
    expect(lines).toHaveLength(11);
    expect(centreSum(lines, mid.settlement.setlId)).toBe(9870);
    expect(centreSum(lines, done.settlement!.setlId)).toBe(4180);
    expect(done.booking!.surplusFen).toBe(50_000 - mid.settlement.cashFen - done.settlement!.cashFen);
    // The station's list of the stay's settlements: the mid-stay one, booked; the discharge on the stay itself.
    expect(rig.midstay.list(stayId).map((s) => [s.state, s.settlement.setlId])).toEqual([['booked', mid.settlement.setlId]]);
  });

  it('a stop between the 2304 and HIS’s booking is finished by 中途结算 again after a restart, without a second 2304', async () => {
    const { iptNo, stayId } = await threeDaysIn();
    // HIS does not take the booking: the centre's settlement waits unbooked, as a stop before the booking leaves it.
    his.control.inject({ op: 'inpatient.settle', fault: { kind: 'refuse', code: 'SYSTEM_BUSY', msg: '系统繁忙' }, times: 1 });
    await expect(rig.midstay.settle(NURSE, stayId)).rejects.toMatchObject({ code: 'CENTRE_REJECTED' });
    expect(rig.midstay.list(stayId).map((s) => s.state)).toEqual(['settled']);
    expect(rig.stays.get(stayId)!.state).toBe('admitted');
    expect(his.control.ward.wardBooks().settlements).toHaveLength(0);

    // The station stops and starts on the same data dir; 中途结算 again books the settlement the centre made.
    rig = await w.restart();
    const done = await rig.midstay.settle(NURSE, stayId);
    expect(done).toMatchObject({ state: 'booked', settlement: { medfeeFen: 9870, uptoLine: 7 } });
    expect(fx.centre.control.requests().filter((r) => r.infno === '2304')).toHaveLength(1);
    const books = his.control.ward.wardBooks().settlements;
    expect(books.map((b) => [b.kind, b.setlId, b.cashFen])).toEqual([['midway', done.settlement.setlId, done.settlement.cashFen]]);
    const h = await rig.ward.stay({ iptNo });
    expect(h).toMatchObject({ kind: 'ok', value: { state: 'in', unsettledFen: 0 } });
  });

  it('a 2304 whose answer is lost is reversed by 2601: the stay stays admitted with no settlement, and is settled once after', async () => {
    const { stayId } = await threeDaysIn();
    fx.centre.control.inject({ infno: '2304', fault: { kind: 'drop-response' }, times: 1 });
    await expect(rig.midstay.settle(NURSE, stayId)).rejects.toMatchObject({ code: 'OUTCOME_UNKNOWN' });
    await rig.outbox.resolveNow();
    expect(fx.centre.control.requests().filter((r) => r.infno === '2601')).toHaveLength(1);
    expect(rig.stays.get(stayId)!.state).toBe('admitted');
    expect(rig.midstay.list(stayId)).toEqual([]);
    expect((await centreLines(stayId)).every((l) => l.setlId === '')).toBe(true);

    const done = await rig.midstay.settle(NURSE, stayId);
    expect(done.state).toBe('booked');
    expect(his.control.ward.wardBooks().settlements).toHaveLength(1);
    expect(centreSum(await centreLines(stayId), done.settlement.setlId)).toBe(9870);
  });

  it('deposits short of the self-pay part: refused before the 2304, nothing settled anywhere', async () => {
    const { stayId } = await threeDaysIn(100);
    await expect(rig.midstay.settle(NURSE, stayId)).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('补交预交金') as string,
    });
    expect(fx.centre.control.requests().filter((r) => r.infno === '2304')).toHaveLength(0);
    expect(rig.midstay.list(stayId)).toEqual([]);
    expect(his.control.ward.wardBooks().settlements).toHaveLength(0);
  });
});

describe('撤销入院 from the nurse’s screen', () => {
  it('2404 while no fee line is at the centre: the stay is cancelled there, and may be admitted again', async () => {
    const iptNo = his.control.ward.admit({ patientId: RESIDENT.hisId, wardCode: 'W0301' });
    const person = await rig.person(RESIDENT.idNo);
    const { id: stayId } = await rig.service.admit(NURSE, iptNo, person);
    const cancelled = await cancelAdmission(rig, NURSE, stayId, '误登记');
    expect(cancelled.state).toBe('cancelled');
    expect(fx.centre.control.requests().filter((r) => r.infno === '2404')).toHaveLength(1);
    expect(await registrationCancelled(rig.gateway, { operator: NURSE, ...person, mdtrtId: cancelled.mdtrtId! }, new Date())).toEqual({
      kind: 'done',
      output: undefined,
    });
    expect((await rig.service.admit(NURSE, iptNo, person)).state).toBe('admitted');
  });

  it('the centre refuses it once a fee line is there: the stay stays admitted, its lines still at the centre', async () => {
    const { stayId } = await threeDaysIn();
    await rig.uploader.upload(stayId);
    await expect(cancelAdmission(rig, NURSE, stayId, '误登记')).rejects.toMatchObject({ code: 'CENTRE_REJECTED' });
    expect(rig.stays.get(stayId)!.state).toBe('admitted');
    expect(await centreLines(stayId)).toHaveLength(7);
  });

  it('a lost 2404 answer is asked again under its msgid and confirmed by 5201: cancelled once', async () => {
    const iptNo = his.control.ward.admit({ patientId: RESIDENT.hisId, wardCode: 'W0301' });
    const { id: stayId } = await rig.service.admit(NURSE, iptNo, await rig.person(RESIDENT.idNo));
    fx.centre.control.inject({ infno: '2404', fault: { kind: 'drop-response' }, times: 1 });
    await expect(cancelAdmission(rig, NURSE, stayId, '误登记')).rejects.toMatchObject({ code: 'OUTCOME_UNKNOWN' });
    await rig.outbox.resolveNow();
    expect(rig.stays.get(stayId)!.state).toBe('cancelled');
    const sent = fx.centre.control.requests().filter((r) => r.infno === '2404');
    expect(sent).toHaveLength(2);
    expect(sent[1]!.msgid).toBe(sent[0]!.msgid);
  });
});
