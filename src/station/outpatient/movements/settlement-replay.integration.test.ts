/**
 * A 2207 answer is checked against the order it settles. The centre signs only the output, so its real, signed
 * answer for order A verifies just as well when a man in the middle hands it back for order B. Against the centre
 * simulator over 127.0.0.1, with the station's SQLite file, journal and outbox: B's replayed answer neither
 * completes B nor frees it — B stays in doubt (journalled as a mismatch) until the resolver reverses B's own msgid,
 * and the centre's books end with A once and B not at all.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cancelOutpatientSettlement, type Settlement } from '../../../insurance/nhsa';
import { POPULATION, startCentreWithFreshKeys, type CentreFixture } from '../../../simulators/nhsa';
import { systemClock } from '../../clock';
import { MOVEMENT_KINDS } from '../../movements';
import type { SettlementPayload } from './settlement';
import { centreConnection, createSettlementRig, INSTITUTION, readyToSettle, type SettlementRig } from '../testing/settlement-rig';

const clock = systemClock();
let dir: string;
let fx: CentreFixture;
let rig: SettlementRig;
/** The last real 2207 answer body the centre sent, and whether to hand it back instead of the next one. */
let captured: string | null = null;
let replay = false;

const insured = POPULATION.filter((p) => p.insurances[0]?.insuplcAdmdvs === INSTITUTION.admdvs && p.insurances[0]?.psnInsuStas === '1');

/** The transaction whose answers are captured and replayed. */
let target = '2207';

const manInTheMiddle: typeof fetch = async (url, init) => {
  const response = await fetch(url, init);
  if (!String(url).endsWith(`/${target}`)) return response;
  const body = await response.text();
  if (!replay) captured = body;
  return new Response(replay ? captured : body, { status: response.status, headers: { 'content-type': 'application/json' } });
};

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'settle-replay-'));
  fx = await startCentreWithFreshKeys({ region: INSTITUTION.admdvs });
  rig = createSettlementRig(dir, centreConnection(fx, manInTheMiddle));
  captured = null;
  replay = false;
  target = '2207';
});

afterEach(async () => {
  await rig.close();
  await fx.centre.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const settle = (orderId: string, payload: SettlementPayload) =>
  rig.outbox.run<SettlementPayload, Settlement>(MOVEMENT_KINDS.settlement, { orderId, externalId: rig.msgids.next(clock.now()), payload });

describe('a real 2207 answer replayed for another order', () => {
  const cases: [string, () => [(typeof insured)[number], (typeof insured)[number]]][] = [
    ['another patient', () => [insured[0]!, insured[1]!]],
    ['the same patient, another visit', () => [insured[0]!, insured[0]!]],
  ];
  for (const [what, patients] of cases) {
    it(`(${what}) is an unknown outcome: B is neither completed nor freed, then reversed by its own msgid`, async () => {
      const [a, b] = patients();
      const orderA = await readyToSettle(rig, a);
      const orderB = await readyToSettle(rig, b);
      const first = await settle('A', orderA);
      expect(first.state).toBe('succeeded');
      expect(captured).toContain('"infcode":0');

      replay = true;
      const forged = await settle('B', orderB);
      expect(forged.state).toBe('unknown');
      expect(rig.finals.filter((f) => f.startsWith(forged.intentId))).toEqual([]);
      expect(rig.outbox.isLocked('B')).toBe(true);
      const intentB = rig.intents.get(forged.intentId)!;
      const journal = rig.db.prepare('SELECT state, detail FROM nhsa_calls WHERE msgid = ?').get(intentB.externalId) as {
        state: string;
        detail: string;
      };
      expect(journal.state).toBe('unknown');
      expect(journal.detail).toMatch(/^s1:/); // sealed: an answer's words can quote a patient
      expect(rig.cipher.openText(journal.detail)).toMatch(/^mismatch: the answer does not echo this request: .*medins_setl_id/);

      replay = false;
      await rig.outbox.resolveNow();
      expect(rig.intents.get(forged.intentId)!.state).toBe('compensated');
      const reversal = fx.centre.control.requests().find((r) => r.infno === '2601')!;
      expect(reversal.msgid).toBe(rig.intents.get(forged.intentId)!.compExternalId);
      const books = fx.centre.control.books();
      expect(books.settlements.map((s) => [s.mdtrt_id, s.state])).toEqual([
        [orderA.input.mdtrt_id, 'settled'],
        [orderB.input.mdtrt_id, 'reversed'],
      ]);
    });
  }
});

describe('a real 2208 answer replayed for another settlement', () => {
  it("is an unknown outcome (mismatch): the station does not take it for B's cancel", async () => {
    const orderA = await readyToSettle(rig, insured[0]!);
    const orderB = await readyToSettle(rig, insured[1]!);
    const setlIdOf = async (orderId: string, payload: SettlementPayload) => {
      const r = await settle(orderId, payload);
      expect(r.state).toBe('succeeded');
      return (r as { output: Settlement }).output.setlinfo.setl_id;
    };
    const [setlA, setlB] = [await setlIdOf('A', orderA), await setlIdOf('B', orderB)];
    const cancel = (payload: SettlementPayload, setlId: string) =>
      rig.gateway.perform(
        '2208',
        payload.operator,
        (c, ctx) => cancelOutpatientSettlement(c, ctx, { setl_id: setlId, mdtrt_id: payload.input.mdtrt_id, psn_no: payload.input.psn_no }),
        { insuredRegion: payload.insuredRegion },
      );
    target = '2208';
    expect(await cancel(orderA, setlA)).toMatchObject({ kind: 'ok' });
    replay = true;
    const forged = await cancel(orderB, setlB);
    expect(forged).toMatchObject({ kind: 'unknown', reason: 'mismatch' });
    expect(forged).toMatchObject({ detail: 'the answer does not echo this request: mdtrt_id, psn_no' });
  });
});
