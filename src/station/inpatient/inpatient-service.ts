/**
 * The inpatient stay at the centre (issue 15, item 2), first part: admission (2401) of a HIS stay for an identified
 * insured person, the fee lines uploaded in batches (fee-uploader.ts) and the pre-settlement (2303) that shows the
 * split. Settlement (2304), discharge (2402) and the deposits follow on the same parts.
 */
import { StationError } from '../../shared/result';
import type { OperatorView } from '../../shared/domain';
import { preSettleInpatient, type InpatientSettlementInput } from '../../insurance/nhsa';
import type { HisStay, HisWardClient } from '../../insurance/his';
import { localDateTime } from '../clock';
import { MOVEMENT_KINDS } from '../movements';
import type { Outbox } from '../outbox';
import type { CentrePort } from '../ports';
import type { AdmissionPayload } from './movements';
import { MED_TYPE_INPATIENT, type FeeUploader } from './fee-uploader';
import type { StayCert, StayRecord, StaysRepo } from './stays-repo';

export interface InpatientServiceDeps {
  gateway: CentrePort;
  his: Pick<HisWardClient, 'stay' | 'feeLines'>;
  stays: StaysRepo;
  outbox: Outbox;
  uploader: FeeUploader;
  newMsgid: () => string;
  now: () => Date;
  timeZone: string;
}

/** Who is admitted, as the identification (card, e-voucher, ID card) found them at the centre. */
export interface InsuredPerson {
  psnNo: string;
  insuredRegion: string;
  insutype: string;
  cert: StayCert;
}

/** The split a pre-settlement showed, in fen. */
export interface InpatientPreview {
  stayId: string;
  medfeeFen: number;
  fundFen: number;
  acctFen: number;
  cashFen: number;
  uptoLine: number;
}

/** 入院诊断 in the 2401's diagnosis list: 1 = 入院诊断. */
const DIAG_TYPE_ADMISSION = '1';

export class InpatientService {
  constructor(private readonly d: InpatientServiceDeps) {}

  /** 2401 for a HIS stay: the stay is registered at the centre (its mdtrt_id kept), or the reason is said. */
  async admit(operator: OperatorView, iptNo: string, person: InsuredPerson): Promise<StayRecord> {
    const { d } = this;
    const his = await d.his.stay({ iptNo });
    if (his.kind === 'rejected') throw new StationError('NOT_FOUND', `HIS：${his.message}`);
    if (his.kind === 'unknown') throw new StationError('CENTRE_UNREACHABLE', `HIS 无应答，请稍后重试（${his.detail}）`);
    const h = his.value;
    if (h.state !== 'in') throw new StationError('CONFLICT', `该住院记录当前不在院（${h.state}），不能办理医保入院登记`);
    if (!h.psnNo || h.psnNo !== person.psnNo) throw new StationError('CONFLICT', '读卡所得人员与 HIS 住院患者不符');
    let stay = d.stays.byIptNo(iptNo);
    if (stay && stay.state !== 'cancelled') {
      if (stay.state === 'admitted') return stay;
      throw new StationError('ORDER_BUSY', '该住院登记正在办理或结果正在核实，请稍候');
    }
    const admittedAt = localDateTime(new Date(h.admittedAt), d.timeZone);
    if (stay) d.stays.update(stay.id, { state: 'registering' }, d.now());
    else stay = d.stays.insert(newStay(operator, h, person, admittedAt), d.now());
    const payload: AdmissionPayload = {
      operator,
      insuredRegion: person.insuredRegion,
      psnNo: person.psnNo,
      input: admissionInput(h, person, admittedAt),
    };
    const r = await d.outbox.run(MOVEMENT_KINDS.admission, { orderId: stay.id, externalId: d.newMsgid(), payload });
    if (r.state === 'failed') throw new StationError('CENTRE_REJECTED', `医保入院登记失败：${r.detail}`);
    if (r.state === 'unknown') {
      d.stays.update(stay.id, { state: 'in-doubt' }, d.now());
      throw new StationError('OUTCOME_UNKNOWN', '医保入院登记结果未知 — 正在自动核实，请稍候');
    }
    return d.stays.get(stay.id)!;
  }

  /**
   * 2303 for everything the stay has run up: every fee line uploaded first, then the centre prices the lines it
   * holds. While the patient is in the ward (not discharged at the centre) it is the mid-stay form (mid_setl_flag 1):
   * the bill to date, what the nurse and the patient look at before the discharge. Read-only at the centre.
   */
  async preSettle(operator: OperatorView, stayId: string): Promise<InpatientPreview> {
    const { d } = this;
    const stay = d.stays.get(stayId);
    if (!stay) throw new StationError('NOT_FOUND', '没有这次住院登记');
    if (stay.state !== 'admitted' || !stay.mdtrtId) throw new StationError('CONFLICT', '该次住院尚未完成医保入院登记');
    const uploaded = await d.uploader.upload(stay.id);
    if (uploaded.kind === 'stopped') throw new StationError('CONFLICT', `费用明细未全部上传：${uploaded.reason}`);
    const his = await d.his.stay({ iptNo: stay.iptNo });
    if (his.kind !== 'ok') throw new StationError('CENTRE_UNREACHABLE', 'HIS 无应答，请稍后重试');
    // A line executed between the upload and now: upload it too before pricing (the bill must be HIS's whole bill).
    if (his.value.lastLine !== uploaded.uptoLine) return this.preSettle(operator, stayId);
    const input: InpatientSettlementInput = {
      psn_no: stay.psnNo,
      mdtrt_cert_type: stay.cert.type,
      mdtrt_cert_no: stay.cert.no,
      medfee_sumamt: his.value.unsettledFen,
      psn_setlway: '01',
      mdtrt_id: stay.mdtrtId,
      acct_used_flag: '1',
      insutype: stay.insutype,
      mid_setl_flag: '1',
    };
    const pre = await d.gateway.perform('2303', operator, (c, ctx) => preSettleInpatient(c, ctx, input), {
      insuredRegion: stay.insuredRegion,
    });
    if (pre.kind === 'rejected') throw new StationError('CENTRE_REJECTED', `预结算失败：${pre.errMsg}`);
    if (pre.kind === 'unknown') throw new StationError('CENTRE_UNREACHABLE', '预结算无应答，请稍后重试（预结算不产生费用）');
    const s = pre.output.setlinfo;
    return {
      stayId,
      medfeeFen: s.medfee_sumamt,
      fundFen: s.fund_pay_sumamt,
      acctFen: s.acct_pay,
      cashFen: s.psn_cash_pay,
      uptoLine: his.value.lastLine,
    };
  }
}

function newStay(operator: OperatorView, h: HisStay, person: InsuredPerson, admittedAt: string) {
  return {
    iptNo: h.iptNo,
    hisPatientId: h.patientId,
    psnNo: person.psnNo,
    insuredRegion: person.insuredRegion,
    insutype: person.insutype,
    cert: person.cert,
    ward: { code: h.ward.code, bedNo: h.bedNo },
    dept: h.dept,
    doctor: h.doctor,
    diagnosis: h.diagnosis,
    admittedAt,
    operatorId: operator.id,
  };
}

function admissionInput(h: HisStay, person: InsuredPerson, admittedAt: string): AdmissionPayload['input'] {
  return {
    mdtrtinfo: {
      psn_no: person.psnNo,
      insutype: person.insutype,
      begntime: admittedAt,
      mdtrt_cert_type: person.cert.type,
      mdtrt_cert_no: person.cert.no,
      med_type: MED_TYPE_INPATIENT,
      ipt_no: h.iptNo,
      atddr_no: h.doctor.code,
      chfpdr_name: h.doctor.name,
      adm_diag_dscr: h.diagnosis.name,
      adm_dept_codg: h.dept.code,
      adm_dept_name: h.dept.name,
      adm_bed: h.bedNo,
      dscg_maindiag_code: h.diagnosis.code,
      dscg_maindiag_name: h.diagnosis.name,
    },
    diseinfo: [
      {
        psn_no: person.psnNo,
        diag_type: DIAG_TYPE_ADMISSION,
        maindiag_flag: '1',
        diag_srt_no: 1,
        diag_code: h.diagnosis.code,
        diag_name: h.diagnosis.name,
        diag_dept: h.dept.name,
        dise_dor_no: h.doctor.code,
        dise_dor_name: h.doctor.name,
        diag_time: admittedAt,
      },
    ],
  };
}
