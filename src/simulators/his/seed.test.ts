// The HIS seed is a copy of what the NHSA simulator knows (patients, national codes): these tests catch drift.
import { describe, expect, it } from 'vitest';
import { catalogueItem as nationalItem } from '../nhsa/catalogue';
import { POPULATION } from '../nhsa/population';
import { CATALOGUE, PATIENTS } from './seed';

describe('HIS seed against the NHSA simulator', () => {
  it('every catalogue line maps to a national code the centre knows, with its name and unit', () => {
    for (const item of CATALOGUE) {
      const national = nationalItem(item.nationalCode);
      expect(national, item.hospCode).toBeDefined();
      expect([national!.name, national!.unit, national!.kind === 'drug' ? 'drug' : 'item']).toEqual([item.name, item.unit, item.kind]);
    }
  });

  it('every insured patient is the same person at the centre', () => {
    for (const patient of PATIENTS.filter((p) => p.psn_no !== null)) {
      const person = POPULATION.find((p) => p.psnNo === patient.psn_no);
      expect(person, patient.name).toBeDefined();
      expect([person!.name, person!.idNo, person!.brdy, person!.gend]).toEqual([
        patient.name,
        patient.id_no,
        patient.birth_date,
        patient.gender,
      ]);
    }
  });

  it('hospital cards are HC + 8–12 digits and unique', () => {
    expect(PATIENTS.every((p) => /^HC\d{8,12}$/.test(p.card_no))).toBe(true);
    expect(new Set(PATIENTS.map((p) => p.card_no)).size).toBe(PATIENTS.length);
  });
});
