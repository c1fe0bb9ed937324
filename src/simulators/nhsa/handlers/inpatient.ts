/**
 * Inpatient care at the centre: admission (2401), discharge (2402), admission change (2403), their cancels
 * (2404 / 2405), fee lines (2301 / 2302), pre-settlement (2303), settlement (2304, mid-stay with mid_setl_flag 1)
 * and its cancel (2305).
 */
import { z } from 'zod';
import type { VisitRow } from '../records';
import {
  amount,
  code,
  dateTime,
  displayTime,
  fail,
  isAnswer,
  newId,
  ok,
  optional,
  parse,
  personFor,
  type Answer,
  type CentreState,
  type Handler,
} from './common';
import { uploadFeeLines, visitProblem } from './fee-lines';
import { cancelSettlementHandler, certificateProblem, Diagnosis, insuranceProblem } from './outpatient';
import { admissionRegistrationRefusal } from '../policy';
import { bookSettlement, computeSplit, entryOutput, lineTotals, previewOutput } from './settlement';

const Admission = z.object({
  mdtrtinfo: z.object({
    psn_no: code,
    insutype: code,
    begntime: dateTime,
    mdtrt_cert_type: z.enum(['01', '02', '03']),
    mdtrt_cert_no: code,
    card_sn: optional,
    med_type: code,
    ipt_no: code,
    atddr_no: code,
    chfpdr_name: code,
    adm_diag_dscr: code,
    adm_dept_codg: code,
    adm_dept_name: code,
    adm_bed: code,
    dscg_maindiag_code: code,
    dscg_maindiag_name: code,
    main_cond_dscr: optional,
    dise_codg: optional,
    dise_name: optional,
  }),
  diseinfo: z.array(Diagnosis).min(1),
});

const admit: Handler = (req, state) => {
  const parsed = parse(Admission, req.input);
  if (!parsed.ok) return parsed.answer;
  const { mdtrtinfo: info, diseinfo } = parsed.data;
  const person = personFor(req, info.psn_no);
  if (isAnswer(person)) return person;
  const problem =
    insuranceProblem(person, info.insutype) ??
    certificateProblem(req, state, person, info.mdtrt_cert_type, info.mdtrt_cert_no, info.card_sn);
  if (problem) return problem;
  if (state.records.visitNumberTaken(req.fixmedinsCode, 'inpatient', info.ipt_no)) return fail(`住院号已存在：${info.ipt_no}`);
  // 自费转医保 comes in as a 2401 with the real admission time: only within the registration window.
  const late = admissionRegistrationRefusal(info.begntime, displayTime(req).slice(0, 10), state.policy.admissionRegistrationDays);
  if (late) return fail(late);
  const mdtrtId = newId(state, 'mdtrt_id', '1');
  state.records.insertVisit({
    mdtrt_id: mdtrtId,
    kind: 'inpatient',
    fixmedins_code: req.fixmedinsCode,
    psn_no: person.psnNo,
    insutype: info.insutype,
    insuplc_admdvs: req.insuplcAdmdvs,
    med_type: info.med_type,
    begntime: info.begntime,
    endtime: '',
    ipt_otp_no: info.ipt_no,
    dept_name: info.adm_dept_name,
    dr_name: info.chfpdr_name,
    dise_codg: info.dise_codg || info.dscg_maindiag_code,
    dise_name: info.dise_name || info.dscg_maindiag_name,
    main_cond_dscr: info.main_cond_dscr,
    state: 'admitted',
    opened_by_msgid: req.msgid,
  });
  state.records.replaceDiagnoses(mdtrtId, diagnosisRows(mdtrtId, diseinfo));
  return ok({ result: { mdtrt_id: mdtrtId } });
};

function diagnosisRows(mdtrtId: string, list: z.output<typeof Diagnosis>[]) {
  return list.map((d, i) => ({
    ...d,
    mdtrt_id: mdtrtId,
    vali_flag: d.vali_flag || '1',
    maindiag_flag: d.maindiag_flag || (i === 0 ? '1' : '0'),
  }));
}

/** The visit an inpatient transaction names, checked for institution and person. */
function inpatientVisit(req: Parameters<Handler>[0], state: CentreState, mdtrtId: string, psnNo: string): VisitRow | Answer {
  const person = personFor(req, psnNo);
  if (isAnswer(person)) return person;
  const visit = state.records.visit(mdtrtId);
  return visitProblem(req, visit, 'inpatient', psnNo) ?? visit ?? fail('就诊信息不存在');
}

const Discharge = z.object({
  dscginfo: z.object({
    mdtrt_id: code,
    psn_no: code,
    insutype: code,
    endtime: dateTime,
    dise_codg: optional,
    dise_name: optional,
    dscg_dept_codg: code,
    dscg_dept_name: code,
    dscg_way: code,
  }),
  diseinfo: z.array(Diagnosis).min(1),
});

const discharge: Handler = (req, state) => {
  const parsed = parse(Discharge, req.input);
  if (!parsed.ok) return parsed.answer;
  const { dscginfo: info, diseinfo } = parsed.data;
  const visit = inpatientVisit(req, state, info.mdtrt_id, info.psn_no);
  if (isAnswer(visit)) return visit;
  if (visit.state !== 'admitted') return fail('在院状态不允许办理出院');
  if (info.endtime < visit.begntime) return fail('出院时间早于入院时间');
  state.records.recordDischarge(visit.mdtrt_id, info.endtime, req.msgid, {
    dise_codg: info.dise_codg || visit.dise_codg,
    dise_name: info.dise_name || visit.dise_name,
  });
  state.records.replaceDiagnoses(visit.mdtrt_id, diagnosisRows(visit.mdtrt_id, diseinfo));
  return ok(null);
};

const AdmissionChange = z.object({
  adminfo: z.object({
    mdtrt_id: code,
    psn_no: code,
    begntime: dateTime,
    med_type: code,
    adm_dept_name: code,
    chfpdr_name: code,
    main_cond_dscr: optional,
    dise_codg: optional,
    dise_name: optional,
  }),
  diseinfo: z.array(Diagnosis).default([]),
});

const changeAdmission: Handler = (req, state) => {
  const parsed = parse(AdmissionChange, req.input);
  if (!parsed.ok) return parsed.answer;
  const { adminfo: info, diseinfo } = parsed.data;
  const visit = inpatientVisit(req, state, info.mdtrt_id, info.psn_no);
  if (isAnswer(visit)) return visit;
  if (visit.state === 'cancelled') return fail('入院登记已撤销');
  state.records.updateVisitDetails(visit.mdtrt_id, {
    begntime: info.begntime,
    med_type: info.med_type,
    dept_name: info.adm_dept_name,
    dr_name: info.chfpdr_name,
    main_cond_dscr: info.main_cond_dscr,
    dise_codg: info.dise_codg || visit.dise_codg,
    dise_name: info.dise_name || visit.dise_name,
  });
  if (diseinfo.length > 0) state.records.replaceDiagnoses(visit.mdtrt_id, diagnosisRows(visit.mdtrt_id, diseinfo));
  return ok(null);
};

const VisitRef = z.object({ data: z.object({ mdtrt_id: code, psn_no: code }) });

/** 2404 and the reversal of 2401: only an admission nothing hangs on. */
export function closeAdmission(state: CentreState, visit: VisitRow): Answer | undefined {
  if (visit.state !== 'admitted') return fail(visit.state === 'discharged' ? '已办理出院，请先撤销出院' : '入院登记已撤销');
  if (state.records.activeLines(visit.mdtrt_id).length > 0) return fail('存在未撤销的费用明细，不能撤销入院');
  state.records.setVisitState(visit.mdtrt_id, 'cancelled');
  return undefined;
}

/** 2405 and the reversal of 2402: back in hospital, unless the final settlement stands. */
export function reopenAdmission(state: CentreState, visit: VisitRow): Answer | undefined {
  if (visit.state !== 'discharged') return fail('未办理出院');
  if (state.records.activeSettlements(visit.mdtrt_id).some((e) => e.mid_setl_flag === '0')) return fail('已办理出院结算，请先撤销结算');
  state.records.undoDischarge(visit.mdtrt_id);
  return undefined;
}

function onVisit(apply: (state: CentreState, visit: VisitRow) => Answer | undefined): Handler {
  return (req, state) => {
    const parsed = parse(VisitRef, req.input);
    if (!parsed.ok) return parsed.answer;
    const visit = inpatientVisit(req, state, parsed.data.data.mdtrt_id, parsed.data.data.psn_no);
    if (isAnswer(visit)) return visit;
    return apply(state, visit) ?? ok(null);
  };
}

const FeeCancel = z.object({ data: z.object({ feedetl_sn: code, mdtrt_id: code, psn_no: code }) });

/** feedetl_sn "0000" cancels every unsettled line of the stay; a line cancelled before is refused as such. */
const cancelFees: Handler = (req, state) => {
  const parsed = parse(FeeCancel, req.input);
  if (!parsed.ok) return parsed.answer;
  const { data } = parsed.data;
  const visit = inpatientVisit(req, state, data.mdtrt_id, data.psn_no);
  if (isAnswer(visit)) return visit;
  const lines =
    data.feedetl_sn === '0000'
      ? state.records.activeLines(visit.mdtrt_id).filter((l) => l.setl_id === null)
      : [state.records.activeLine(visit.mdtrt_id, data.feedetl_sn)].filter((l) => l !== undefined);
  if (lines.length === 0) {
    const cancelled = data.feedetl_sn !== '0000' && state.records.allLines(visit.mdtrt_id).some((l) => l.feedetl_sn === data.feedetl_sn);
    return fail(cancelled ? `费用明细已撤销：${data.feedetl_sn}` : '未找到可撤销的费用明细');
  }
  if (lines.some((l) => l.setl_id !== null)) return fail('费用明细已结算，请先撤销结算');
  state.records.cancelLines(lines.map((l) => l.id));
  return ok(null);
};

const Settle = z.object({
  data: z.object({
    psn_no: code,
    mdtrt_cert_type: z.enum(['01', '02', '03']),
    mdtrt_cert_no: code,
    medfee_sumamt: amount,
    psn_setlway: code,
    mdtrt_id: code,
    acct_used_flag: z.enum(['0', '1']),
    insutype: code,
    invono: optional,
    mid_setl_flag: z.enum(['0', '1']),
  }),
});

/** 2303 and 2304: the unsettled lines of the stay; a final settlement needs the discharge, a mid-stay one not. */
function settle(book: boolean): Handler {
  return (req, state) => {
    const parsed = parse(Settle, req.input);
    if (!parsed.ok) return parsed.answer;
    const { data } = parsed.data;
    const person = personFor(req, data.psn_no);
    if (isAnswer(person)) return person;
    const visit = state.records.visit(data.mdtrt_id);
    const problem =
      visitProblem(req, visit, 'inpatient', data.psn_no) ??
      certificateProblem(req, state, person, data.mdtrt_cert_type, data.mdtrt_cert_no);
    if (problem || !visit) return problem ?? fail('就诊信息不存在');
    if (visit.insutype !== data.insutype) return fail('险种类型与入院登记不符');
    if (data.mid_setl_flag === '0' && visit.state !== 'discharged') return fail('未办理出院，不能办理出院结算');
    if (data.mid_setl_flag === '1' && visit.state !== 'admitted') return fail('非在院状态，不能办理中途结算');

    const lines = state.records.activeLines(visit.mdtrt_id).filter((l) => l.setl_id === null);
    if (lines.length === 0) return fail('无待结算的费用明细');
    if (lineTotals(lines).medfee_sumamt !== data.medfee_sumamt) return fail('医疗费总额与上传的费用明细总额不符');
    const split = computeSplit(state, req, visit, person, lines, data.acct_used_flag === '1');
    if (!book) return ok(previewOutput(req, person, visit, split, data.mdtrt_cert_type));
    const entry = bookSettlement(state, req, visit, lines, split, { midSetl: data.mid_setl_flag, certType: data.mdtrt_cert_type });
    return ok(entryOutput(req, person, visit, entry));
  };
}

export const INPATIENT_HANDLERS: Record<string, Handler> = {
  '2401': admit,
  '2402': discharge,
  '2403': changeAdmission,
  '2404': onVisit(closeAdmission),
  '2405': onVisit(reopenAdmission),
  '2301': (req, state) => uploadFeeLines(req, state, 'inpatient'),
  '2302': cancelFees,
  '2303': settle(false),
  '2304': settle(true),
  '2305': cancelSettlementHandler('inpatient'),
};
