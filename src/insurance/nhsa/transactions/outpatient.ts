/**
 * Outpatient settlement (门诊): 2001 treatment check, 2201/2202 registration and its cancel, 2203 visit upload,
 * 2204/2205 fee upload and its cancel, 2206 pre-settlement, 2207/2208 settlement and its cancel.
 *
 * Inputs use the national field names (so they can be checked against the specification's tables), with every
 * amount in integer fen; optional texts go out as "" rather than missing. Outputs keep the national names with
 * amounts in fen under the same name.
 */
import { z } from 'zod';
import {
  dateInput,
  dateTimeInput,
  flagInput,
  list,
  nonNegativeFenInput,
  optionalText,
  requiredInputText,
  requiredText,
  text,
  toYuan,
} from '../wire';
import { defineTransaction, NoOutput } from './define';
import { FeeLineCommon, FeeLineResult, feeLineToWire } from './fee-lines';
import { cancelEchoes, PreSettlementOutput, SettlementOutput, settlementEchoes } from './settlement-output';

/** 01 e-voucher (ecToken), 02 resident ID card, 03 social-security card. */
const certType = z.enum(['01', '02', '03']);

// ---- 2001 人员待遇享受检查 -------------------------------------------------------------------------------

const TreatmentCheckInput = z.object({
  psn_no: requiredInputText(30),
  insutype: requiredInputText(6),
  /** 医疗类别, e.g. 11 普通门诊, 14 门诊慢特病, 21 普通住院. */
  med_type: requiredInputText(6),
  begntime: dateTimeInput,
  endtime: dateTimeInput.or(z.literal('')).default(''),
  dise_codg: optionalText(30),
  dise_name: optionalText(300),
  oprn_oprt_code: optionalText(30),
  oprn_oprt_name: optionalText(500),
  matn_type: optionalText(6),
  birctrl_type: optionalText(6),
});

const TreatmentCheckOutput = z.object({
  trtinfo: list(
    z.object({
      psn_no: text,
      trt_chk_type: text,
      fund_pay_type: text,
      /** 1 = the benefit applies; otherwise trt_chk_rslt says why not. */
      trt_enjymnt_flag: text,
      begndate: text,
      enddate: text,
      trt_chk_rslt: text,
    }),
  ),
});

export const treatmentCheck = defineTransaction({
  infno: '2001',
  input: TreatmentCheckInput,
  toWire: (data, { institutionCode }) => ({ data: { ...data, fixmedins_code: institutionCode } }),
  output: TreatmentCheckOutput,
});

// ---- 2201 门诊挂号 / 2202 门诊挂号撤销 ----------------------------------------------------------------------

const RegistrationInput = z.object({
  psn_no: requiredInputText(30),
  insutype: requiredInputText(6),
  begntime: dateTimeInput,
  mdtrt_cert_type: certType,
  mdtrt_cert_no: requiredInputText(50),
  /** The hospital's unique outpatient number (院内唯一流水). */
  ipt_otp_no: requiredInputText(30),
  atddr_no: requiredInputText(30),
  dr_name: requiredInputText(50),
  dept_code: requiredInputText(30),
  dept_name: requiredInputText(100),
  caty: requiredInputText(10),
});

const RegistrationOutput = z
  .object({ data: z.object({ mdtrt_id: requiredText, psn_no: requiredText, ipt_otp_no: text }) })
  .transform(({ data }) => data);

export const registerOutpatient = defineTransaction({
  infno: '2201',
  input: RegistrationInput,
  toWire: (data) => ({ data }),
  output: RegistrationOutput,
});

const RegistrationCancelInput = z.object({
  psn_no: requiredInputText(30),
  mdtrt_id: requiredInputText(30),
  ipt_otp_no: requiredInputText(30),
});

export const cancelOutpatientRegistration = defineTransaction({
  infno: '2202',
  input: RegistrationCancelInput,
  toWire: (data) => ({ data }),
  output: NoOutput,
});

// ---- 2203 门诊就诊信息上传 -------------------------------------------------------------------------------

export const DiagnosisInput = z.object({
  /** 1 西医诊断, 2 中医主病诊断, 3 中医主证诊断. */
  diag_type: requiredInputText(3),
  diag_srt_no: z.number().int().min(1),
  diag_code: requiredInputText(20),
  diag_name: requiredInputText(100),
  diag_dept: requiredInputText(50),
  dise_dor_no: requiredInputText(30),
  dise_dor_name: requiredInputText(50),
  diag_time: dateTimeInput,
  vali_flag: flagInput.default('1'),
});

const VisitUploadInput = z.object({
  mdtrtinfo: z.object({
    mdtrt_id: requiredInputText(30),
    psn_no: requiredInputText(30),
    med_type: requiredInputText(6),
    begntime: dateTimeInput,
    main_cond_dscr: optionalText(1000),
    dise_codg: optionalText(30),
    dise_name: optionalText(300),
    birctrl_type: optionalText(6),
    birctrl_matn_date: dateInput.or(z.literal('')).default(''),
  }),
  diseinfo: z.array(DiagnosisInput).min(1),
});

export const uploadOutpatientVisit = defineTransaction({
  infno: '2203',
  input: VisitUploadInput,
  toWire: (input) => input,
  output: NoOutput,
});

// ---- 2204 门诊费用明细上传 / 2205 门诊费用明细撤销 -------------------------------------------------------------

const OutpatientFeeLine = z.object({
  ...FeeLineCommon,
  /** 收费批次号: the lines settled together; 2205 cancels a batch. */
  chrg_bchno: requiredInputText(30),
  dise_codg: optionalText(30),
  rxno: optionalText(30),
  rx_circ_flag: flagInput.default('0'),
  sin_dos_dscr: optionalText(200),
  used_frqu_dscr: optionalText(200),
  prd_days: optionalText(10),
  medc_way_dscr: optionalText(200),
});

const FeeUploadInput = z
  .object({ feedetail: z.array(OutpatientFeeLine).min(1) })
  .refine((input) => new Set(input.feedetail.map((l) => l.feedetl_sn)).size === input.feedetail.length, {
    message: 'feedetl_sn must be unique within an upload',
    path: ['feedetail'],
  });

const FeeUploadOutput = z.object({ result: list(FeeLineResult) });

export const uploadOutpatientFees = defineTransaction({
  infno: '2204',
  input: FeeUploadInput,
  toWire: ({ feedetail }) => ({ feedetail: feedetail.map(feeLineToWire) }),
  output: FeeUploadOutput,
});

const FeeCancelInput = z.object({
  mdtrt_id: requiredInputText(30),
  chrg_bchno: requiredInputText(30),
  psn_no: requiredInputText(30),
});

export const cancelOutpatientFees = defineTransaction({
  infno: '2205',
  input: FeeCancelInput,
  toWire: (data) => ({ data }),
  output: NoOutput,
});

// ---- 2206 门诊预结算 / 2207 门诊结算 / 2208 门诊结算撤销 ----------------------------------------------------------

const SettlementInput = z.object({
  psn_no: requiredInputText(30),
  mdtrt_cert_type: certType,
  mdtrt_cert_no: requiredInputText(50),
  med_type: requiredInputText(6),
  medfee_sumamt: nonNegativeFenInput,
  /** 01 按项目结算. */
  psn_setlway: requiredInputText(6),
  mdtrt_id: requiredInputText(30),
  chrg_bchno: requiredInputText(30),
  insutype: requiredInputText(6),
  /** 1 = the personal account may pay the personal part. */
  acct_used_flag: flagInput,
  invono: optionalText(20),
  // The four category totals are conditional in the specification: sent only when the station has them.
  fulamt_ownpay_amt: nonNegativeFenInput.optional(),
  overlmt_selfpay: nonNegativeFenInput.optional(),
  preselfpay_amt: nonNegativeFenInput.optional(),
  inscp_scp_amt: nonNegativeFenInput.optional(),
});

type SettlementInputData = z.output<typeof SettlementInput>;

function settlementToWire(input: SettlementInputData) {
  const { medfee_sumamt, fulamt_ownpay_amt, overlmt_selfpay, preselfpay_amt, inscp_scp_amt, ...rest } = input;
  const optionalAmounts = Object.entries({ fulamt_ownpay_amt, overlmt_selfpay, preselfpay_amt, inscp_scp_amt }).flatMap(([key, value]) =>
    value === undefined ? [] : [[key, toYuan(value)] as const],
  );
  return { data: { ...rest, medfee_sumamt: toYuan(medfee_sumamt), ...Object.fromEntries(optionalAmounts) } };
}

export const preSettleOutpatient = defineTransaction({
  infno: '2206',
  input: SettlementInput,
  toWire: settlementToWire,
  output: PreSettlementOutput,
});

export const settleOutpatient = defineTransaction({
  infno: '2207',
  input: SettlementInput,
  toWire: settlementToWire,
  output: SettlementOutput,
  echoes: settlementEchoes,
});

const SettlementCancelInput = z.object({
  setl_id: requiredInputText(30),
  mdtrt_id: requiredInputText(30),
  psn_no: requiredInputText(30),
});

export const cancelOutpatientSettlement = defineTransaction({
  infno: '2208',
  input: SettlementCancelInput,
  toWire: (data) => ({ data }),
  output: SettlementOutput,
  echoes: cancelEchoes,
});

export type TreatmentCheckInput = z.input<typeof TreatmentCheckInput>;
export type RegistrationInput = z.input<typeof RegistrationInput>;
export type Registration = z.output<typeof RegistrationOutput>;
export type VisitUploadInput = z.input<typeof VisitUploadInput>;
export type OutpatientFeeLineInput = z.input<typeof OutpatientFeeLine>;
export type SettlementInput = z.input<typeof SettlementInput>;
