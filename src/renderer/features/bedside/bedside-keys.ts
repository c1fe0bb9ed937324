import type { WardPatientView } from '../../../shared/inpatient';
import type { KeyState } from '../cashier';

/** What the nurse has on screen for the selected stay: the step's answer the keys go on from. */
export type BedsideStep = 'none' | 'bill' | 'preview' | 'settled';

/**
 * The bedside key map: each step's key, enabled only where the stay's state allows it. `converting`: the nurse
 * pressed 自费转医保 on a self-pay patient, whose identification keys are then up as for an admission.
 */
export function bedsideKeys(p: WardPatientView | null, step: BedsideStep, ticks: number, converting = false): KeyState[] {
  const state = p?.stay?.state ?? null;
  const surplusDue = stayHasSurplusDue(p);
  // Settled at the centre with the deposits short: the difference by QR (F9) or the patient's code on the scan box.
  const shortfallDue = state === 'settled' && (p?.stay?.shortfallFen ?? 0) > 0;
  const admissible = p !== null && (p.insured || converting) && p.stay === null;
  const selfPay = p !== null && !p.insured && p.stay === null && (p.hisState === 'in' || p.hisState === 'discharge-ordered');
  const paying = p?.stay?.payments.some((x) => x.state === 'pending') ?? false;
  const keys: KeyState[] = [
    { key: '↑↓', label: '选择患者', enabled: true },
    // 医保入院登记: the patient identified the cashier's ways (the scan box needs no key).
    { key: 'F2', label: '身份证号', enabled: admissible },
    { key: 'F3', label: '读社保卡', enabled: admissible },
    { key: 'Alt+S', label: '读身份证', enabled: admissible },
    { key: 'Alt+Z', label: '自费转医保', enabled: selfPay && !converting },
    { key: 'F4', label: '在院费用', enabled: state === 'admitted' },
    { key: 'F6', label: '出院', enabled: state === 'admitted' && p!.dischargeOrdered },
    { key: 'F7', label: '出院预结算', enabled: state === 'discharged' },
    { key: 'F8', label: '出院结算', enabled: step === 'preview' && (state === 'discharged' || (state === 'settled' && !shortfallDue)) },
    { key: 'F9', label: '补缴二维码', enabled: shortfallDue && !paying },
    { key: '1-9', label: '勾选退款记录', enabled: surplusDue },
    { key: 'Enter', label: ticks > 0 ? '原路退款' : '确认退款去向', enabled: surplusDue },
    { key: 'F11', label: '打印结算单', enabled: state === 'completed' },
    { key: 'F5', label: '刷新', enabled: true },
  ];
  // The bar holds one step's keys at 1366: the identification keys while registering, the stay's keys after.
  return keys.filter((k) => (admissible ? !STAY_KEYS.includes(k.key) : !IDENTIFY_KEYS.includes(k.key)));
}

const IDENTIFY_KEYS = ['F2', 'F3', 'Alt+S'];
const STAY_KEYS = ['Alt+Z', 'F4', 'F6', 'F7', 'F8', 'F9', '1-9', 'Enter', 'F11'];

/** Completed with deposits left over whose way back is not chosen yet (a stay that paid a shortfall has none). */
export function stayHasSurplusDue(p: WardPatientView | null): boolean {
  const stay = p?.stay;
  return stay?.state === 'completed' && stay.surplus === null && (stay.booking?.surplusFen ?? 0) > 0;
}
