/**
 * Queries (5201–5205): what the centre holds about a person's visits, diagnoses, settlements, fee lines and
 * chronic-disease drug records. All read-only; the outbox uses 5203 to learn whether a settlement it lost the
 * answer to was booked.
 *
 * The output node names of 5204 and 5205 are not settled by the public sources (protocol-research §1.4): some
 * clients read a bare list, others a named node. Both are accepted.
 */
import { z } from 'zod';
import {
  dateTimeInput,
  decimalText,
  list,
  optionalText,
  optionalYuanAsFen,
  requiredInputText,
  requiredText,
  text,
  yuanAsFen,
} from '../wire';
import { defineTransaction } from './define';
import { SettlementOutput } from './settlement-output';

/** A list sent bare or under a node name. */
function rows<T extends z.ZodType>(item: T, node: string) {
  return z.union([z.array(item), z.object({ [node]: list(item) }).transform((o) => o[node] as z.output<T>[])]);
}

// ---- 5201 就诊信息查询 ------------------------------------------------------------------------------------

const VisitQueryInput = z.object({
  psn_no: requiredInputText(30),
  begntime: dateTimeInput,
  endtime: dateTimeInput,
  med_type: optionalText(6),
  mdtrt_id: optionalText(30),
});

const VisitRow = z.object({
  mdtrt_id: requiredText,
  psn_no: requiredText,
  psn_name: text,
  insutype: text,
  med_type: text,
  begntime: text,
  endtime: text,
  ipt_otp_no: text,
  /** The admitting department as the centre holds it (2401, changed by 2403). */
  adm_dept_name: text,
  dise_codg: text,
  dise_name: text,
  /** 在院状态 for inpatients. */
  inhosp_stas: text,
  memo: text,
});

export const queryVisits = defineTransaction({
  infno: '5201',
  input: VisitQueryInput,
  toWire: (data) => ({ data }),
  output: z.object({ mdtrtinfo: list(VisitRow) }).transform((o) => o.mdtrtinfo),
});

// ---- 5202 诊断信息查询 ------------------------------------------------------------------------------------

const DiagnosisQueryInput = z.object({
  psn_no: requiredInputText(30),
  begntime: dateTimeInput,
  endtime: dateTimeInput,
  mdtrt_id: optionalText(30),
});

const DiagnosisRow = z.object({
  mdtrt_id: requiredText,
  diag_type: text,
  maindiag_flag: text,
  diag_srt_no: text,
  diag_code: requiredText,
  diag_name: text,
  diag_dept: text,
  dise_dor_no: text,
  dise_dor_name: text,
  diag_time: text,
  vali_flag: text,
});

export const queryDiagnoses = defineTransaction({
  infno: '5202',
  input: DiagnosisQueryInput,
  toWire: (data) => ({ data }),
  output: z.object({ diseinfo: list(DiagnosisRow) }).transform((o) => o.diseinfo),
});

// ---- 5203 结算信息查询 ------------------------------------------------------------------------------------

const SettlementQueryInput = z.object({
  psn_no: requiredInputText(30),
  setl_id: requiredInputText(30),
  mdtrt_id: requiredInputText(30),
});

export const querySettlement = defineTransaction({
  infno: '5203',
  input: SettlementQueryInput,
  toWire: (data) => ({ data }),
  output: SettlementOutput,
});

// ---- 5204 费用明细查询 ------------------------------------------------------------------------------------

const FeeRow = z.object({
  mdtrt_id: requiredText,
  setl_id: text,
  feedetl_sn: requiredText,
  med_type: text,
  fee_ocur_time: text,
  cnt: decimalText,
  pric: decimalText,
  det_item_fee_sumamt: yuanAsFen,
  fulamt_ownpay_amt: optionalYuanAsFen,
  overlmt_amt: optionalYuanAsFen,
  preselfpay_amt: optionalYuanAsFen,
  inscp_scp_amt: optionalYuanAsFen,
  chrgitm_lv: text,
  med_chrgitm_type: text,
  med_list_codg: requiredText,
  medins_list_codg: text,
  hilist_name: text,
});

const FeeQueryInput = z.object({
  psn_no: requiredInputText(30),
  /** Empty: every fee line of the visit, settled or not. */
  setl_id: optionalText(30),
  mdtrt_id: requiredInputText(30),
});

export const queryFeeDetails = defineTransaction({
  infno: '5204',
  input: FeeQueryInput,
  toWire: (data) => ({ data }),
  output: rows(FeeRow, 'feedetail'),
});

// ---- 5205 人员慢特病用药记录查询 ------------------------------------------------------------------------------

const ChronicDrugQueryInput = z.object({
  psn_no: requiredInputText(30),
  begntime: dateTimeInput,
  endtime: dateTimeInput,
});

const ChronicDrugRow = z.object({
  mdtrt_id: requiredText,
  fee_ocur_time: text,
  med_list_codg: requiredText,
  medins_list_codg: text,
  hilist_name: text,
  cnt: decimalText,
  pric: decimalText,
  det_item_fee_sumamt: yuanAsFen,
  dise_codg: text,
  dise_name: text,
});

export const queryChronicDrugRecords = defineTransaction({
  infno: '5205',
  input: ChronicDrugQueryInput,
  toWire: (data) => ({ data }),
  output: rows(ChronicDrugRow, 'feedetail'),
});

export type VisitRecord = z.output<typeof VisitRow>;
export type DiagnosisRecord = z.output<typeof DiagnosisRow>;
export type FeeRecord = z.output<typeof FeeRow>;
export type ChronicDrugRecord = z.output<typeof ChronicDrugRow>;
