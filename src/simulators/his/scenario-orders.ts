/**
 * What the doctors prescribe to each training patient, round after round: one entry per patient, each a
 * scenario a trainee must learn (docs/training.md lists them with what the screen shows). A round is the
 * patient's unpaid orders; when a patient has none left, the next round is prescribed (HIS `refill`), so a
 * class can settle the same scenario as often as it needs. The clinic fits the patient: children under 14 at
 * the paediatric clinic, adults never there.
 */
import { PAEDIATRIC_AGE_LIMIT, PAEDIATRIC_DEPT } from './seed';

export interface ScenarioOrder {
  deptCode: string;
  lines: { hospCode: string; quantity: string }[];
}

export interface TrainingScenario {
  patientId: string;
  /** What the trainee practises, in the trainer's words. */
  scenario: string;
  /** The orders of one round (several for the patient with several orders). */
  round: ScenarioOrder[];
}

const CONSULT = { hospCode: 'F0001', quantity: '1' };

export const TRAINING_SCENARIOS: readonly TrainingScenario[] = [
  {
    patientId: 'P000101',
    scenario: '职工医保，统筹和个人账户付清，无需收款',
    round: [{ deptCode: '0301', lines: [CONSULT, { hospCode: 'Y0001', quantity: '1' }, { hospCode: 'Y0003', quantity: '1' }] }],
  },
  {
    patientId: 'P000102',
    scenario: '职工医保（公务员），含公务员医疗补助，无需收款',
    round: [{ deptCode: '1001', lines: [CONSULT, { hospCode: 'Y0005', quantity: '1' }] }],
  },
  {
    patientId: 'P000103',
    scenario: '居民医保，有个人自付部分（含丙类自费药），需扫码或付款码收款',
    round: [{ deptCode: '0301', lines: [CONSULT, { hospCode: 'Y0002', quantity: '2' }, { hospCode: 'Y0007', quantity: '1' }] }],
  },
  {
    patientId: 'P000201',
    scenario: '省内异地（福州参保），按参保地待遇结算',
    round: [{ deptCode: '0401', lines: [CONSULT, { hospCode: 'Y0004', quantity: '1' }] }],
  },
  {
    patientId: 'P000301',
    scenario: '跨省异地（深圳参保），按参保地待遇结算',
    round: [{ deptCode: '0301', lines: [CONSULT, { hospCode: 'F0002', quantity: '1' }, { hospCode: 'Y0001', quantity: '1' }] }],
  },
  {
    patientId: 'P000104',
    scenario: '参保暂停：预结算时医保不予支付，改为自费（F8）',
    round: [{ deptCode: '0401', lines: [CONSULT, { hospCode: 'F0003', quantity: '1' }, { hospCode: 'Y0006', quantity: '2' }] }],
  },
  {
    patientId: 'P900001',
    scenario: '未参保：出示就诊卡，只能自费结算（F8）',
    round: [{ deptCode: '1001', lines: [CONSULT, { hospCode: 'Y0007', quantity: '1' }] }],
  },
  {
    patientId: 'P000106',
    scenario: '儿童（2019 年生）在儿科门诊就诊，居民医保，有自付部分',
    round: [{ deptCode: PAEDIATRIC_DEPT, lines: [CONSULT, { hospCode: 'F0002', quantity: '1' }, { hospCode: 'Y0003', quantity: '1' }] }],
  },
  {
    patientId: 'P000107',
    scenario: '职工医保，个人账户余额为零，自付部分需现金或扫码收款',
    round: [{ deptCode: '0301', lines: [CONSULT, { hospCode: 'Y0002', quantity: '1' }, { hospCode: 'F0002', quantity: '1' }] }],
  },
  {
    patientId: 'P000108',
    scenario: '一次就诊有三张待缴费处方（内科、外科检查、皮肤科），逐张结算',
    round: [
      { deptCode: '0301', lines: [CONSULT, { hospCode: 'Y0001', quantity: '1' }] },
      { deptCode: '0401', lines: [{ hospCode: 'F0004', quantity: '1' }] },
      { deptCode: '1001', lines: [CONSULT, { hospCode: 'Y0002', quantity: '1' }] },
    ],
  },
  {
    patientId: 'P000109',
    scenario: '医保中心拒绝门诊登记（有未结束的就诊登记）：看懂原因，改为自费（F8）',
    round: [{ deptCode: '0301', lines: [CONSULT, { hospCode: 'Y0004', quantity: '1' }] }],
  },
];

/** Whole years on `day` (yyyy-MM-dd) for a yyyy-MM-dd birth date. */
export function ageOn(birthDate: string, day: string): number {
  const years = Number(day.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return day.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

/** The clinics a patient of this age may be billed at. */
export function clinicFits(deptCode: string, birthDate: string, day: string): boolean {
  return (deptCode === PAEDIATRIC_DEPT) === ageOn(birthDate, day) < PAEDIATRIC_AGE_LIMIT;
}

export function scenarioOf(patientId: string): TrainingScenario | undefined {
  return TRAINING_SCENARIOS.find((s) => s.patientId === patientId);
}
