import type { WardPatientView } from '../../../shared/inpatient';
import type { KeyState } from '../cashier';

/** What the nurse has on screen for the selected stay: the step's answer the keys go on from. */
export type BedsideStep = 'none' | 'bill' | 'preview' | 'settled' | 'midstay';

/**
 * The bedside key map: each step's key, enabled only where the stay's state allows it. `converting`: the nurse
 * pressed 自费转医保 on a self-pay patient, whose identification keys are then up as for an admission.
 */
export function bedsideKeys(p: WardPatientView | null, step: BedsideStep, ticks: number, converting = false): KeyState[] {
  // A discharge settlement's undo from the window not finished (撤销进行中, or stopped for a person): nothing is settled.
  const undoing = (p?.stay?.undo ?? null) !== null;
  const state = p?.stay?.state ?? null;
  const surplusDue = stayHasSurplusDue(p);
  // Settled at the centre with the deposits short: the difference by QR (F9) or the patient's code on the scan box.
  const shortfallDue = state === 'settled' && (p?.stay?.shortfallFen ?? 0) > 0;
  const admissible = p !== null && (p.insured || converting) && p.stay === null;
  const selfPay = p !== null && !p.insured && p.stay === null && (p.hisState === 'in' || p.hisState === 'discharge-ordered');
  const paying = p?.stay?.payments.some((x) => x.state === 'pending') ?? false;
  // A QR on the screen: Esc closes it (asked first), as at the window; the key shows only while one waits.
  const qrWaiting = shortfallDue && (p?.stay?.payments.some((x) => x.state === 'pending' && x.mode === 'precreate') ?? false);
  // 中途结算 from the bill to date (F4), or again to finish one HIS has not booked; only before the discharge order.
  const midway = p?.stay?.midway ?? [];
  const midstayable = state === 'admitted' && !p!.dischargeOrdered && (step === 'bill' || midway.some((m) => m.state === 'settled'));
  const keys: KeyState[] = [
    { key: '↑↓', label: '选择患者', enabled: true },
    // 医保入院登记: the patient identified the cashier's ways (the scan box needs no key).
    { key: 'F2', label: '身份证号', enabled: admissible },
    { key: 'F3', label: '读社保卡', enabled: admissible },
    { key: 'Alt+S', label: '读身份证', enabled: admissible },
    { key: 'Alt+Z', label: '自费转医保', enabled: selfPay && !converting },
    { key: 'F4', label: '在院费用', enabled: state === 'admitted' },
    { key: 'F6', label: '出院', enabled: state === 'admitted' && p!.dischargeOrdered && !undoing },
    { key: 'F7', label: '出院预结算', enabled: state === 'discharged' && !undoing },
    {
      key: 'F8',
      label: '出院结算',
      enabled: !undoing && step === 'preview' && (state === 'discharged' || (state === 'settled' && !shortfallDue)),
    },
    { key: 'F9', label: '补缴二维码', enabled: shortfallDue && !paying && !undoing },
    { key: 'Esc', label: '关闭二维码', enabled: qrWaiting },
    { key: '1-9', label: '勾选退款记录', enabled: surplusDue },
    { key: 'Enter', label: ticks > 0 ? '原路退款' : '确认退款去向', enabled: surplusDue },
    { key: 'Alt+M', label: '中途结算', enabled: midstayable },
    { key: 'F11', label: step === 'midstay' ? '打印中途结算单' : '打印结算单', enabled: state === 'completed' || step === 'midstay' },
    // 撤销入院 (2404): the centre refuses it once a fee line is there; not after a mid-stay settlement.
    { key: 'Alt+X', label: '撤销入院', enabled: state === 'admitted' && midway.length === 0 },
    { key: 'F5', label: '刷新', enabled: true },
  ];
  // The bar holds one step's keys at 1366: the identification keys while registering, the stay's keys after — those
  // of the stay in the ward while it is admitted, those of the discharge's settlement once discharged.
  // 自费转医保 only shows for a patient without a stay at the station.
  const hidden = admissible
    ? STAY_KEYS
    : state === 'admitted'
      ? [...IDENTIFY_KEYS, 'Alt+Z', ...DISCHARGED_KEYS]
      : state === null
        ? [...IDENTIFY_KEYS, ...IN_WARD_KEYS]
        : [...IDENTIFY_KEYS, 'Alt+Z', ...IN_WARD_KEYS];
  return keys.filter((k) => !hidden.includes(k.key) && (k.key !== 'Esc' || qrWaiting));
}

const IDENTIFY_KEYS = ['F2', 'F3', 'Alt+S'];
const IN_WARD_KEYS = ['Alt+M', 'Alt+X'];
const DISCHARGED_KEYS = ['F7', 'F8', 'F9', '1-9', 'Enter'];
const STAY_KEYS = ['Alt+Z', 'F4', 'F6', ...IN_WARD_KEYS, ...DISCHARGED_KEYS, 'F11'];

/** Completed with deposits left over whose way back is not chosen yet (a stay that paid a shortfall has none). */
export function stayHasSurplusDue(p: WardPatientView | null): boolean {
  const stay = p?.stay;
  return stay?.state === 'completed' && stay.surplus === null && (stay.booking?.surplusFen ?? 0) > 0;
}
