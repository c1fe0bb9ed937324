/**
 * The station child's side of an inpatient stay in chaos, as the nurse would drive it from the bedside screen: admit
 * the HIS stay at the centre once the patient is identified (2401), wait for the doctor's discharge order while the
 * background uploader sends the fee lines (2301), discharge (2402), pre-settle (2303) and settle (2304; HIS books it
 * with the deposits applied), then pay the surplus back to the deposits' wallets until HIS has recorded every refund.
 * Each call looks at where the stay is and takes the next step; a kill anywhere is taken up by the next pass.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { PatientView } from '../../src/shared/domain';
import type { StayView, WardPatientView } from '../../src/shared/inpatient';
import type { Result } from '../../src/shared/result';
import { STAYS_FILE, UNDONE_FILE, type ChaosStay } from './plan';

export type Step = 'ended' | 'acted' | 'waiting';
type Call = <T>(op: string, input: unknown) => Promise<Result<T>>;

export function staySteps(dataDir: string, call: Call, act: (pending: Promise<Result<unknown>>) => Promise<Step>) {
  const identifications = new Map<string, string>();

  /** The ward's admissions so far (the parent writes the file whole, by rename). */
  const admitted = (): Record<string, string> => {
    try {
      return JSON.parse(fs.readFileSync(path.join(dataDir, STAYS_FILE), 'utf8')) as Record<string, string>;
    } catch {
      return {};
    }
  };

  /** The ward's patients as the nurse's screen lists them, by 住院号, per ward of the open stays. */
  async function wards(open: readonly ChaosStay[]): Promise<Map<string, WardPatientView> | null> {
    const out = new Map<string, WardPatientView>();
    for (const wardCode of new Set(open.map((s) => s.wardCode))) {
      const list = await call<WardPatientView[]>('listWardPatients', { wardCode });
      if (!list.ok) return null;
      for (const p of list.value) out.set(p.iptNo, p);
    }
    return out;
  }

  async function admit(s: ChaosStay, iptNo: string): Promise<Step> {
    let identificationId = identifications.get(s.idNo);
    if (!identificationId) {
      const p = await call<PatientView>('identifyPatient', { method: 'idcard', certNo: s.idNo });
      if (!p.ok) return 'acted';
      identificationId = p.value.identificationId;
      identifications.set(s.idNo, identificationId);
    }
    return act(call('admitStay', { iptNo, identificationId }));
  }

  /** The stays whose planned undo was answered (kept in a file: the child is killed and started again). */
  const undoneFile = path.join(dataDir, UNDONE_FILE);
  const undone = (): string[] => {
    try {
      return JSON.parse(fs.readFileSync(undoneFile, 'utf8')) as string[];
    } catch {
      return [];
    }
  };

  /** 出院结算撤销 at the window, before any surplus went back (so the settlement made again finds the same deposits). */
  async function undo(s: ChaosStay, stay: StayView): Promise<Step> {
    const r = await call('undoDischargeSettlement', { stayId: stay.id, reason: '出院结算有误，撤销重结' });
    if (r.ok) {
      fs.writeFileSync(`${undoneFile}.tmp`, JSON.stringify([...undone(), s.key]));
      fs.renameSync(`${undoneFile}.tmp`, undoneFile);
    }
    return act(Promise.resolve(r));
  }

  /** Every refund of the surplus recorded at HIS, together the whole surplus (or it waits at the window for cash). */
  const surplusDone = (stay: StayView) =>
    stay.surplus !== null &&
    (stay.surplus.to === 'window' ||
      (stay.surplus.refunds.every((r) => r.state === 'recorded') &&
        stay.surplus.refunds.reduce((sum, r) => sum + r.amountFen, 0) === stay.surplus.amountFen));

  async function step(s: ChaosStay, iptNos: Record<string, string>, ward: Map<string, WardPatientView> | null): Promise<Step> {
    const iptNo = iptNos[s.key];
    if (!iptNo) return 'waiting'; // the ward has not admitted it yet (the patient's previous stay is being settled)
    if (!ward) return 'acted';
    const patient = ward.get(iptNo);
    if (!patient) return 'acted'; // a stay the nurse's list no longer shows: counted, and reported once given up on
    const stay = patient.stay;
    if (!stay) return admit(s, iptNo); // not admitted at the centre yet, or a lost 2401 cancelled: admitted (again)
    switch (stay.state) {
      case 'admitted':
        return patient.dischargeOrdered ? act(call('dischargeStay', { stayId: stay.id })) : 'waiting';
      case 'discharged': {
        const preview = await call('preSettleDischarge', { stayId: stay.id });
        if (!preview.ok) return act(Promise.resolve(preview));
        return act(call('settleDischarge', { stayId: stay.id }));
      }
      case 'settled':
        return act(call('settleDischarge', { stayId: stay.id })); // settled at the centre: HIS's booking next
      case 'completed':
        if (s.undo && stay.surplus === null && !undone().includes(s.key)) return undo(s, stay);
        return surplusDone(stay) ? 'ended' : act(call('refundSurplus', { stayId: stay.id }));
      default:
        return 'waiting'; // registering or in doubt: the outbox is on it
    }
  }

  return { admitted, wards, step };
}
