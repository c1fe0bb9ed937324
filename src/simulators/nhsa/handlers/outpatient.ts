/**
 * Outpatient care at the centre: registration (2201) and its cancel (2202), the visit record (2203), fee lines
 * (2204 / 2205), pre-settlement (2206), settlement (2207) and its cancel (2208).
 */
import { z } from 'zod';
import type { InsuredPerson } from '../population';
import type { VisitRow } from '../records';
import {
  amount,
  code,
  dateTime,
  fail,
  isAnswer,
  newId,
  ok,
  optional,
  parse,
  personFor,
  type Answer,
  type CentreRequest,
  type CentreState,
  type Handler,
} from './common';
import { beijing } from '../clock';
import { settlementCancelRefusal } from '../policy';
import { uploadFeeLines, visitProblem } from './fee-lines';
import { personByCertificate } from './identity';
import { bookSettlement, cancelSettlement, computeSplit, entryOutput, lineTotals, previewOutput } from './settlement';

const Registration = z.object({
  data: z.object({
    psn_no: code,
    insutype: code,
    begntime: dateTime,
    mdtrt_cert_type: z.enum(['01', '02', '03']),
    mdtrt_cert_no: code,
    card_sn: optional,
    ipt_otp_no: code,
    atddr_no: code,
    dr_name: code,
    dept_code: code,
    dept_name: code,
    caty: code,
  }),
});

/** The certificate presented must name the person it is presented for. */
export function certificateProblem(
  req: CentreRequest,
  state: CentreState,
  person: InsuredPerson,
  certType: string,
  certNo: string,
  cardSn = '',
): Answer | undefined {
  // A social-security card is checked by its number here; card_sn is for reading it, not for settlement.
  if (certType === '03') return person.cardNo === certNo ? undefined : fail('就诊凭证与人员信息不符');
  const holder = personByCertificate(req, state, certType, certNo, cardSn);
  if (typeof holder === 'string') return fail(holder);
  return holder.psnNo === person.psnNo ? undefined : fail('就诊凭证与人员信息不符');
}

/** The person's insurance of that type, provided it gives benefits (a suspended one does not). */
export function insuranceProblem(person: InsuredPerson, insutype: string): Answer | undefined {
  const insurance = person.insurances.find((i) => i.insutype === insutype);
  if (!insurance) return fail('人员未参加该险种');
  if (insurance.psnInsuStas !== '1') return fail('人员参保状态为暂停参保，不能享受医保待遇');
  return undefined;
}

const register: Handler = (req, state) => {
  const parsed = parse(Registration, req.input);
  if (!parsed.ok) return parsed.answer;
  const { data } = parsed.data;
  const person = personFor(req, data.psn_no);
  if (isAnswer(person)) return person;
  const problem =
    insuranceProblem(person, data.insutype) ??
    certificateProblem(req, state, person, data.mdtrt_cert_type, data.mdtrt_cert_no, data.card_sn);
  if (problem) return problem;
  if (person.registrationRefusal) return fail(person.registrationRefusal);
  if (state.records.visitNumberTaken(req.fixmedinsCode, 'outpatient', data.ipt_otp_no)) return fail(`门诊号已存在：${data.ipt_otp_no}`);
  const mdtrtId = newId(state, 'mdtrt_id', '1');
  state.records.insertVisit({
    mdtrt_id: mdtrtId,
    kind: 'outpatient',
    fixmedins_code: req.fixmedinsCode,
    psn_no: person.psnNo,
    insutype: data.insutype,
    insuplc_admdvs: req.insuplcAdmdvs,
    med_type: '11',
    begntime: data.begntime,
    endtime: '',
    ipt_otp_no: data.ipt_otp_no,
    dept_name: data.dept_name,
    dr_name: data.dr_name,
    dise_codg: '',
    dise_name: '',
    main_cond_dscr: '',
    state: 'registered',
    opened_by_msgid: req.msgid,
  });
  return ok({ data: { mdtrt_id: mdtrtId, psn_no: person.psnNo, ipt_otp_no: data.ipt_otp_no } });
};

/** Registration can be undone only while nothing hangs on it. */
export function closeRegistration(state: CentreState, visit: VisitRow): Answer | undefined {
  if (visit.state !== 'registered') return fail('挂号已撤销');
  if (state.records.activeLines(visit.mdtrt_id).length > 0) return fail('存在未撤销的费用明细，不能撤销挂号');
  state.records.setVisitState(visit.mdtrt_id, 'cancelled');
  return undefined;
}

const RegistrationCancel = z.object({ data: z.object({ psn_no: code, mdtrt_id: code, ipt_otp_no: code }) });

const cancelRegistration: Handler = (req, state) => {
  const parsed = parse(RegistrationCancel, req.input);
  if (!parsed.ok) return parsed.answer;
  const { data } = parsed.data;
  const person = personFor(req, data.psn_no);
  if (isAnswer(person)) return person;
  const visit = state.records.visit(data.mdtrt_id);
  const problem = visitProblem(req, visit, 'outpatient', data.psn_no);
  if (problem || !visit) return problem ?? fail('就诊信息不存在');
  if (visit.ipt_otp_no !== data.ipt_otp_no) return fail('门诊号与就诊信息不符');
  return closeRegistration(state, visit) ?? ok(null);
};

const Diagnosis = z.object({
  diag_type: code,
  diag_srt_no: z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]),
  diag_code: code,
  diag_name: code,
  diag_dept: code,
  dise_dor_no: code,
  dise_dor_name: code,
  diag_time: dateTime,
  vali_flag: optional,
  maindiag_flag: optional,
});
export { Diagnosis };

const VisitUpload = z.object({
  mdtrtinfo: z.object({
    mdtrt_id: code,
    psn_no: code,
    med_type: code,
    begntime: dateTime,
    main_cond_dscr: optional,
    dise_codg: optional,
    dise_name: optional,
  }),
  diseinfo: z.array(Diagnosis).min(1),
});

const uploadVisit: Handler = (req, state) => {
  const parsed = parse(VisitUpload, req.input);
  if (!parsed.ok) return parsed.answer;
  const { mdtrtinfo, diseinfo } = parsed.data;
  const person = personFor(req, mdtrtinfo.psn_no);
  if (isAnswer(person)) return person;
  const visit = state.records.visit(mdtrtinfo.mdtrt_id);
  const problem = visitProblem(req, visit, 'outpatient', mdtrtinfo.psn_no);
  if (problem || !visit) return problem ?? fail('就诊信息不存在');
  if (visit.state !== 'registered') return fail('就诊状态不允许上传就诊信息');
  state.records.updateVisitDetails(mdtrtinfo.mdtrt_id, {
    med_type: mdtrtinfo.med_type,
    begntime: mdtrtinfo.begntime,
    main_cond_dscr: mdtrtinfo.main_cond_dscr,
    dise_codg: mdtrtinfo.dise_codg,
    dise_name: mdtrtinfo.dise_name,
  });
  state.records.replaceDiagnoses(
    mdtrtinfo.mdtrt_id,
    diseinfo.map((d, i) => ({
      ...d,
      mdtrt_id: mdtrtinfo.mdtrt_id,
      vali_flag: d.vali_flag || '1',
      maindiag_flag: d.maindiag_flag || (i === 0 ? '1' : '0'),
    })),
  );
  return ok(null);
};

const FeeCancel = z.object({ data: z.object({ mdtrt_id: code, chrg_bchno: code, psn_no: code }) });

const cancelFees: Handler = (req, state) => {
  const parsed = parse(FeeCancel, req.input);
  if (!parsed.ok) return parsed.answer;
  const { data } = parsed.data;
  const person = personFor(req, data.psn_no);
  if (isAnswer(person)) return person;
  const problem = visitProblem(req, state.records.visit(data.mdtrt_id), 'outpatient', data.psn_no);
  if (problem) return problem;
  const lines = state.records.activeLines(data.mdtrt_id, data.chrg_bchno);
  if (lines.length === 0) return fail('未找到可撤销的费用明细');
  if (lines.some((l) => l.setl_id !== null)) return fail('费用明细已结算，请先撤销结算');
  state.records.cancelLines(lines.map((l) => l.id));
  return ok(null);
};

const Settle = z.object({
  data: z.object({
    psn_no: code,
    mdtrt_cert_type: z.enum(['01', '02', '03']),
    mdtrt_cert_no: code,
    med_type: code,
    medfee_sumamt: amount,
    psn_setlway: code,
    mdtrt_id: code,
    chrg_bchno: code,
    insutype: code,
    acct_used_flag: z.enum(['0', '1']),
    invono: optional,
    fulamt_ownpay_amt: amount.optional(),
    overlmt_selfpay: amount.optional(),
    preselfpay_amt: amount.optional(),
    inscp_scp_amt: amount.optional(),
  }),
});

/** 2206 and 2207 share every check; only 2207 books. */
function settle(book: boolean): Handler {
  return (req, state) => {
    const parsed = parse(Settle, req.input);
    if (!parsed.ok) return parsed.answer;
    const { data } = parsed.data;
    const person = personFor(req, data.psn_no);
    if (isAnswer(person)) return person;
    const visit = state.records.visit(data.mdtrt_id);
    const problem =
      visitProblem(req, visit, 'outpatient', data.psn_no) ??
      certificateProblem(req, state, person, data.mdtrt_cert_type, data.mdtrt_cert_no);
    if (problem || !visit) return problem ?? fail('就诊信息不存在');
    if (visit.state !== 'registered') return fail('就诊状态不允许结算');
    if (visit.insutype !== data.insutype) return fail('险种类型与挂号信息不符');

    const lines = state.records.activeLines(visit.mdtrt_id, data.chrg_bchno).filter((l) => l.setl_id === null);
    if (lines.length === 0) return fail('无待结算的费用明细');
    const totals = lineTotals(lines);
    if (totals.medfee_sumamt !== data.medfee_sumamt) return fail('医疗费总额与上传的费用明细总额不符');
    const categories = [
      [data.fulamt_ownpay_amt, totals.fulamt_ownpay_amt],
      [data.overlmt_selfpay, totals.overlmt_selfpay],
      [data.preselfpay_amt, totals.preselfpay_amt],
      [data.inscp_scp_amt, totals.inscp_scp_amt],
    ] as const;
    if (categories.some(([sent, own]) => sent !== undefined && sent !== own)) return fail('费用分类金额与上传的费用明细不符');

    const split = computeSplit(state, req, visit, person, lines, data.acct_used_flag === '1');
    if (!book) return ok(previewOutput(req, person, visit, split, data.mdtrt_cert_type));
    const entry = bookSettlement(state, req, visit, lines, split, { midSetl: '0', certType: data.mdtrt_cert_type });
    return ok(entryOutput(req, person, visit, entry));
  };
}

const SettlementCancel = z.object({ data: z.object({ setl_id: code, mdtrt_id: code, psn_no: code }) });

/** 2208 and 2305: the settlement named by setl_id, of this visit, cancelled with a negative twin. */
export function cancelSettlementHandler(kind: 'outpatient' | 'inpatient'): Handler {
  return (req, state) => {
    const parsed = parse(SettlementCancel, req.input);
    if (!parsed.ok) return parsed.answer;
    const { data } = parsed.data;
    const person = personFor(req, data.psn_no);
    if (isAnswer(person)) return person;
    const visit = state.records.visit(data.mdtrt_id);
    const problem = visitProblem(req, visit, kind, data.psn_no);
    if (problem || !visit) return problem ?? fail('就诊信息不存在');
    const entry = state.records.entry(data.setl_id);
    if (!entry || entry.mdtrt_id !== visit.mdtrt_id) return fail('结算信息不存在');
    const tooOld = settlementCancelRefusal(entry.setl_day, beijing(req.now).display.slice(0, 10));
    if (tooOld) return fail(tooOld);
    const twin = cancelSettlement(state, req, entry, person);
    if (isAnswer(twin)) return twin;
    return ok(entryOutput(req, person, visit, twin));
  };
}

export const OUTPATIENT_HANDLERS: Record<string, Handler> = {
  '2201': register,
  '2202': cancelRegistration,
  '2203': uploadVisit,
  '2204': (req, state) => uploadFeeLines(req, state, 'outpatient'),
  '2205': cancelFees,
  '2206': settle(false),
  '2207': settle(true),
  '2208': cancelSettlementHandler('outpatient'),
};
