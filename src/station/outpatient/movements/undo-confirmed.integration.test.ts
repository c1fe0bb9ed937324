/**
 * Undo steps and a lost registration against the centre simulator over 127.0.0.1, with the station's SQLite file,
 * journal, gateway and outbox: a refusal or an empty "ok" of 2205 / 2202 (an answer without signed content, see
 * settlement-forged.integration.test.ts) counts only once 5204 / 5201 show the centre's books; a lost 2201 is
 * found by 5201 and cancelled by 2202; a 2601 of a 2201 (outside the national list) never leaves the station.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { queryFeeDetails, uploadOutpatientFees } from '../../../insurance/nhsa';
import { POPULATION, startCentreWithFreshKeys, type CentreFixture } from '../../../simulators/nhsa';
import { fen } from '../../../shared/money';
import { systemClock } from '../../clock';
import { stationIds } from '../../ids';
import { MOVEMENT_KINDS } from '../../movements';
import { NEVER_UNDONE_QUERY_TIMING } from '../../outbox';
import { FieldCipher, loadOrCreateDataKeys } from '../../security';
import { OrdersRepo } from '../orders-repo';
import { fakeHis, fakePay } from '../testing/saga-kit';
import { centreConnection, createSettlementRig, INSTITUTION, OPERATOR, type SettlementRig } from '../testing/settlement-rig';
import { feesCancelMovement, registrationCancelMovement, type FeesCancelPayload, type RegistrationCancelPayload } from './cancels';
import type { LostRegistration } from './deps';
import { registrationMovement, type RegistrationPayload } from './registration';

const clock = systemClock();
let dir: string;
let fx: CentreFixture;
let rig: SettlementRig;
let emptySigned: Record<string, unknown> | null = null;
/** infno → the forged answer handed back instead of the centre's; `forward`: whether the centre still sees the request. */
const forgeries = new Map<string, { answer: Record<string, unknown>; forward: boolean }>();

const manInTheMiddle: typeof fetch = async (url, init) => {
  const forged = forgeries.get(String(url).split('/').pop()!);
  if (forged && !forged.forward) return Response.json(forged.answer);
  const response = await fetch(url, init);
  const body = (await response.json()) as Record<string, unknown>;
  if (body.output === undefined && body.infcode !== 0) emptySigned ??= body;
  return Response.json(forged ? forged.answer : body, { status: response.status });
};

const person = POPULATION.find((p) => p.insurances[0]?.insuplcAdmdvs === INSTITUTION.admdvs && p.insurances[0]?.psnInsuStas === '1')!;

/** The rig's outbox with the registration and undo movements of the outpatient saga, as the station registers them. */
function withOutpatientMovements(lostRegistration: LostRegistration = 'query-and-cancel'): void {
  const now = () => clock.now();
  const d = {
    gateway: rig.gateway,
    his: fakeHis(),
    pay: fakePay(),
    messageClient: null,
    newMsgid: () => rig.msgids.next(clock.now()),
    ids: stationIds(now),
    orders: new OrdersRepo(rig.db, new FieldCipher(loadOrCreateDataKeys(path.join(dir, 'keys')))),
    now,
    payWindowMs: 30 * 60_000,
    sendsMessages: false,
    qrPollEveryMs: 2_000,
    lostRegistration,
  };
  for (const m of [registrationMovement(d), feesCancelMovement(d), registrationCancelMovement(d)]) rig.outbox.register(m);
}

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'undo-confirmed-'));
  fx = await startCentreWithFreshKeys({ region: INSTITUTION.admdvs });
  rig = createSettlementRig(dir, centreConnection(fx, manInTheMiddle));
  emptySigned = null;
  forgeries.clear();
});

afterEach(async () => {
  await rig.close();
  await fx.centre.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

let n = 0;
/** yyyy-MM-dd HH:mm:ss in Beijing time: the visit begins now, inside the window 5201 is asked for. */
const beijingNow = () => new Date(clock.now().getTime() + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
/** A registration payload of today (Beijing time), under a fresh HIS order number. */
async function registrationPayload(): Promise<RegistrationPayload> {
  const { person: stored } = await rig.gateway.personInfo(OPERATOR, { certType: '02', certNo: person.idNo });
  n += 1;
  return {
    operator: OPERATOR,
    insuredRegion: stored.insurances[0]!.insuredRegion,
    psnNo: stored.psnNo,
    input: {
      psn_no: stored.psnNo,
      insutype: stored.insurances[0]!.insutype,
      begntime: beijingNow(),
      mdtrt_cert_type: '02',
      mdtrt_cert_no: person.idNo,
      ipt_otp_no: `MZ${Date.now()}${n}`,
      atddr_no: 'D001',
      dr_name: '李华',
      dept_code: 'NK01',
      dept_name: '内科',
      caty: 'A03',
    },
  };
}

const run = <P>(kind: string, payload: P, orderId = 'A') =>
  rig.outbox.run<P, unknown>(kind, { orderId, externalId: rig.msgids.next(clock.now()), payload });

/** Registered through the outbox: the visit's mdtrt_id. */
async function registered(payload: RegistrationPayload): Promise<string> {
  const r = await run(MOVEMENT_KINDS.registration, payload);
  expect(r.state).toBe('succeeded');
  return (r as { output: { mdtrt_id: string } }).output.mdtrt_id;
}

/** A real refusal (5204 of a visit that does not exist) to take the centre's empty-output signature from. */
async function captureEmptySignature(p: RegistrationPayload): Promise<Record<string, unknown>> {
  const refused = await rig.gateway.perform(
    '5204',
    OPERATOR,
    (c, ctx) => queryFeeDetails(c, ctx, { psn_no: p.psnNo, mdtrt_id: 'NO-SUCH-VISIT', setl_id: '' }),
    { insuredRegion: p.insuredRegion },
  );
  expect(refused.kind).toBe('rejected');
  return emptySigned!;
}

const visitsAtCentre = () => fx.centre.control.books().visits.map((v) => ({ ipt_otp_no: v.ipt_otp_no, state: v.state }));
const requests = (infno: string) => fx.centre.control.requests().filter((r) => r.infno === infno);

describe('a lost 2201', () => {
  it('the centre registered it: 5201 finds the visit by the HIS order number, 2202 cancels it, and no 2601 is sent', async () => {
    withOutpatientMovements();
    const payload = await registrationPayload();
    fx.centre.control.inject({ infno: '2201', fault: { kind: 'drop-response' }, times: 1 });
    const lost = await run(MOVEMENT_KINDS.registration, payload);
    expect(lost.state).toBe('unknown');
    expect(visitsAtCentre()).toEqual([{ ipt_otp_no: payload.input.ipt_otp_no, state: 'open' }]);

    await rig.outbox.resolveNow();
    expect(rig.intents.get(lost.intentId)!.state).toBe('compensated');
    expect(visitsAtCentre()).toEqual([{ ipt_otp_no: payload.input.ipt_otp_no, state: 'cancelled' }]);
    expect(requests('2202')).toHaveLength(1);
    expect(requests('2601')).toHaveLength(0);
  });

  it('the request never reached the centre: 5201 shows no visit, the registration did not happen, nothing is cancelled', async () => {
    withOutpatientMovements();
    const payload = await registrationPayload();
    fx.centre.control.inject({ infno: '2201', fault: { kind: 'drop-request' }, times: 1 });
    const lost = await run(MOVEMENT_KINDS.registration, payload);
    expect(lost.state).toBe('unknown');
    await rig.outbox.resolveNow();
    expect(rig.intents.get(lost.intentId)!.state).toBe('failed');
    expect(requests('5201')).toHaveLength(1);
    expect(requests('2202')).toHaveLength(0);
  });

  it("set to 'reverse-2601' while the client's list (the national one) lacks 2201: refused before sending, no 2601 leaves", async () => {
    withOutpatientMovements('reverse-2601');
    const payload = await registrationPayload();
    fx.centre.control.inject({ infno: '2201', fault: { kind: 'drop-response' }, times: 1 });
    const lost = await run(MOVEMENT_KINDS.registration, payload);
    await rig.outbox.resolveNow();
    // Refused on every try (each counts as an attempt): still being retried, or already with a person.
    expect(rig.intents.get(lost.intentId)).toMatchObject({
      state: expect.stringMatching(/^(compensating|escalated)$/),
      detail: expect.stringContaining('交易2201不在本省可冲正（2601）交易之列，未发送冲正，需人工核实'),
    });
    expect(requests('2601')).toHaveLength(0);
    expect(visitsAtCentre()).toEqual([{ ipt_otp_no: payload.input.ipt_otp_no, state: 'open' }]);
  });
});

describe('forged answers to the undo steps', () => {
  it('a refusal forged over a 2205 the centre carried out is done once 5204 shows no active fee line', async () => {
    withOutpatientMovements();
    const reg = await registrationPayload();
    const mdtrtId = await registered(reg);
    const chrgBchno = `CB${Date.now()}`;
    const up = await rig.gateway.perform(
      '2204',
      OPERATOR,
      (c, ctx) =>
        uploadOutpatientFees(c, ctx, {
          feedetail: [
            {
              feedetl_sn: `${chrgBchno}-1`,
              mdtrt_id: mdtrtId,
              psn_no: reg.psnNo,
              chrg_bchno: chrgBchno,
              fee_ocur_time: reg.input.begntime,
              med_list_codg: 'XA10BAA021A001010100264',
              medins_list_codg: 'H-XA10BAA0',
              det_item_fee_sumamt: fen(2300),
              cnt: '2',
              pric: '11.50',
              bilg_dept_codg: 'NK01',
              bilg_dept_name: '内科',
              bilg_dr_codg: 'D001',
              bilg_dr_name: '李华',
            },
          ],
        }),
      { insuredRegion: reg.insuredRegion },
    );
    expect(up.kind).toBe('ok');
    const real = await captureEmptySignature(reg);
    forgeries.set('2205', { answer: { ...real, infcode: -1, err_msg: '费用明细不存在' }, forward: true });

    const p: FeesCancelPayload = { operator: OPERATOR, insuredRegion: reg.insuredRegion, psnNo: reg.psnNo, mdtrtId, chrgBchno };
    const r = await run(MOVEMENT_KINDS.feesCancel, p);
    expect(r.state).toBe('succeeded');
    expect(fx.centre.control.books().feeBatches).toMatchObject([{ chrg_bchno: chrgBchno, state: 'cancelled' }]);
  });

  it('a 2202 whose answer is lost, and the answer to it asked again too, is asked again later under its msgid: never handed to a person', async () => {
    await rig.close();
    rig = createSettlementRig(dir, centreConnection(fx), { queryWindowMs: 0 }); // past the query window at once
    withOutpatientMovements();
    const reg = await registrationPayload();
    const mdtrtId = await registered(reg);
    const p: RegistrationCancelPayload = {
      operator: OPERATOR,
      insuredRegion: reg.insuredRegion,
      psnNo: reg.psnNo,
      mdtrtId,
      iptOtpNo: reg.input.ipt_otp_no,
    };
    fx.centre.control.inject({ infno: '2202', fault: { kind: 'drop-response' }, times: 2 });
    const lost = await run(MOVEMENT_KINDS.registrationCancel, p);
    expect(lost.state).toBe('unknown');
    const before = Date.now();
    await rig.outbox.resolveNow();
    // Still unknown, asked again at the calm pace: a cancel has no undo, so no compensation that a person must judge.
    const open = rig.intents.get(lost.intentId)!;
    expect(open).toMatchObject({ state: 'unknown', attempts: 0 });
    expect(new Date(open.nextAt!).getTime()).toBeGreaterThanOrEqual(before + NEVER_UNDONE_QUERY_TIMING.everyMs - 1_000);
    const sent = fx.centre.control.requests().filter((r) => r.infno === '2202');
    expect(new Set(sent.map((r) => r.msgid)).size).toBe(1); // the same msgid each time
    expect(visitsAtCentre()).toEqual([{ ipt_otp_no: reg.input.ipt_otp_no, state: 'cancelled' }]);
  });

  it('an empty "ok" forged for a 2202 the centre never saw is unknown; the repeat under the same msgid cancels the visit', async () => {
    withOutpatientMovements();
    const reg = await registrationPayload();
    const mdtrtId = await registered(reg);
    const real = await captureEmptySignature(reg);
    forgeries.set('2202', { answer: { ...real, infcode: 0, err_msg: '' }, forward: false });

    const p: RegistrationCancelPayload = {
      operator: OPERATOR,
      insuredRegion: reg.insuredRegion,
      psnNo: reg.psnNo,
      mdtrtId,
      iptOtpNo: reg.input.ipt_otp_no,
    };
    const forged = await run(MOVEMENT_KINDS.registrationCancel, p);
    expect(forged.state).toBe('unknown');
    expect(visitsAtCentre()).toEqual([{ ipt_otp_no: reg.input.ipt_otp_no, state: 'open' }]);

    forgeries.clear();
    await rig.outbox.resolveNow();
    expect(rig.intents.get(forged.intentId)!.state).toBe('succeeded');
    expect(visitsAtCentre()).toEqual([{ ipt_otp_no: reg.input.ipt_otp_no, state: 'cancelled' }]);
    const sent = requests('2202').map((r) => r.msgid);
    expect(sent).toEqual([rig.intents.get(forged.intentId)!.externalId]);
  });
});
