/**
 * Who a trainee can call to the window, and what each one teaches: the centre's training population joined
 * with HIS's patients and their scenarios. The trainer console, `npm run station -- training list` and
 * docs/training.md (checked by a test) all read this list.
 */
import { POPULATION, TRAINING_VOUCHERS } from '../simulators/nhsa';
import { PATIENTS, scenarioOf } from '../simulators/his';

export interface TrainingPatient {
  name: string;
  idNo: string;
  scenario: string;
  /** The trainer console's key that shows this person's e-voucher to the scan box; null: no e-voucher. */
  voucherKey: string | null;
  /** The hospital card (就诊卡) number HIS knows, if any. */
  hospitalCard: string | null;
}

/** Keys 1–9, then Shift+1…9 (the characters a US or Chinese keyboard sends for them). */
const SHIFTED = '!@#$%^&*(';

export function voucherKeyOf(index: number): string | null {
  if (index < 9) return String(index + 1);
  return SHIFTED[index - 9] ?? null;
}

/** The console's label for a key: `1`, or `⇧1` for Shift+1. */
export function keyLabel(key: string): string {
  const shifted = SHIFTED.indexOf(key);
  return shifted >= 0 ? `⇧${shifted + 1}` : key;
}

export function voucherIndexOfKey(key: string): number | null {
  if (/^[1-9]$/.test(key)) return Number(key) - 1;
  const shifted = SHIFTED.indexOf(key);
  return shifted >= 0 ? 9 + shifted : null;
}

const NOT_IN_HIS = '只在医保中心有参保信息、医院 HIS 无此患者：可练习识别，查询处方时提示查不到该患者';

export const TRAINING_ROSTER: readonly TrainingPatient[] = [
  ...POPULATION.map((person, index): TrainingPatient => {
    const patient = PATIENTS.find((p) => p.id_no === person.idNo);
    return {
      name: person.name,
      idNo: person.idNo,
      scenario: (patient && scenarioOf(patient.patient_id)?.scenario) ?? NOT_IN_HIS,
      voucherKey: TRAINING_VOUCHERS[index] ? voucherKeyOf(index) : null,
      hospitalCard: patient?.card_no ?? null,
    };
  }),
  ...PATIENTS.filter((p) => p.psn_no === null).map((p): TrainingPatient => ({
    name: p.name,
    idNo: p.id_no,
    scenario: scenarioOf(p.patient_id)?.scenario ?? '',
    voucherKey: null,
    hospitalCard: p.card_no,
  })),
];
