/**
 * Fee line upload, shared by 2204 (outpatient) and 2301 (inpatient): every line is checked against the
 * catalogue and its own arithmetic (amount = quantity x unit price, to the fen), priced by the policy and stored;
 * the answer is one result per line.
 */
import { z } from 'zod';
import { catalogueItem } from '../catalogue';
import { formatDecimal, lineAmount, parseDecimal, type Decimal } from '../money';
import { feeLineResult } from '../policy';
import type { VisitKind, VisitRow } from '../records';
import {
  amount,
  code,
  dateTime,
  fail,
  ok,
  optional,
  parse,
  personFor,
  isAnswer,
  wireAmount,
  type Answer,
  type CentreRequest,
  type CentreState,
} from './common';

const decimal = z.union([z.string(), z.number()]).transform((value, ctx): Decimal => {
  const parsed = parseDecimal(value);
  if (!parsed) {
    ctx.issues.push({ code: 'custom', message: 'decimal', input: value });
    return z.NEVER;
  }
  return parsed;
});

const Line = z.object({
  feedetl_sn: code,
  init_feedetl_sn: optional,
  mdtrt_id: code,
  psn_no: code,
  chrg_bchno: optional,
  med_type: optional,
  fee_ocur_time: dateTime,
  med_list_codg: code,
  medins_list_codg: code,
  det_item_fee_sumamt: amount,
  cnt: decimal,
  pric: decimal,
  bilg_dept_codg: code,
  bilg_dr_codg: code,
});

const Upload = z.object({ feedetail: z.array(Line).min(1) });

/** Where a visit must be for fees to be added. */
const OPEN_FOR_FEES: Record<VisitKind, readonly string[]> = { outpatient: ['registered'], inpatient: ['admitted', 'discharged'] };

export function uploadFeeLines(req: CentreRequest, state: CentreState, kind: VisitKind): Answer {
  const parsed = parse(Upload, req.input);
  if (!parsed.ok) return parsed.answer;
  const lines = parsed.data.feedetail;
  const first = lines[0];
  if (!first) return fail('费用明细不能为空');
  if (lines.some((l) => l.mdtrt_id !== first.mdtrt_id || l.psn_no !== first.psn_no)) return fail('同一次上传的费用明细须属于同一就诊');
  if (kind === 'outpatient' && lines.some((l) => l.chrg_bchno === '')) return fail('收费批次号chrg_bchno不能为空');

  const person = personFor(req, first.psn_no);
  if (isAnswer(person)) return person;
  const visit = state.records.visit(first.mdtrt_id);
  const problem = visitProblem(req, visit, kind, first.psn_no);
  if (problem || !visit) return problem ?? fail('就诊信息不存在');
  if (!OPEN_FOR_FEES[kind].includes(visit.state)) return fail('就诊状态不允许上传费用明细');

  const seen = new Set<string>();
  const results: unknown[] = [];
  for (const line of lines) {
    if (seen.has(line.feedetl_sn) || state.records.activeLine(line.mdtrt_id, line.feedetl_sn)) {
      return fail(`费用明细流水号重复：${line.feedetl_sn}`);
    }
    seen.add(line.feedetl_sn);
    const item = catalogueItem(line.med_list_codg);
    if (!item) return fail(`医保目录编码不存在：${line.med_list_codg}`);
    if (lineAmount(line.cnt, line.pric) !== line.det_item_fee_sumamt) return fail(`明细金额与数量、单价不符：${line.feedetl_sn}`);
    const refund = line.det_item_fee_sumamt < 0 || line.cnt.units < 0n;
    if (refund) {
      if (kind !== 'inpatient') return fail(`门诊费用明细不能为负：${line.feedetl_sn}`);
      const original = line.init_feedetl_sn ? state.records.activeLine(line.mdtrt_id, line.init_feedetl_sn) : undefined;
      if (!original || original.med_list_codg !== line.med_list_codg || original.det_item_fee_sumamt < -line.det_item_fee_sumamt) {
        return fail(`退费明细须对应原费用明细：${line.feedetl_sn}`);
      }
    }
    const result = feeLineResult(state.policy, item, line.cnt, line.pric, line.det_item_fee_sumamt);
    state.records.insertFeeLine({
      mdtrt_id: line.mdtrt_id,
      feedetl_sn: line.feedetl_sn,
      init_feedetl_sn: line.init_feedetl_sn,
      chrg_bchno: line.chrg_bchno,
      psn_no: line.psn_no,
      med_type: line.med_type || visit.med_type,
      fee_ocur_time: line.fee_ocur_time,
      med_list_codg: line.med_list_codg,
      medins_list_codg: line.medins_list_codg,
      cnt: formatDecimal(line.cnt),
      pric: formatDecimal(line.pric),
      det_item_fee_sumamt: line.det_item_fee_sumamt,
      fulamt_ownpay_amt: result.fulamt_ownpay_amt,
      overlmt_amt: result.overlmt_amt,
      preselfpay_amt: result.preselfpay_amt,
      inscp_scp_amt: result.inscp_scp_amt,
      selfpay_prop: result.selfpay_prop,
      pric_uplmt_amt: result.pric_uplmt_amt,
      chrgitm_lv: item.chrgitm_lv,
      med_chrgitm_type: item.med_chrgitm_type,
      uploaded_by_msgid: req.msgid,
    });
    results.push({
      feedetl_sn: line.feedetl_sn,
      det_item_fee_sumamt: wireAmount(line.det_item_fee_sumamt),
      cnt: Number(formatDecimal(line.cnt)),
      pric: Number(formatDecimal(line.pric)),
      pric_uplmt_amt: result.pric_uplmt_amt === '' ? null : Number(result.pric_uplmt_amt),
      selfpay_prop: Number(result.selfpay_prop),
      fulamt_ownpay_amt: wireAmount(result.fulamt_ownpay_amt),
      overlmt_amt: wireAmount(result.overlmt_amt),
      preselfpay_amt: wireAmount(result.preselfpay_amt),
      inscp_scp_amt: wireAmount(result.inscp_scp_amt),
      chrgitm_lv: item.chrgitm_lv,
      med_chrgitm_type: item.med_chrgitm_type,
      bas_medn_flag: '0',
      hi_nego_drug_flag: '0',
      chld_medc_flag: '0',
      list_sp_item_flag: '0',
      lmt_used_flag: '0',
      drt_reim_flag: '0',
      memo: '',
    });
  }
  return ok({ result: results });
}

/** The checks every transaction naming a visit makes: it exists, is of this kind, this institution's, this person's. */
export function visitProblem(req: CentreRequest, visit: VisitRow | undefined, kind: VisitKind, psnNo: string): Answer | undefined {
  if (!visit || visit.kind !== kind || visit.fixmedins_code !== req.fixmedinsCode) return fail('就诊信息不存在');
  if (visit.psn_no !== psnNo) return fail('人员编号与就诊信息不符');
  return undefined;
}
