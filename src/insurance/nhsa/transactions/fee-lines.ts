/**
 * Fee detail lines (费用明细) as uploaded by 2204 (outpatient) and 2301 (inpatient), and the centre's per-line
 * answer `result[]`: how each line falls under the policy — full own-pay (class C), over the price limit,
 * pre-self-pay share (class B), in scope — which the station shows and keeps for slips (ZS-06).
 *
 * Quantities and unit prices stay decimal text end to end (a unit price like 0.0325 yuan is not a whole fen);
 * line totals are fen.
 */
import { z } from 'zod';
import type { Fen } from '../../../shared/money';
import {
  decimalInput,
  decimalText,
  dateTimeInput,
  flagInput,
  nonNegativeFenInput,
  optionalDecimalText,
  optionalText,
  optionalYuanAsFen,
  requiredInputText,
  requiredText,
  text,
  toYuan,
  yuanAsFen,
} from '../wire';

/** Fields both upload transactions share (national names). */
export const FeeLineCommon = {
  /** Unique within the visit: it is how a line is cancelled and how the centre reports on it. */
  feedetl_sn: requiredInputText(30),
  mdtrt_id: requiredInputText(30),
  psn_no: requiredInputText(30),
  fee_ocur_time: dateTimeInput,
  /** The national catalogue code (医疗目录编码). */
  med_list_codg: requiredInputText(50),
  /** The hospital's own item code. */
  medins_list_codg: requiredInputText(150),
  det_item_fee_sumamt: nonNegativeFenInput,
  cnt: decimalInput(4),
  pric: decimalInput(6),
  bilg_dept_codg: requiredInputText(30),
  bilg_dept_name: requiredInputText(100),
  bilg_dr_codg: requiredInputText(30),
  bilg_dr_name: requiredInputText(50),
  acord_dept_codg: optionalText(30),
  acord_dept_name: optionalText(100),
  orders_dr_code: optionalText(30),
  orders_dr_name: optionalText(50),
  /** 1 = approved by the hospital for a restricted item. */
  hosp_appr_flag: flagInput.default('1'),
  tcmdrug_used_way: optionalText(6),
  etip_flag: optionalText(3),
  etip_hosp_code: optionalText(30),
  dscg_tkdrug_flag: optionalText(3),
  matn_fee_flag: optionalText(3),
};

/** A line's fields as the wire carries them: amounts as yuan text, everything else as given. */
export function feeLineToWire<T extends { det_item_fee_sumamt: Fen }>(line: T) {
  return { ...line, det_item_fee_sumamt: toYuan(line.det_item_fee_sumamt) };
}

export const FeeLineResult = z.object({
  feedetl_sn: requiredText,
  det_item_fee_sumamt: yuanAsFen,
  cnt: decimalText,
  pric: decimalText,
  /** Unit price limit; a ratio-like decimal, absent when the item has none. */
  pric_uplmt_amt: optionalDecimalText,
  /** Pre-self-pay ratio, e.g. "0.10". */
  selfpay_prop: optionalDecimalText,
  fulamt_ownpay_amt: optionalYuanAsFen,
  overlmt_amt: optionalYuanAsFen,
  preselfpay_amt: optionalYuanAsFen,
  inscp_scp_amt: optionalYuanAsFen,
  /** 01 class A (甲类), 02 class B (乙类), 03 class C (丙类 / self-pay). */
  chrgitm_lv: text,
  med_chrgitm_type: text,
  bas_medn_flag: text,
  hi_nego_drug_flag: text,
  chld_medc_flag: text,
  list_sp_item_flag: text,
  lmt_used_flag: text,
  drt_reim_flag: text,
  memo: text,
});

export type FeeLineResult = z.output<typeof FeeLineResult>;
