import { describe, expect, it } from 'vitest';
import { POPULATION, TRAINING_VOUCHERS } from './population';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

function checkDigit(first17: string): string {
  const sum = [...first17].reduce((acc, d, i) => acc + Number(d) * (WEIGHTS[i] ?? 0), 0);
  return CHECK[sum % 11] ?? '?';
}

describe('simulated population', () => {
  it('has valid-looking 18-digit ID numbers whose birth date and sex digit match the record', () => {
    for (const p of POPULATION) {
      expect(p.idNo).toMatch(/^\d{17}[\dX]$/);
      expect(p.idNo[17]).toBe(checkDigit(p.idNo.slice(0, 17)));
      expect(p.idNo.slice(6, 14)).toBe(p.brdy.replaceAll('-', ''));
      expect(Number(p.idNo[16]) % 2 === 1 ? '1' : '2').toBe(p.gend);
    }
  });

  it('has unique person numbers, ID numbers, cards and voucher codes', () => {
    for (const key of ['psnNo', 'idNo', 'cardNo', 'cardSn', 'voucherQr'] as const) {
      expect(new Set(POPULATION.map((p) => p[key])).size).toBe(POPULATION.length);
    }
  });

  it('covers local, in-province and cross-province insured regions, both insurance types and a suspension', () => {
    const insurances = POPULATION.flatMap((p) => p.insurances);
    expect(new Set(insurances.map((i) => i.insuplcAdmdvs))).toEqual(new Set(['350200', '350100', '440300']));
    expect(new Set(insurances.map((i) => i.insutype))).toEqual(new Set(['310', '390']));
    expect(insurances.filter((i) => i.psnInsuStas === '2').every((i) => i.pausInsuDate !== '')).toBe(true);
    expect(insurances.some((i) => i.psnInsuStas === '2')).toBe(true);
    for (const i of insurances) expect(i.balc).toMatch(/^\d+\.\d{2}$/);
  });

  it('exposes one training voucher per person: opaque alphanumeric codes of 40+ characters', () => {
    expect(TRAINING_VOUCHERS).toHaveLength(POPULATION.length);
    for (const v of TRAINING_VOUCHERS) {
      expect(v.qr).toMatch(/^YBSIMQR[0-9A-Z]{33,}$/);
      expect(POPULATION.find((p) => p.psnNo === v.psnNo)?.name).toBe(v.name);
    }
  });
});
