import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHis, type HisSimulator } from './server';
import { CATALOGUE, DEPARTMENTS, PAEDIATRIC_DEPT, PATIENTS } from './seed';
import { ageOn, clinicFits, scenarioOf, TRAINING_SCENARIOS } from './scenario-orders';

const NOW = Date.parse('2026-12-04T02:00:00Z');
const TODAY = '2026-12-04';
let his: HisSimulator;

beforeEach(async () => {
  his = await startHis({ apps: [{ appId: 'APP1', secret: 'x'.repeat(24) }], now: () => new Date(NOW) });
});
afterEach(async () => {
  await his.close();
});

describe('training scenarios in HIS', () => {
  it('gives every patient a scenario of known items, and every scenario a patient', () => {
    expect(PATIENTS.filter((p) => !scenarioOf(p.patient_id))).toEqual([]);
    for (const s of TRAINING_SCENARIOS) {
      expect(
        PATIENTS.some((p) => p.patient_id === s.patientId),
        s.patientId,
      ).toBe(true);
      expect(s.round.length, s.patientId).toBeGreaterThan(0);
      for (const order of s.round) {
        expect(DEPARTMENTS.some((d) => d.code === order.deptCode)).toBe(true);
        for (const line of order.lines) expect(CATALOGUE.some((c) => c.hospCode === line.hospCode)).toBe(true);
      }
    }
    expect(TRAINING_SCENARIOS.filter((s) => s.round.length > 1).length).toBeGreaterThan(0);
  });

  it('bills children at the paediatric clinic and adults never there', () => {
    const seen = his.control.orders();
    expect(seen.some((o) => o.dept_code === PAEDIATRIC_DEPT)).toBe(true);
    for (const order of seen) {
      const patient = PATIENTS.find((p) => p.patient_id === order.patient_id)!;
      expect(clinicFits(order.dept_code, patient.birth_date, TODAY), `${patient.name} ${order.dept_name}`).toBe(true);
    }
    expect(ageOn('2019-05-20', TODAY)).toBe(7);
    expect(ageOn('2019-12-05', TODAY)).toBe(6);
    expect(clinicFits(PAEDIATRIC_DEPT, '1968-04-12', TODAY)).toBe(false);
    expect(clinicFits('0301', '2019-05-20', TODAY)).toBe(false);
  });

  it('prescribes the next round for a patient with nothing left to pay, round after round, and leaves the others alone', () => {
    const several = TRAINING_SCENARIOS.find((s) => s.round.length > 1)!;
    const seeded = his.control.orders().length;
    for (let round = 1; round <= 5; round++) {
      const mine = his.control.orders().filter((o) => o.patient_id === several.patientId && o.state === 'unpaid');
      expect(mine, `round ${round}`).toHaveLength(several.round.length);
      for (const order of mine) his.control.expire(order.order_no); // as if settled elsewhere: nothing unpaid left
      const added = his.control.refill();
      expect(added).toHaveLength(several.round.length);
    }
    expect(his.control.orders()).toHaveLength(seeded + 5 * several.round.length);
    expect(his.control.refill()).toEqual([]);
  });
});
