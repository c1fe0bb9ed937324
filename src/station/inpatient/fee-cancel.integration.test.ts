/**
 * Issue 15, 2302 with real parts (the NHSA centre and HIS simulators on 127.0.0.1, the station's SQLite file and
 * outbox): a line HIS takes back after the station uploaded it is cancelled at the centre by its feedetl_sn — once,
 * also when the answer is lost, and "already cancelled" counts as done — before anything after it goes up; a line
 * taken back before it went up never reaches the centre. Either way the pre-settlement prices exactly HIS's bill.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CentreFixture } from '../../simulators/nhsa';
import type { HisSimulator } from '../../simulators/his';
import { cancelInpatientFees, queryFeeDetails } from '../../insurance/nhsa';
import { NURSE, type InpatientRig } from './testing/inpatient-rig';
import { startInpatientWorld, type InpatientWorld } from '../../../test/harness/inpatient-world';

/** 陈建国: in HIS and the centre's population. */
const PATIENT = { hisId: 'P000101', idNo: '350203196804122036' };

let w: InpatientWorld;
let fx: CentreFixture;
let his: HisSimulator;
let rig: InpatientRig;

beforeEach(async () => {
  w = await startInpatientWorld('fee-cancel', { batchSize: 10 });
  ({ fx, his, rig } = w);
});
afterEach(() => w.close());

/** Admitted at the centre with a day of three lines (8.40, 12.50, 4.20) executed at HIS. */
async function aDayOnTheWard(): Promise<{ iptNo: string; stayId: string }> {
  const iptNo = his.control.ward.admit({ patientId: PATIENT.hisId, wardCode: 'W0301' });
  const { id: stayId } = await rig.service.admit(NURSE, iptNo, await rig.person(PATIENT.idNo));
  his.control.ward.charge({
    iptNo,
    day: '2026-12-01',
    lines: [
      { hospCode: 'Y0006', quantity: '2' },
      { hospCode: 'Y0001', quantity: '1' },
      { hospCode: 'Y0006', quantity: '1' },
    ],
  });
  return { iptNo, stayId };
}

/** The stay's active lines at the centre (5204). */
async function centreLines(stayId: string): Promise<string[]> {
  const stay = rig.stays.get(stayId)!;
  const o = await rig.gateway.perform(
    '5204',
    NURSE,
    (c, ctx) => queryFeeDetails(c, ctx, { psn_no: stay.psnNo, mdtrt_id: stay.mdtrtId!, setl_id: '' }),
    { insuredRegion: stay.insuredRegion },
  );
  if (o.kind !== 'ok') throw new Error(JSON.stringify(o));
  return o.output.map((l) => l.feedetl_sn).sort();
}

async function hisBillFen(iptNo: string): Promise<number> {
  const h = await rig.ward.stay({ iptNo });
  if (h.kind !== 'ok') throw new Error(JSON.stringify(h));
  return h.value.unsettledFen;
}

const sent = (infno: string) => fx.centre.control.requests().filter((r) => r.infno === infno);

describe('a fee line HIS takes back', () => {
  it('after it went up: cancelled at the centre by one 2302, and the pre-settlement is HIS’s bill', async () => {
    const { iptNo, stayId } = await aDayOnTheWard();
    expect(await rig.uploader.upload(stayId)).toEqual({ kind: 'up-to-date', uptoLine: 3, batches: 1 });
    expect(his.control.ward.takeBack(iptNo, 2)).toBe(4);
    his.control.ward.charge({ iptNo, lines: [{ hospCode: 'Y0001', quantity: '2' }] }); // line 5, after the taking-back

    // The 2302 of line 2, then line 5 in a batch of its own; the negative line 4 never goes up.
    expect(await rig.uploader.upload(stayId)).toEqual({ kind: 'up-to-date', uptoLine: 5, batches: 2 });
    expect(sent('2302')).toHaveLength(1);
    expect(sent('2302')[0]!.infcode).toBe(0);
    const [cancel, batch] = fx.centre.control
      .requests()
      .filter((r) => r.infno === '2302' || r.infno === '2301')
      .slice(-2);
    expect([cancel!.infno, batch!.infno]).toEqual(['2302', '2301']);
    expect(await centreLines(stayId)).toEqual([`${iptNo}-1`, `${iptNo}-3`, `${iptNo}-5`]);

    const preview = await rig.service.preSettle(NURSE, stayId);
    // 8.40 + 12.50 + 4.20 − 12.50 + 25.00 = 37.60
    expect(await hisBillFen(iptNo)).toBe(3760);
    expect(preview).toMatchObject({ medfeeFen: 3760, uptoLine: 5 });
    expect(sent('2302')).toHaveLength(1);
  });

  it('a 2302 whose answer is lost is asked again under its msgid: the line is cancelled once', async () => {
    const { iptNo, stayId } = await aDayOnTheWard();
    await rig.uploader.upload(stayId);
    his.control.ward.takeBack(iptNo, 1);
    fx.centre.control.inject({ infno: '2302', fault: { kind: 'drop-response' }, times: 1 });
    expect(await rig.uploader.upload(stayId)).toMatchObject({ kind: 'stopped', uptoLine: 3, batches: 1 });
    expect(rig.outbox.isLocked(stayId)).toBe(true);
    // The pre-settlement waits for it rather than price a bill the centre may not agree with.
    await expect(rig.service.preSettle(NURSE, stayId)).rejects.toMatchObject({ code: 'ORDER_BUSY' });

    await rig.outbox.resolveNow();
    expect(rig.outbox.isLocked(stayId)).toBe(false);
    expect(rig.stays.get(stayId)).toMatchObject({ uploadedUptoLine: 4, uploadProblem: null });
    const cancels = sent('2302');
    expect(cancels).toHaveLength(2);
    expect(cancels[1]).toMatchObject({ msgid: cancels[0]!.msgid, replayed: true });
    expect(cancels.filter((r) => !r.replayed)).toHaveLength(1);
    expect(await centreLines(stayId)).toEqual([`${iptNo}-2`, `${iptNo}-3`]);
    expect((await rig.service.preSettle(NURSE, stayId)).medfeeFen).toBe(await hisBillFen(iptNo));
  });

  it('the centre answering "already cancelled" counts as done once 5204 shows the line gone', async () => {
    const { iptNo, stayId } = await aDayOnTheWard();
    await rig.uploader.upload(stayId);
    his.control.ward.takeBack(iptNo, 3);
    // Someone cancelled line 3 at the centre already (the centre's own client, a colleague's tool).
    const stay = rig.stays.get(stayId)!;
    const first = await rig.gateway.perform(
      '2302',
      NURSE,
      (c, ctx) => cancelInpatientFees(c, ctx, { feedetl_sn: `${iptNo}-3`, mdtrt_id: stay.mdtrtId!, psn_no: stay.psnNo }),
      { insuredRegion: stay.insuredRegion },
    );
    expect(first.kind).toBe('ok');

    expect(await rig.uploader.upload(stayId)).toEqual({ kind: 'up-to-date', uptoLine: 4, batches: 1 });
    expect(sent('2302').at(-1)).toMatchObject({ infcode: -1 });
    expect(rig.stays.get(stayId)!.uploadProblem).toBeNull();
    expect((await rig.service.preSettle(NURSE, stayId)).medfeeFen).toBe(await hisBillFen(iptNo));
  });

  it('before it went up: neither it nor its taking-back reaches the centre, and nothing is cancelled', async () => {
    const { iptNo, stayId } = await aDayOnTheWard();
    his.control.ward.takeBack(iptNo, 2);
    expect(await rig.uploader.upload(stayId)).toEqual({ kind: 'up-to-date', uptoLine: 4, batches: 1 });
    expect(sent('2302')).toHaveLength(0);
    expect(await centreLines(stayId)).toEqual([`${iptNo}-1`, `${iptNo}-3`]);
    expect((await rig.service.preSettle(NURSE, stayId)).medfeeFen).toBe(await hisBillFen(iptNo));
  });

  it('HIS takes a line back once only', () => {
    const iptNo = his.control.ward.admit({ patientId: PATIENT.hisId, wardCode: 'W0301' });
    his.control.ward.charge({ iptNo, lines: [{ hospCode: 'Y0006', quantity: '1' }] });
    his.control.ward.takeBack(iptNo, 1);
    expect(() => his.control.ward.takeBack(iptNo, 1)).toThrow(/already taken back/);
  });
});
