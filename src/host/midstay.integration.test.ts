/**
 * 中途结算 through the real station (issue 15): a training station, the nurse (hs001) signed in, a HIS stay with a
 * cash deposit. Through the dispatcher as the bedside screen calls it: 医保入院登记, the mid-stay settlement, a line
 * later the discharge settling only that line. The hospital ledger holds both 2304s as inpatient settlements, each
 * with its own split — what 3201 reconciles against the centre's two settlements.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import type { ComposedStation } from '../app/compose';
import { openTrainingStation, signInAs } from '../../test/harness/training-station';
import { openDatabase } from '../station/store';
import type { PatientView } from '../shared/domain';
import type { MidstaySettlementView, StayView } from '../shared/inpatient';

/** 黄志强: resident scheme (390), no personal account, so a cash part. */
const RESIDENT = { hisId: 'P000103', idNo: '350211195203054010' };
const WARD = 'W0301';

let dataDir: string;
let station: ComposedStation;
let opened: Awaited<ReturnType<typeof openTrainingStation>>;

beforeEach(async () => {
  opened = await openTrainingStation('midstay', { trainingWard: false });
  ({ dataDir, station } = opened);
});
afterEach(() => opened.close());

const signedIn = (login: string) => signInAs(station, login);

describe('中途结算 through the station', () => {
  it('the mid-stay and the discharge settlement each reach the hospital ledger with their own split', async () => {
    const ward = station.training!.his.control.ward;
    const iptNo = ward.admit({ patientId: RESIDENT.hisId, wardCode: WARD });
    for (const day of ['2026-12-01', '2026-12-02']) ward.charge({ iptNo, day, lines: [{ hospCode: 'Y0006', quantity: '2' }] });
    ward.charge({ iptNo, lines: [{ hospCode: 'Y0007', quantity: '1' }] });
    ward.deposit({ iptNo, channel: 'cash', amountFen: 50_000 });

    const nurse = await signedIn('hs001');
    const patient = await nurse.call<PatientView>('identifyPatient', { method: 'idcard', certNo: RESIDENT.idNo });
    const stay = await nurse.call<StayView>('admitStay', { iptNo, identificationId: patient.identificationId });
    const cashier = await signedIn('sf001');
    expect(await cashier.raw('settleMidstay', { stayId: stay.id })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    const mid = await nurse.call<MidstaySettlementView>('settleMidstay', { stayId: stay.id });
    // 2 × 8.40 + 36.00
    expect(mid).toMatchObject({ state: 'booked', medfeeFen: 5280, uptoLine: 3, booking: { depositsFen: mid.cashFen } });
    ward.charge({ iptNo, lines: [{ hospCode: 'Y0006', quantity: '1' }] });
    ward.orderDischarge(iptNo);
    await nurse.call('dischargeStay', { stayId: stay.id });
    const done = await nurse.call<StayView>('settleDischarge', { stayId: stay.id });
    expect(done).toMatchObject({ state: 'completed', settlement: { medfeeFen: 420, uptoLine: 4 }, midway: [{ setlId: mid.setlId }] });

    const db = openDatabase(path.join(dataDir, 'station.db'));
    try {
      const events = (db.prepare('SELECT body FROM ledger_events ORDER BY seq').all() as { body: string }[])
        .map((r) => JSON.parse(r.body) as { movement: string; orderId: string; amounts: object; ids: { setlId?: string } })
        .filter((e) => e.orderId === stay.id && e.movement === 'nhsa.2304');
      const s = done.settlement!;
      expect(events.map((e) => [e.ids.setlId, e.amounts])).toEqual([
        [mid.setlId, { total: 5280, fund: mid.fundFen, pool: mid.fundFen, account: mid.acctFen, cash: mid.cashFen }],
        [s.setlId, { total: 420, fund: s.fundFen, pool: s.fundFen, account: s.acctFen, cash: s.cashFen }],
      ]);
    } finally {
      db.close();
    }
  });
});
