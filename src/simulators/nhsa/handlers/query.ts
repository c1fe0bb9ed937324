/**
 * Queries at the centre (5201–5205), answered from the ledger: visits, diagnoses, one settlement, fee lines and
 * chronic-disease drug records (drug lines of visits with med_type 14 门诊慢特病).
 */
import { z } from 'zod';
import { ageOn, beijing } from '../clock';
import { catalogueItem } from '../catalogue';
import type { FeeLineRow } from '../records';
import { code, dateTime, fail, isAnswer, ok, optional, parse, personFor, wireAmount, type Handler } from './common';
import { visitProblem } from './fee-lines';
import { entryOutput } from './settlement';

const CHRONIC_DISEASE_CARE = '14';

const VisitQuery = z.object({
  data: z.object({ psn_no: code, begntime: dateTime, endtime: dateTime, med_type: optional, mdtrt_id: optional }),
});

const visits: Handler = (req, state) => {
  const parsed = parse(VisitQuery, req.input);
  if (!parsed.ok) return parsed.answer;
  const { data } = parsed.data;
  const person = personFor(req, data.psn_no);
  if (isAnswer(person)) return person;
  const rows = state.records
    .visitsOf(person.psnNo, data.begntime, data.endtime)
    .filter(
      (v) =>
        v.fixmedins_code === req.fixmedinsCode &&
        (!data.med_type || v.med_type === data.med_type) &&
        (!data.mdtrt_id || v.mdtrt_id === data.mdtrt_id),
    );
  return ok({
    mdtrtinfo: rows.map((v) => {
      const insurance = person.insurances.find((i) => i.insutype === v.insutype);
      return {
        mdtrt_id: v.mdtrt_id,
        psn_no: person.psnNo,
        psn_cert_type: '01',
        certno: person.idNo,
        psn_name: person.name,
        gend: person.gend,
        naty: person.naty,
        brdy: person.brdy,
        age: ageOn(person.brdy, beijing(req.now).day),
        insutype: v.insutype,
        psn_type: insurance?.psnType ?? '',
        cvlserv_flag: insurance?.cvlservFlag ?? '0',
        begntime: v.begntime,
        endtime: v.endtime,
        med_type: v.med_type,
        ipt_otp_no: v.ipt_otp_no,
        adm_dept_name: v.dept_name,
        dise_codg: v.dise_codg,
        dise_name: v.dise_name,
        inhosp_stas: v.kind === 'inpatient' && v.state === 'admitted' ? '1' : '0',
        memo: v.state,
      };
    }),
  });
};

const DiagnosisQuery = z.object({ data: z.object({ psn_no: code, begntime: dateTime, endtime: dateTime, mdtrt_id: optional }) });

const diagnoses: Handler = (req, state) => {
  const parsed = parse(DiagnosisQuery, req.input);
  if (!parsed.ok) return parsed.answer;
  const { data } = parsed.data;
  const person = personFor(req, data.psn_no);
  if (isAnswer(person)) return person;
  const visitIds = state.records
    .visitsOf(person.psnNo, data.begntime, data.endtime)
    .filter((v) => v.fixmedins_code === req.fixmedinsCode && (!data.mdtrt_id || v.mdtrt_id === data.mdtrt_id))
    .map((v) => v.mdtrt_id);
  return ok({ diseinfo: visitIds.flatMap((id) => state.records.diagnoses(id).map((d) => ({ ...d, diag_srt_no: String(d.diag_srt_no) }))) });
};

const SettlementQuery = z.object({ data: z.object({ psn_no: code, setl_id: code, mdtrt_id: code }) });

const settlement: Handler = (req, state) => {
  const parsed = parse(SettlementQuery, req.input);
  if (!parsed.ok) return parsed.answer;
  const { data } = parsed.data;
  const person = personFor(req, data.psn_no);
  if (isAnswer(person)) return person;
  const entry = state.records.entry(data.setl_id);
  const visit = state.records.visit(data.mdtrt_id);
  if (
    !entry ||
    !visit ||
    entry.mdtrt_id !== visit.mdtrt_id ||
    visit.fixmedins_code !== req.fixmedinsCode ||
    entry.psn_no !== person.psnNo
  ) {
    return fail('结算信息不存在');
  }
  return ok(entryOutput(req, person, visit, entry));
};

function feeRow(line: FeeLineRow) {
  return {
    mdtrt_id: line.mdtrt_id,
    setl_id: line.setl_id ?? '',
    feedetl_sn: line.feedetl_sn,
    med_type: line.med_type,
    fee_ocur_time: line.fee_ocur_time,
    cnt: Number(line.cnt),
    pric: Number(line.pric),
    det_item_fee_sumamt: wireAmount(line.det_item_fee_sumamt),
    fulamt_ownpay_amt: wireAmount(line.fulamt_ownpay_amt),
    overlmt_amt: wireAmount(line.overlmt_amt),
    preselfpay_amt: wireAmount(line.preselfpay_amt),
    inscp_scp_amt: wireAmount(line.inscp_scp_amt),
    chrgitm_lv: line.chrgitm_lv,
    med_chrgitm_type: line.med_chrgitm_type,
    med_list_codg: line.med_list_codg,
    medins_list_codg: line.medins_list_codg,
    hilist_name: catalogueItem(line.med_list_codg)?.name ?? '',
  };
}

const FeeQuery = z.object({ data: z.object({ psn_no: code, setl_id: optional, mdtrt_id: code }) });

/** Bare list: the public clients disagree on a node name, and a list is what they all can read. */
const fees: Handler = (req, state) => {
  const parsed = parse(FeeQuery, req.input);
  if (!parsed.ok) return parsed.answer;
  const { data } = parsed.data;
  const person = personFor(req, data.psn_no);
  if (isAnswer(person)) return person;
  const visit = state.records.visit(data.mdtrt_id);
  const problem = visit ? visitProblem(req, visit, visit.kind, person.psnNo) : fail('就诊信息不存在');
  if (problem) return problem;
  const lines = data.setl_id ? state.records.linesOfSettlement(data.setl_id) : state.records.activeLines(data.mdtrt_id);
  return ok(lines.filter((l) => l.mdtrt_id === data.mdtrt_id).map(feeRow));
};

const ChronicQuery = z.object({ data: z.object({ psn_no: code, begntime: dateTime, endtime: dateTime }) });

const chronicDrugs: Handler = (req, state) => {
  const parsed = parse(ChronicQuery, req.input);
  if (!parsed.ok) return parsed.answer;
  const { data } = parsed.data;
  const person = personFor(req, data.psn_no);
  if (isAnswer(person)) return person;
  const rows = state.records
    .visitsOf(person.psnNo, data.begntime, data.endtime)
    .filter((v) => v.med_type === CHRONIC_DISEASE_CARE && v.state !== 'cancelled')
    .flatMap((v) =>
      state.records
        .activeLines(v.mdtrt_id)
        .filter((l) => catalogueItem(l.med_list_codg)?.kind === 'drug')
        .map((l) => ({ ...feeRow(l), dise_codg: v.dise_codg, dise_name: v.dise_name })),
    );
  return ok(rows);
};

export const QUERY_HANDLERS: Record<string, Handler> = {
  '5201': visits,
  '5202': diagnoses,
  '5203': settlement,
  '5204': fees,
  '5205': chronicDrugs,
};
