/**
 * Answers forged from a real centre signature. The sm profile signs the output only, and every answer without
 * output (each refusal, each 2601) is signed over the empty string: one captured signature verifies under any
 * such answer. Against the centre simulator over 127.0.0.1 with the station's SQLite file, journal and outbox,
 * a man in the middle lets the centre act and hands back a forgery; the station must not reopen the order.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { querySettlement, type Settlement } from '../../../insurance/nhsa';
import { POPULATION, startCentreWithFreshKeys, type CentreFixture } from '../../../simulators/nhsa';
import { systemClock } from '../../clock';
import { MOVEMENT_KINDS } from '../../movements';
import type { SettlementPayload } from './settlement';
import { centreConnection, createSettlementRig, INSTITUTION, OPERATOR, readyToSettle, type SettlementRig } from '../testing/settlement-rig';

const clock = systemClock();
let dir: string;
let fx: CentreFixture;
let rig: SettlementRig;
/** A real answer without output, as the centre signed it. */
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

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'settle-forged-'));
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

/** A real refusal (5203 of a settlement that does not exist) to take the centre's empty-output signature from. */
async function captureEmptySignature(payload: SettlementPayload): Promise<Record<string, unknown>> {
  const refused = await rig.gateway.perform(
    '5203',
    OPERATOR,
    (c, ctx) => querySettlement(c, ctx, { psn_no: payload.input.psn_no, mdtrt_id: payload.input.mdtrt_id, setl_id: 'NO-SUCH-SETTLEMENT' }),
    { insuredRegion: payload.insuredRegion },
  );
  expect(refused.kind).toBe('rejected');
  expect(emptySigned).not.toBeNull();
  return emptySigned!;
}

const settle = (payload: SettlementPayload) =>
  rig.outbox.run<SettlementPayload, Settlement>(MOVEMENT_KINDS.settlement, {
    orderId: 'B',
    externalId: rig.msgids.next(clock.now()),
    payload,
  });

const settlementsAtCentre = () => fx.centre.control.books().settlements.map((s) => s.state);

describe('forged answers built from a real centre signature', () => {
  it('a refusal forged over a 2207 the centre booked is unknown, not "failed"; the order is reversed, not reopened', async () => {
    const payload = await readyToSettle(rig, person);
    const real = await captureEmptySignature(payload);
    forgeries.set('2207', { answer: { ...real, infcode: -1, err_msg: '个人账户余额不足' }, forward: true });

    const forged = await settle(payload);
    expect(forged.state).toBe('unknown');
    expect(rig.outbox.isLocked('B')).toBe(true);
    expect(settlementsAtCentre()).toEqual(['settled']);

    forgeries.clear();
    await rig.outbox.resolveNow();
    expect(rig.intents.get(forged.intentId)!.state).toBe('compensated');
    expect(settlementsAtCentre()).toEqual(['reversed']);
  });

  it('a 2601 "done" forged while the centre never saw the 2601 is not believed: the settlement stays in doubt', async () => {
    const payload = await readyToSettle(rig, person);
    const real = await captureEmptySignature(payload);
    fx.centre.control.inject({ infno: '2207', fault: { kind: 'drop-response' }, times: 1 });
    const lost = await settle(payload);
    expect(lost.state).toBe('unknown');

    forgeries.set('2601', { answer: { ...real, infcode: 0, err_msg: '' }, forward: false });
    await rig.outbox.resolveNow();
    expect(rig.intents.get(lost.intentId)!.state).toBe('compensating');
    expect(rig.outbox.isLocked('B')).toBe(true);
    expect(fx.centre.control.requests().filter((r) => r.infno === '2601')).toHaveLength(0);
    expect(settlementsAtCentre()).toEqual(['settled']);
  });
});
