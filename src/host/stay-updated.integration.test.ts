/**
 * The `stayUpdated` word over the loopback host's WebSocket, as the bedside and the window's undo hear it: a training
 * station, the nurse (hs001) and a cashier (sf001) each on their own socket. The discharge's e-bill is issued in the
 * background after HIS's booking, and an undo whose 2305 answer was lost finishes by itself: each time a word arrives
 * for the stay once it happened, and the stay read at that moment (the bedside's list, the window's find) shows it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PatientView } from '../shared/domain';
import type { StationEventMap } from '../shared/api';
import type { StayView, WardPatientView } from '../shared/inpatient';
import { ok, startOutpatientHarness, type OutpatientHarness } from '../../test/harness/outpatient-harness';
import { payWechatDeposit } from '../../test/harness/training-station';
import { connect, type TestClient } from '../../test/harness/ws-test-client';
import { TRAINING_PASSWORD } from '../station/auth/training-operators';

/** 黄志强: resident scheme (390), in HIS and the centre's population. */
const RESIDENT = { hisId: 'P000103', idNo: '350211195203054010' };
const WARD = 'W0301';

type StayWord = StationEventMap['stayUpdated'];

let h: OutpatientHarness;
let cashier: TestClient;
beforeEach(async () => {
  h = await startOutpatientHarness({ inpatientUploadEveryMs: 200 }, 'hs001');
  cashier = await connect(h.host);
  ok(await cashier.call('login', { login: 'sf001', password: TRAINING_PASSWORD }));
});
afterEach(async () => {
  cashier.close();
  await h.close();
});

/** The nurse's discharge of 黄志强 settled through the socket: HIS booked it, the deposit covering it. */
async function settledStay(): Promise<StayView> {
  const ward = h.station.training!.his.control.ward;
  const iptNo = ward.admit({ patientId: RESIDENT.hisId, wardCode: WARD });
  ward.charge({ iptNo, day: '2026-12-01', lines: [{ hospCode: 'Y0006', quantity: '2' }] });
  await payWechatDeposit(h.station, h.dataDir, iptNo, 30_000);
  const patient = ok(await h.c.call<PatientView>('identifyPatient', { method: 'idcard', certNo: RESIDENT.idNo }));
  const stay = ok(await h.c.call<StayView>('admitStay', { iptNo, identificationId: patient.identificationId }));
  ward.orderDischarge(iptNo);
  ok(await h.c.call<StayView>('dischargeStay', { stayId: stay.id }));
  ok(await h.c.call('preSettleDischarge', { stayId: stay.id }));
  const settled = ok(await h.c.call<StayView>('settleDischarge', { stayId: stay.id }));
  expect(settled.state).toBe('completed');
  return settled;
}

/**
 * Words for the stay heard by `client` from the `from`-th event on, in order: each that `counts` (asked as it
 * arrives) has the stay read again at once, as a screen would; resolves with the first reading `accept` takes.
 * Times out if no word after the change brings it — a word before the change reads the old state.
 */
async function heardThenRead<T>(
  client: TestClient,
  stayId: string,
  from: number,
  read: () => Promise<T>,
  accept: (value: T) => boolean,
  counts: () => boolean = () => true,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let seen = from;
  for (;;) {
    while (seen < client.events.length) {
      const e = client.events[seen++]!;
      if (e.event !== 'stayUpdated' || (e.payload as StayWord).stayId !== stayId || !counts()) continue;
      const value = await read();
      if (accept(value)) return value;
    }
    if (Date.now() > deadline) throw new Error(`no stayUpdated word for ${stayId} brought the change in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('stayUpdated over the loopback socket', () => {
  it('tells the bedside once the discharge’s e-bill is issued in the background: the ward list read then shows it issued', async () => {
    const from = h.c.events.length;
    const stay = await settledStay();
    const platform = h.station.training!.ebill.control;
    const row = async () =>
      ok(await h.c.call<WardPatientView[]>('listWardPatients', { wardCode: WARD })).find((p) => p.stay?.id === stay.id)!;
    // Only words arriving once the platform holds the bill count: the settlement's own word came before it.
    const shown = await heardThenRead(
      h.c,
      stay.id,
      from,
      row,
      (p) => p.stay!.ebill?.state === 'issued',
      () => platform.bills().some((b) => b.busType === '01'),
    );
    expect(shown.stay!.ebill!.no).toBe(platform.bills().find((b) => b.busType === '01')!.billNo);
    expect(shown.iptNo).toBe(stay.iptNo);
    // The word names the stay by both its ids.
    expect(h.c.events.find((e) => e.event === 'stayUpdated')!.payload).toEqual({ stayId: stay.id, iptNo: stay.iptNo });
  });

  it('tells the bedside and the window once an undo whose 2305 answer was lost finishes by itself', async () => {
    const rig = h.station.training!;
    // The bill refused at the platform: no red-flush follows the undo, so no bill's word can stand in for the undo's.
    rig.ebill.control.fault('invEBillHospitalized', 'refuse', 5);
    const stay = await settledStay();
    rig.centre.control.inject({ infno: '2305', fault: { kind: 'drop-response' }, times: 1 });
    const undone = await cashier.call<StayView>('undoDischargeSettlement', { stayId: stay.id, reason: '费用录入有误' });
    expect(undone).toMatchObject({ ok: false, error: { code: 'OUTCOME_UNKNOWN' } });
    // Only words after the answer count: the undo was still open when it came.
    const [nurseFrom, windowFrom] = [h.c.events.length, cashier.events.length];
    const found = () => cashier.call<StayView>('findStayByIptNo', { iptNo: stay.iptNo }).then(ok);
    expect((await found()).undo).toMatchObject({ stopped: null });

    const atWindow = await heardThenRead(cashier, stay.id, windowFrom, found, (s) => s.undo === null);
    expect(atWindow).toMatchObject({ state: 'discharged', booking: null });
    const atBedside = await heardThenRead(
      h.c,
      stay.id,
      nurseFrom,
      async () => ok(await h.c.call<WardPatientView[]>('listWardPatients', { wardCode: WARD })).find((p) => p.stay?.id === stay.id),
      (p) => p?.stay?.undo === null,
    );
    expect(atBedside!.stay!.state).toBe('discharged');
    expect(rig.centre.control.books().settlements.find((s) => s.setl_id === stay.settlement!.setlId)!.state).toBe('cancelled');
  });
});
