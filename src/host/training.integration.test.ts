/**
 * Issue 12, item 3: training that teaches a class. Every scenario of docs/training.md is walked at a real
 * training station (the simulators, the scan box on a pty, SQLite) and shows what the trainee should see; the
 * next round of orders is settleable; a reset puts the training data dir back to its first start and refuses
 * a running station and a hospital's data dir.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ok, scanCode, startOutpatientHarness, type OutpatientHarness } from '../../test/harness/outpatient-harness';
import type { OrderView, PatientView } from '../shared/domain';
import { PATIENTS, TRAINING_SCENARIOS } from '../simulators/his';
import { resetTrainingData } from '../app/training-data';
import { TRAINING_KEY_FILE } from '../app/training-rig';
import { TRAINING_ROSTER } from '../app/training-roster';

let h: OutpatientHarness;
/** A training station for each test of the block. */
function atTrainingStation(): void {
  beforeEach(async () => {
    h = await startOutpatientHarness();
  });
  afterEach(async () => {
    await h.close();
  });
}

const patient = (id: string) => PATIENTS.find((p) => p.patient_id === id)!;

async function identify(id: string): Promise<PatientView> {
  const p = patient(id);
  if (p.psn_no === null) {
    return ok(await h.c.call<PatientView>('identifyPatient', { method: 'scan', scanId: await scanCode(h, p.card_no) }));
  }
  return ok(await h.c.call<PatientView>('identifyPatient', { method: 'idcard', certNo: p.id_no }));
}

async function openOrders(who: PatientView): Promise<OrderView[]> {
  const orders = ok(await h.c.call<OrderView[]>('listOrders', { identificationId: who.identificationId }));
  return orders.filter((o) => o.state === 'open');
}

async function settle(order: OrderView): Promise<OrderView> {
  ok(await h.c.call<OrderView>('preSettleOrder', { orderId: order.id }));
  return ok(await h.c.call<OrderView>('settleOrder', { orderId: order.id }));
}

describe('training scenarios at the window', () => {
  atTrainingStation();

  it('each scenario shows the trainee what docs/training.md says', async () => {
    const seen: Record<string, string> = {};
    for (const scenario of TRAINING_SCENARIOS) {
      const who = await identify(scenario.patientId);
      const orders = await openOrders(who);
      expect(orders, scenario.scenario).toHaveLength(scenario.round.length);
      for (const order of orders) expect(order.deptName === '儿科门诊', `${who.name} ${order.deptName}`).toBe(who.age < 14);
      const first = orders[0]!;
      const preSettled = await h.c.call<OrderView>('preSettleOrder', { orderId: first.id });
      if (!preSettled.ok) {
        seen[scenario.patientId] = preSettled.error.code;
        // every refusal leaves the self-pay way open
        expect(ok(await h.c.call<OrderView>('selfPayOrder', { orderId: first.id })).state, who.name).toBe('awaiting-payment');
        continue;
      }
      const settled = ok(await h.c.call<OrderView>('settleOrder', { orderId: first.id }));
      seen[scenario.patientId] = `${settled.state}${who.crossRegion ? ' cross-region' : ''}`;
      for (const more of orders.slice(1)) expect((await settle(more)).state, who.name).toBe('completed');
    }
    expect(seen).toEqual({
      P000101: 'completed',
      P000102: 'completed',
      P000103: 'awaiting-payment',
      P000201: 'completed cross-region',
      P000301: 'completed cross-region',
      P000104: 'NO_BENEFITS',
      P900001: 'NOT_INSURED',
      P000106: 'awaiting-payment',
      P000107: 'awaiting-payment',
      P000108: 'completed',
      P000109: 'CENTRE_REJECTED',
    });
  });

  it('the centre refuses one patient’s registration with a reason the cashier can read', async () => {
    const who = await identify('P000109');
    const refused = await h.c.call('preSettleOrder', { orderId: (await openOrders(who))[0]!.id });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'CENTRE_REJECTED', message: expect.stringContaining('未结束的门诊就诊登记') },
    });
  });

  it('a class goes round after round: the next round is prescribed and settles like the first', async () => {
    const rig = h.station.training!;
    for (let round = 1; round <= 5; round++) {
      const who = await identify('P000101');
      const orders = await openOrders(who);
      expect(orders, `round ${round}`).toHaveLength(1);
      expect((await settle(orders[0]!)).state, `round ${round}`).toBe('completed');
      expect(await openOrders(await identify('P000101'))).toEqual([]);
      expect(rig.his.control.refill()).toHaveLength(1); // only 陈建国 had nothing left to pay
    }
  });
});

describe('training reset', () => {
  describe('at a training station', () => {
    atTrainingStation();

    it('puts the training data dir back to its first start, keys kept', async () => {
      const first = (await openOrders(await identify('P000101')))[0]!;
      expect((await settle(first)).state).toBe('completed');
      // the station holds its data dir while it runs: nothing is removed under it
      expect(() => resetTrainingData(h.dataDir)).toThrow(/正在运行/);
      const keys = fs.readFileSync(path.join(h.dataDir, TRAINING_KEY_FILE), 'utf8');
      let removed: string[] = [];
      await h.restart(() => {
        removed = resetTrainingData(h.dataDir).removed;
      });
      expect(removed).toEqual(expect.arrayContaining(['station.db', 'simulators']));
      expect(fs.readFileSync(path.join(h.dataDir, TRAINING_KEY_FILE), 'utf8')).toBe(keys);
      // the same patient's first order is there to settle again, and the station remembers no settlement
      const again = (await openOrders(await identify('P000101')))[0]!;
      expect(again.hisOrderNo).toBe(first.hisOrderNo);
      expect(ok(await h.c.call<OrderView[]>('listTodayOrders', {})).filter((o) => o.state === 'completed')).toEqual([]);
    });
  });

  it("refuses a hospital's data dir and leaves it untouched", () => {
    const live = fs.mkdtempSync(path.join(os.tmpdir(), 'station-live-'));
    try {
      fs.mkdirSync(path.join(live, 'keys'));
      fs.writeFileSync(path.join(live, TRAINING_KEY_FILE), '{}');
      fs.writeFileSync(path.join(live, 'station.config.json'), '{}');
      fs.writeFileSync(path.join(live, 'station.db'), 'a hospital database');
      expect(() => resetTrainingData(live)).toThrow(/正式工作站/);
      fs.rmSync(path.join(live, TRAINING_KEY_FILE));
      fs.rmSync(path.join(live, 'station.config.json'));
      expect(() => resetTrainingData(live)).toThrow(/不是培训数据目录/);
      expect(fs.readFileSync(path.join(live, 'station.db'), 'utf8')).toBe('a hospital database');
    } finally {
      fs.rmSync(live, { recursive: true, force: true });
    }
  });
});

describe('docs/training.md', () => {
  it('lists every training patient with ID number, name and scenario', () => {
    const doc = fs.readFileSync(path.join(import.meta.dirname, '..', '..', 'docs', 'training.md'), 'utf8');
    for (const p of TRAINING_ROSTER) {
      const row = doc.split('\n').find((line) => line.includes(p.idNo));
      expect(row, p.name).toBeDefined();
      expect(row, p.idNo).toContain(p.name);
      expect(row, p.idNo).toContain(p.scenario);
    }
  });
});
