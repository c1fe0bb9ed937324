/**
 * AQ-05 / issue 5 with real parts: the NHSA centre simulator (its own ledger) on 127.0.0.1, the station's
 * SQLite file, its journal and outbox. A 2207 whose answer is lost after the centre committed it is reversed by
 * 2601 with the original msgid; the order is then settled once under a new msgid, and the centre's 3201 totals
 * show exactly that one settlement — nothing lost, nothing doubled. The same holds when the station process is
 * killed (SIGKILL) while its 2207 is in flight.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { reconcileTotals, type Settlement } from '../../../insurance/nhsa';
import { POPULATION, startCentreWithFreshKeys, type CentreFixture } from '../../../simulators/nhsa';
import { localDay, systemClock } from '../../clock';
import { MOVEMENT_KINDS } from '../../movements';
import type { SettlementPayload } from './settlement';
import {
  centreConnection,
  createSettlementRig,
  INSTITUTION,
  OPERATOR,
  readyToSettle,
  type CentreConnection,
  type SettlementRig,
} from '../testing/settlement-rig';
import { fen } from '../../../shared/money';

const clock = systemClock();
let dir: string;
let fx: CentreFixture;
let connection: CentreConnection;
let rig: SettlementRig;

const patient = () =>
  POPULATION.find((p) => p.insurances[0]?.insuplcAdmdvs === INSTITUTION.admdvs && p.insurances[0]?.psnInsuStas === '1')!;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'settle-movement-'));
  fx = await startCentreWithFreshKeys({ region: INSTITUTION.admdvs });
  connection = centreConnection(fx);
  rig = createSettlementRig(dir, connection);
});

afterEach(async () => {
  await rig.close();
  await fx.centre.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function centreTotals(payload: SettlementPayload, t: { medfee: number; fund: number; acct: number; count: number }) {
  const day = localDay(clock.now(), clock.timeZone);
  return rig.gateway.perform('3201', OPERATOR, (client, ctx) =>
    reconcileTotals(client, ctx, {
      setl_optins: payload.insuredRegion,
      stmt_begndate: day,
      stmt_enddate: day,
      clr_type: '11',
      insutype: payload.input.insutype,
      medfee_sumamt: fen(t.medfee),
      fund_pay_sumamt: fen(t.fund),
      acct_pay: fen(t.acct),
      fixmedins_setl_cnt: t.count,
    }),
  );
}

/** The centre's ledger holds exactly this one settlement: it balances, and a doubled booking would not. */
async function expectBookedOnce(payload: SettlementPayload, settlement: Settlement) {
  const s = settlement.setlinfo;
  const once = { medfee: s.medfee_sumamt, fund: s.fund_pay_sumamt, acct: s.acct_pay, count: 1 };
  expect(await centreTotals(payload, once)).toMatchObject({ kind: 'ok', output: { balanced: true } });
  const doubled = { medfee: once.medfee * 2, fund: once.fund * 2, acct: once.acct * 2, count: 2 };
  expect(await centreTotals(payload, doubled)).toMatchObject({ kind: 'ok', output: { balanced: false } });
}

describe('2207 through the outbox against the centre simulator', () => {
  it('settles once when the answer arrives', async () => {
    const payload = await readyToSettle(rig, patient());
    const r = await rig.outbox.run<SettlementPayload, Settlement>(MOVEMENT_KINDS.settlement, {
      orderId: 'o1',
      externalId: rig.msgids.next(clock.now()),
      payload,
    });
    expect(r.state).toBe('succeeded');
    if (r.state !== 'succeeded') return;
    const split = r.output.setlinfo;
    expect(split.fund_pay_sumamt + split.acct_pay + split.psn_cash_pay + (split.hosp_part_amt ?? 0)).toBe(5300);
  });

  it('a 2207 answer lost after the centre committed is reversed by 2601 with its msgid; the retry settles once', async () => {
    const payload = await readyToSettle(rig, patient());
    fx.centre.control.inject({ infno: '2207', fault: { kind: 'drop-response' }, times: 1 });
    const lost = await rig.outbox.run<SettlementPayload, Settlement>(MOVEMENT_KINDS.settlement, {
      orderId: 'o1',
      externalId: rig.msgids.next(clock.now()),
      payload,
    });
    expect(lost.state).toBe('unknown');
    expect(rig.outbox.isLocked('o1')).toBe(true);
    await rig.outbox.resolveNow();
    const resolved = rig.intents.get(lost.intentId)!;
    expect(resolved.state).toBe('compensated');
    expect(rig.finals).toEqual([`${lost.intentId}:compensated`]);

    // What the centre recorded: the 2207 it committed, and a 2601 naming exactly that msgid.
    const requests = fx.centre.control.requests();
    const reversal = requests.find((m) => m.infno === '2601')!;
    expect(reversal.msgid).toBe(resolved.compExternalId);
    expect(requests.filter((m) => m.infno === '2207').map((m) => m.msgid)).toEqual([resolved.externalId]);

    const again = await rig.outbox.run<SettlementPayload, Settlement>(MOVEMENT_KINDS.settlement, {
      orderId: 'o1',
      externalId: rig.msgids.next(clock.now()),
      payload,
    });
    expect(again.state).toBe('succeeded');
    if (again.state !== 'succeeded') return;
    await expectBookedOnce(payload, again.output);
  });

  it('a 2207 request lost before the centre saw it: the 2601 finds nothing to undo, and the order is free again', async () => {
    const payload = await readyToSettle(rig, patient());
    fx.centre.control.inject({ infno: '2207', fault: { kind: 'drop-request' }, times: 1 });
    const lost = await rig.outbox.run<SettlementPayload, Settlement>(MOVEMENT_KINDS.settlement, {
      orderId: 'o1',
      externalId: rig.msgids.next(clock.now()),
      payload,
    });
    expect(lost.state).toBe('unknown');
    await rig.outbox.resolveNow();
    expect(['failed', 'compensated']).toContain(rig.intents.get(lost.intentId)!.state);
    expect(rig.outbox.isLocked('o1')).toBe(false);
  });

  it('the station killed (SIGKILL) while its 2207 is in flight: on restart the intent is reversed, then settled once', async () => {
    const payload = await readyToSettle(rig, patient());
    // The centre commits at once and holds the answer back, so the process dies with its call in flight.
    fx.centre.control.inject({ infno: '2207', fault: { kind: 'delay', ms: 3000 }, times: 1 });
    const msgid = rig.msgids.next(clock.now());
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(import.meta.dirname, '..', 'testing', 'settle-in-child.ts'),
        dir,
        JSON.stringify({ centre: connection, payload, msgid }),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    const deadline = Date.now() + 15_000;
    while (!fx.centre.control.requests().some((r) => r.infno === '2207')) {
      if (Date.now() > deadline) throw new Error('the child never sent its 2207');
      await new Promise((r) => setTimeout(r, 10));
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(output).not.toContain('answered');

    // What the dead process left: the intent, written before the call, with no answer.
    const [left] = rig.intents.inState('prepared');
    expect(left).toMatchObject({ externalId: msgid, orderId: 'order-crash' });

    // "Restart": the outbox starts over the same data dir and resolves what was interrupted.
    rig.outbox.start();
    await rig.outbox.resolveNow();
    expect(rig.intents.get(left!.id)!.state).toBe('compensated');
    expect(fx.centre.control.requests().filter((r) => r.infno === '2601')).toHaveLength(1);

    const again = await rig.outbox.run<SettlementPayload, Settlement>(MOVEMENT_KINDS.settlement, {
      orderId: 'order-crash',
      externalId: rig.msgids.next(clock.now()),
      payload,
    });
    expect(again.state).toBe('succeeded');
    if (again.state === 'succeeded') await expectBookedOnce(payload, again.output);
  }, 30_000);
});
