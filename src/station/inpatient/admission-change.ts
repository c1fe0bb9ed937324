/**
 * 转科/转床 and a changed admission diagnosis, found by comparing HIS's stay with the station's record of what the
 * centre was told, and told to the centre by 2403 (movements/admission-change.ts). The fee uploader asks before each
 * run — the background sweep and before any pre-settlement or 2402 — so the lines, the discharge and the settlement
 * carry the new department and bed. Once the 2403 counts the record matches HIS, so a second look sends nothing.
 */
import type { HisStay, HisWardClient } from '../../insurance/his';
import type { OperatorView } from '../../shared/domain';
import { MOVEMENT_KINDS } from '../movements';
import type { Outbox } from '../outbox';
import { DIAG_TYPE_WESTERN, MED_TYPE_INPATIENT } from './fee-uploader';
import type { AdmissionChangePayload, StayPlace } from './movements';
import type { StayRecord } from './stays-repo';

export interface AdmissionChangesDeps {
  his: Pick<HisWardClient, 'stay'>;
  outbox: Outbox;
  newMsgid: () => string;
  /** Who the background change is made as (the station's system operator). */
  operator: OperatorView;
}

/** What the centre was told of the stay's place (the station's record). */
const placeOf = (stay: StayRecord): StayPlace => ({ ward: stay.ward, dept: stay.dept, doctor: stay.doctor, diagnosis: stay.diagnosis });

/** HIS's stay where it differs from what the centre holds; null when the centre holds it as it is. */
export function placeChange(stay: StayRecord, h: HisStay): StayPlace | null {
  const to: StayPlace = { ward: { code: h.ward.code, bedNo: h.bedNo }, dept: h.dept, doctor: h.doctor, diagnosis: h.diagnosis };
  const same =
    to.ward.code === stay.ward.code &&
    to.ward.bedNo === stay.ward.bedNo &&
    to.dept.code === stay.dept.code &&
    to.doctor.code === stay.doctor.code &&
    to.diagnosis.code === stay.diagnosis.code;
  return same ? null : to;
}

export class AdmissionChanges {
  constructor(private readonly d: AdmissionChangesDeps) {}

  /** Tells the centre what HIS changed of the stay; null when it holds the stay as HIS shows it, else why not. */
  async tellCentre(stay: StayRecord): Promise<string | null> {
    const h = await this.d.his.stay({ iptNo: stay.iptNo });
    if (h.kind === 'rejected') return `HIS：${h.message}`;
    if (h.kind === 'unknown') return `HIS 无应答：${h.detail}`;
    const to = placeChange(stay, h.value);
    if (!to) return null;
    const r = await this.d.outbox.run<AdmissionChangePayload, unknown>(MOVEMENT_KINDS.admissionChange, {
      orderId: stay.id,
      externalId: this.d.newMsgid(),
      payload: this.payload(stay, to),
    });
    if (r.state === 'failed') return `入院信息变更（2403）被拒：${r.detail}`; // also kept on the stay (its uploadProblem)
    if (r.state === 'unknown') return '入院信息变更结果未知，正在核实';
    return null;
  }

  private payload(stay: StayRecord, to: StayPlace): AdmissionChangePayload {
    const mdtrtId = stay.mdtrtId!;
    return {
      operator: this.d.operator,
      insuredRegion: stay.insuredRegion,
      psnNo: stay.psnNo,
      mdtrtId,
      from: placeOf(stay),
      to,
      input: {
        adminfo: {
          mdtrt_id: mdtrtId,
          psn_no: stay.psnNo,
          begntime: stay.admittedAt,
          mdtrt_cert_type: stay.cert.type,
          med_type: MED_TYPE_INPATIENT,
          ipt_otp_no: stay.iptNo,
          atddr_no: to.doctor.code,
          chfpdr_name: to.doctor.name,
          adm_diag_dscr: to.diagnosis.name,
          adm_dept_codg: to.dept.code,
          adm_dept_name: to.dept.name,
          adm_bed: to.ward.bedNo,
          dscg_maindiag_code: to.diagnosis.code,
          dscg_maindiag_name: to.diagnosis.name,
          dise_codg: to.diagnosis.code,
          dise_name: to.diagnosis.name,
        },
        diseinfo: [
          {
            psn_no: stay.psnNo,
            diag_type: DIAG_TYPE_WESTERN,
            maindiag_flag: '1',
            diag_srt_no: 1,
            diag_code: to.diagnosis.code,
            diag_name: to.diagnosis.name,
            diag_dept: to.dept.name,
            dise_dor_no: to.doctor.code,
            dise_dor_name: to.doctor.name,
            diag_time: stay.admittedAt,
          },
        ],
      },
    };
  }
}
