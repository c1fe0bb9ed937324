/**
 * AQ-17 / HM-07 through the composed station in training: an undo of a discharge settlement whose record was written
 * but whose steps were not taken (the station killed right after the cashier confirmed, or a throw between two steps)
 * is finished by the station itself — by the next start on the same data dir, or by the resolver's idle pass of the
 * station that runs. HIS's booking and the centre's settlement are cancelled once each; the record is gone after.
 */
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ComposedStation } from '../app/compose';
import { openTrainingStation, signInAs, startTrainingStation } from '../../test/harness/training-station';
import { StaysRepo } from '../station/inpatient';
import { FieldCipher, loadOrCreateDataKeys } from '../station/security';
import { openDatabase } from '../station/store';
import type { OperatorView, PatientView } from '../shared/domain';
import type { StayView } from '../shared/inpatient';

const RESIDENT = { hisId: 'P000103', idNo: '350211195203054010' };
const CASHIER: OperatorView = { id: 'sf001', name: '张敏', role: 'cashier' };

let dataDir: string;
let station: ComposedStation;
let opened: Awaited<ReturnType<typeof openTrainingStation>>;

beforeEach(async () => {
  opened = await openTrainingStation('undo-resume');
  ({ dataDir, station } = opened);
});
afterEach(() => opened.close());

/** 黄志强's stay discharged, settled at the centre and booked at HIS (a cash deposit covers the cash part). */
async function completedStay(s: ComposedStation): Promise<StayView> {
  const ward = s.training!.his.control.ward;
  const iptNo = ward.admit({ patientId: RESIDENT.hisId, wardCode: 'W0301' });
  ward.charge({ iptNo, day: '2026-12-01', lines: [{ hospCode: 'Y0006', quantity: '2' }] });
  ward.deposit({ iptNo, channel: 'cash', amountFen: 30_000 });
  const nurse = await signInAs(s, 'hs001');
  const patient = await nurse.call<PatientView>('identifyPatient', { method: 'idcard', certNo: RESIDENT.idNo });
  const stay = await nurse.call<StayView>('admitStay', { iptNo, identificationId: patient.identificationId });
  ward.orderDischarge(iptNo);
  await nurse.call<StayView>('dischargeStay', { stayId: stay.id });
  const settled = await nurse.call<StayView>('settleDischarge', { stayId: stay.id });
  expect(settled.state).toBe('completed');
  return settled;
}

function booksOf(s: ComposedStation, setlId: string) {
  const rig = s.training!;
  return {
    centre: rig.centre.control
      .books()
      .settlements.filter((x) => x.setl_id === setlId)
      .map((x) => x.state),
    his: rig.his.control.ward
      .wardBooks()
      .settlements.filter((x) => x.setlId === setlId)
      .map((x) => x.state),
  };
}

/**
 * How long the undo may take to finish by itself: quick alone, but on a loaded machine a step's answer can be late
 * (the 3 s timeout), asked again by the resolver and carried on at its next look (at most every 30 s when idle).
 */
const SETTLES_WITHIN_MS = 60_000;

describe('an undo recorded but not carried out', () => {
  it(
    'is carried out by the next start on the same data dir: HIS’s cancel, then 2305, as the cashier who asked',
    async () => {
      const settled = await completedStay(station);
      await station.close();
      // The station died right after the undo was written, before HIS's cancel left.
      const db = openDatabase(path.join(dataDir, 'station.db'));
      const stays = new StaysRepo(db, new FieldCipher(loadOrCreateDataKeys(path.join(dataDir, 'keys'))));
      stays.undos.begin(settled.id, { operator: CASHIER, reason: '费用录入有误', backToWard: false }, new Date());
      db.close();

      const again = await startTrainingStation(dataDir);
      try {
        const cashier = await signInAs(again, 'sf001');
        await vi.waitFor(
          async () =>
            expect(await cashier.call<StayView>('findStayByIptNo', { iptNo: settled.iptNo })).toMatchObject({
              state: 'discharged',
              undo: null,
            }),
          { timeout: SETTLES_WITHIN_MS, interval: 100 },
        );
        expect(booksOf(again, settled.settlement!.setlId)).toEqual({ centre: ['cancelled'], his: ['cancelled'] });
        const calls = again.db.prepare(`SELECT operator_id, state FROM nhsa_calls WHERE infno = '2305'`).all();
        expect(calls).toEqual([{ operator_id: CASHIER.id, state: 'ok' }]);
        // Audited as the station, naming who asked and why — once its last step has returned (after the stay's state).
        const audited = () =>
          again.db.prepare(`SELECT operator_id, outcome, detail FROM audit_log WHERE action = 'stay.undoSettlement'`).all();
        await vi.waitFor(() => expect(audited()).not.toEqual([]), { timeout: SETTLES_WITHIN_MS, interval: 50 });
        expect(audited()).toEqual([
          { operator_id: null, outcome: 'ok', detail: `${settled.iptNo} 工作站自动继续并完成撤销（sf001 原因：费用录入有误）` },
        ]);
      } finally {
        await again.close();
      }
    },
    2 * SETTLES_WITHIN_MS,
  );

  it(
    'is carried out by the resolver’s idle pass of the running station, back to the ward (2405) as asked',
    async () => {
      const settled = await completedStay(station);
      // Recorded, and no step in flight: what a throw between two steps leaves behind.
      station.inpatient.stays.undos.begin(settled.id, { operator: CASHIER, reason: '漏记费用', backToWard: true }, new Date());
      await station.outbox.resolveNow();
      const cashier = await signInAs(station, 'sf001');
      await vi.waitFor(
        async () =>
          expect(await cashier.call<StayView>('findStayByIptNo', { iptNo: settled.iptNo })).toMatchObject({
            state: 'admitted',
            undo: null,
          }),
        { timeout: SETTLES_WITHIN_MS, interval: 100 },
      );
      expect(booksOf(station, settled.settlement!.setlId)).toEqual({ centre: ['cancelled'], his: ['cancelled'] });
      const audited = () =>
        station.db.prepare(`SELECT operator_id, outcome, detail FROM audit_log WHERE action = 'stay.undoSettlement'`).all();
      await vi.waitFor(() => expect(audited()).not.toEqual([]), { timeout: SETTLES_WITHIN_MS, interval: 50 });
      expect(audited()).toEqual([
        { operator_id: null, outcome: 'ok', detail: `${settled.iptNo} 工作站自动继续并完成撤销（sf001 原因：漏记费用 并撤销出院）` },
      ]);
    },
    2 * SETTLES_WITHIN_MS,
  );
});
