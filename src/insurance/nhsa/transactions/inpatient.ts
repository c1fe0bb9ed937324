/**
 * Inpatient settlement (住院): 2401 admission, 2402 discharge, 2403 admission change, 2404/2405 their cancels;
 * 2301/2302 fee upload and cancel (refund lines carry a negative count and amount and name the line they
 * refund); 2303 pre-settlement, 2304 settlement (mid-stay with mid_setl_flag 1), 2305 its cancel.
 * Field names are national (S-117-John/nhis-web BottomClass Input24xx/23xx); amounts are fen.
 */
import { z } from 'zod';
import {
  dateInput,
  dateTimeInput,
  decimalInput,
  fenInput,
  flagInput,
  list,
  nonNegativeFenInput,
  optionalText,
  requiredInputText,
  requiredText,
  toYuan,
} from '../wire';
import { defineTransaction, NoOutput } from './define';
import { FeeLineCommon, FeeLineResult, feeLineToWire } from './fee-lines';
import { cancelEchoes, PreSettlementOutput, SettlementOutput, settlementEchoes } from './settlement-output';

const certType = z.enum(['01', '02', '03']);

/** Maternity and birth-control details, optional on every admission record. */
const maternityFields = {
  fpsc_no: optionalText(50),
  matn_type: optionalText(6),
  birctrl_type: optionalText(6),
  latechb_flag: optionalText(3),
  geso_val: optionalText(6),
  fetts: optionalText(6),
  fetus_cnt: optionalText(6),
  pret_flag: optionalText(3),
  birctrl_matn_date: dateInput.or(z.literal('')).default(''),
};

const InpatientDiagnosis = z.object({
  psn_no: requiredInputText(30),
  diag_type: requiredInputText(3),
  maindiag_flag: flagInput,
  diag_srt_no: z.number().int().min(1),
  diag_code: requiredInputText(20),
  diag_name: requiredInputText(100),
  adm_cond: optionalText(500),
  diag_dept: requiredInputText(50),
  dise_dor_no: requiredInputText(30),
  dise_dor_name: requiredInputText(50),
  diag_time: dateTimeInput,
});

const oneMainDiagnosis = (list: { maindiag_flag: string }[]) => list.filter((d) => d.maindiag_flag === '1').length === 1;

// ---- 2401 入院办理 --------------------------------------------------------------------------------------

const AdmissionInput = z.object({
  mdtrtinfo: z.object({
    psn_no: requiredInputText(30),
    insutype: requiredInputText(6),
    coner_name: optionalText(50),
    tel: optionalText(50),
    begntime: dateTimeInput,
    mdtrt_cert_type: certType,
    mdtrt_cert_no: requiredInputText(50),
    /** Required for a cross-province social-security card. */
    card_sn: optionalText(32),
    med_type: requiredInputText(6),
    ipt_no: requiredInputText(30),
    medrcdno: optionalText(30),
    atddr_no: requiredInputText(30),
    chfpdr_name: requiredInputText(50),
    adm_diag_dscr: requiredInputText(200),
    adm_dept_codg: requiredInputText(30),
    adm_dept_name: requiredInputText(100),
    adm_bed: requiredInputText(30),
    dscg_maindiag_code: requiredInputText(30),
    dscg_maindiag_name: requiredInputText(300),
    main_cond_dscr: optionalText(1000),
    dise_codg: optionalText(30),
    dise_name: optionalText(300),
    oprn_oprt_code: optionalText(30),
    oprn_oprt_name: optionalText(500),
    ...maternityFields,
  }),
  diseinfo: z.array(InpatientDiagnosis).min(1).refine(oneMainDiagnosis, 'exactly one main diagnosis (maindiag_flag 1)'),
});

const AdmissionOutput = z.object({ result: z.object({ mdtrt_id: requiredText }) }).transform(({ result }) => result);

export const admit = defineTransaction({ infno: '2401', input: AdmissionInput, toWire: (input) => input, output: AdmissionOutput });

// ---- 2402 出院办理 --------------------------------------------------------------------------------------

const DischargeInput = z.object({
  dscginfo: z.object({
    mdtrt_id: requiredInputText(30),
    psn_no: requiredInputText(30),
    insutype: requiredInputText(6),
    endtime: dateTimeInput,
    dise_codg: optionalText(30),
    dise_name: optionalText(300),
    oprn_oprt_code: optionalText(30),
    oprn_oprt_name: optionalText(500),
    cop_flag: optionalText(3),
    dscg_dept_codg: requiredInputText(30),
    dscg_dept_name: requiredInputText(100),
    dscg_bed: optionalText(30),
    /** 离院方式: 1 医嘱离院, 2 医嘱转院, ... 9 其他. */
    dscg_way: requiredInputText(3),
    die_date: dateInput.or(z.literal('')).default(''),
    ...maternityFields,
  }),
  diseinfo: z.array(InpatientDiagnosis).min(1).refine(oneMainDiagnosis, 'exactly one main diagnosis (maindiag_flag 1)'),
});

export const discharge = defineTransaction({ infno: '2402', input: DischargeInput, toWire: (input) => input, output: NoOutput });

// ---- 2403 住院信息变更 ------------------------------------------------------------------------------------

const AdmissionChangeInput = z.object({
  adminfo: z.object({
    mdtrt_id: requiredInputText(30),
    psn_no: requiredInputText(30),
    coner_name: optionalText(50),
    tel: optionalText(50),
    begntime: dateTimeInput,
    endtime: dateTimeInput.or(z.literal('')).default(''),
    mdtrt_cert_type: certType,
    med_type: requiredInputText(6),
    ipt_otp_no: requiredInputText(30),
    medrcdno: optionalText(30),
    atddr_no: requiredInputText(30),
    chfpdr_name: requiredInputText(50),
    adm_diag_dscr: requiredInputText(200),
    adm_dept_codg: requiredInputText(30),
    adm_dept_name: requiredInputText(100),
    adm_bed: requiredInputText(30),
    dscg_maindiag_code: requiredInputText(30),
    dscg_maindiag_name: requiredInputText(300),
    main_cond_dscr: optionalText(1000),
    dise_codg: optionalText(30),
    dise_name: optionalText(300),
    oprn_oprt_code: optionalText(30),
    oprn_oprt_name: optionalText(500),
    ...maternityFields,
  }),
  diseinfo: z.array(InpatientDiagnosis).default([]),
});

export const changeAdmission = defineTransaction({
  infno: '2403',
  input: AdmissionChangeInput,
  toWire: (input) => input,
  output: NoOutput,
});

// ---- 2404 入院办理撤销 / 2405 出院办理撤销 ---------------------------------------------------------------------

const VisitRef = z.object({ mdtrt_id: requiredInputText(30), psn_no: requiredInputText(30) });

/** Only an admission without fees can be cancelled; the centre refuses otherwise. */
export const cancelAdmission = defineTransaction({ infno: '2404', input: VisitRef, toWire: (data) => ({ data }), output: NoOutput });
export const cancelDischarge = defineTransaction({ infno: '2405', input: VisitRef, toWire: (data) => ({ data }), output: NoOutput });

// ---- 2301 住院费用明细上传 / 2302 住院费用明细撤销 -------------------------------------------------------------

const InpatientFeeLine = z
  .object({
    ...FeeLineCommon,
    // A refund line has a negative count and amount and names the line it refunds.
    det_item_fee_sumamt: fenInput,
    cnt: decimalInput(4, { signed: true }),
    init_feedetl_sn: optionalText(30),
    drord_no: optionalText(30),
    med_type: requiredInputText(6),
    memo: optionalText(500),
  })
  .refine((line) => (line.det_item_fee_sumamt < 0 || line.cnt.startsWith('-')) === (line.init_feedetl_sn !== ''), {
    message: 'a refund line (negative count / amount) names the line it refunds in init_feedetl_sn, and only a refund does',
    path: ['init_feedetl_sn'],
  });

const InpatientFeeUploadInput = z
  .object({ feedetail: z.array(InpatientFeeLine).min(1) })
  .refine((input) => new Set(input.feedetail.map((l) => l.feedetl_sn)).size === input.feedetail.length, {
    message: 'feedetl_sn must be unique within an upload',
    path: ['feedetail'],
  });

export const uploadInpatientFees = defineTransaction({
  infno: '2301',
  input: InpatientFeeUploadInput,
  toWire: ({ feedetail }) => ({ feedetail: feedetail.map(feeLineToWire) }),
  output: z.object({ result: list(FeeLineResult) }),
});

/** feedetl_sn "0000" cancels every uncancelled, unsettled line of the stay. */
export const ALL_FEE_LINES = '0000';

const InpatientFeeCancelInput = z.object({
  feedetl_sn: requiredInputText(30),
  mdtrt_id: requiredInputText(30),
  psn_no: requiredInputText(30),
});

export const cancelInpatientFees = defineTransaction({
  infno: '2302',
  input: InpatientFeeCancelInput,
  toWire: (data) => ({ data }),
  output: NoOutput,
});

// ---- 2303 住院预结算 / 2304 住院结算 / 2305 住院结算撤销 ------------------------------------------------------

const InpatientSettlementInput = z.object({
  psn_no: requiredInputText(30),
  mdtrt_cert_type: certType,
  mdtrt_cert_no: requiredInputText(50),
  medfee_sumamt: nonNegativeFenInput,
  psn_setlway: requiredInputText(6),
  mdtrt_id: requiredInputText(30),
  acct_used_flag: flagInput,
  insutype: requiredInputText(6),
  invono: optionalText(20),
  /** 1 = mid-stay settlement: closes a period, the stay goes on. */
  mid_setl_flag: flagInput,
});

const inpatientSettlementToWire = (input: z.output<typeof InpatientSettlementInput>) => ({
  data: { ...input, medfee_sumamt: toYuan(input.medfee_sumamt) },
});

export const preSettleInpatient = defineTransaction({
  infno: '2303',
  input: InpatientSettlementInput,
  toWire: inpatientSettlementToWire,
  output: PreSettlementOutput,
});

export const settleInpatient = defineTransaction({
  infno: '2304',
  input: InpatientSettlementInput,
  toWire: inpatientSettlementToWire,
  output: SettlementOutput,
  echoes: settlementEchoes,
});

const InpatientSettlementCancelInput = z.object({
  mdtrt_id: requiredInputText(30),
  setl_id: requiredInputText(30),
  psn_no: requiredInputText(30),
});

export const cancelInpatientSettlement = defineTransaction({
  infno: '2305',
  input: InpatientSettlementCancelInput,
  toWire: (data) => ({ data }),
  output: SettlementOutput,
  echoes: cancelEchoes,
});

export type AdmissionInput = z.input<typeof AdmissionInput>;
export type DischargeInput = z.input<typeof DischargeInput>;
export type AdmissionChangeInput = z.input<typeof AdmissionChangeInput>;
export type InpatientFeeLineInput = z.input<typeof InpatientFeeLine>;
export type InpatientSettlementInput = z.input<typeof InpatientSettlementInput>;
