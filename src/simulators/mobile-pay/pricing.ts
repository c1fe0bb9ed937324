/**
 * How the mobile-payment centre splits an uploaded bill (6201) into fund / personal account / self-pay: the NHSA
 * simulator's own policy — its catalogue, per-line result and settlement split — applied to the upload's lines,
 * so both simulated centres price a bill the same way. Every total is integer fen.
 */
import { CATALOGUE, TRAINING_POLICY, tablesFor } from '../nhsa';
import { parseAmount, parseDecimal } from '../nhsa/money';
import { feeLineResult, inpatientSplit, outpatientSplit, type Insutype, type LineTotals } from '../nhsa/policy';
import type { InsuredPerson } from '../nhsa/population';

export interface UploadLine {
  medListCodg: string;
  cnt: string;
  pric: string;
  detItemFeeSumamt: string;
}

export interface PreSettlement {
  feeSumamt: number;
  fundPay: number;
  psnAcctPay: number;
  ownPayAmt: number;
  /** The insurance it was priced under: the settlement's insurance type and insured region at the NHSA centre. */
  insutype: string;
  insuplcAdmdvs: string;
}

/** The split, or the centre's words for why the lines cannot be priced. */
export function priceUpload(
  person: InsuredPerson,
  lines: readonly UploadLine[],
  opts: { medType: string; declaredSumFen: number; useAccount: boolean },
): PreSettlement | { refusal: string } {
  const totals: LineTotals = { medfee_sumamt: 0, fulamt_ownpay_amt: 0, overlmt_selfpay: 0, preselfpay_amt: 0, inscp_scp_amt: 0 };
  for (const line of lines) {
    const item = CATALOGUE.find((i) => i.med_list_codg === line.medListCodg);
    const cnt = parseDecimal(line.cnt);
    const pric = parseDecimal(line.pric);
    const amount = parseAmount(line.detItemFeeSumamt);
    if (!item) return { refusal: `目录中无此项目 ${line.medListCodg}` };
    if (!cnt || !pric || amount === undefined || amount < 0) return { refusal: `明细金额格式错误 ${line.medListCodg}` };
    const r = feeLineResult(TRAINING_POLICY, item, cnt, pric, amount);
    totals.medfee_sumamt += amount;
    totals.fulamt_ownpay_amt += r.fulamt_ownpay_amt;
    totals.overlmt_selfpay += r.overlmt_amt;
    totals.preselfpay_amt += r.preselfpay_amt;
    totals.inscp_scp_amt += r.inscp_scp_amt;
  }
  if (totals.medfee_sumamt !== opts.declaredSumFen) return { refusal: '明细金额之和与医疗费总额不符' };
  const insurance = person.insurances.find((i) => i.psnInsuStas === '1');
  if (!insurance) return { refusal: '人员无有效参保信息' };
  const terms = {
    insutype: insurance.insutype as Insutype,
    psnType: insurance.psnType,
    civilServant: insurance.cvlservFlag === '1',
    accountBalance: parseAmount(insurance.balc) ?? 0,
    useAccount: opts.useAccount,
  };
  const tables = tablesFor(TRAINING_POLICY, insurance.insuplcAdmdvs);
  // This centre keeps no year-to-date of its own: every bill is priced as the person's first (documented).
  const split = opts.medType.startsWith('2')
    ? inpatientSplit(tables, totals, terms, { admissionDeductible: 0, yearPooled: 0, yearSeriousIllnessBase: 0 })
    : outpatientSplit(TRAINING_POLICY, tables, totals, terms, { deductible: 0, pooled: 0, civilServant: 0 });
  return {
    feeSumamt: split.medfee_sumamt,
    fundPay: split.fund_pay_sumamt,
    psnAcctPay: split.acct_pay,
    ownPayAmt: split.psn_cash_pay,
    insutype: insurance.insutype,
    insuplcAdmdvs: insurance.insuplcAdmdvs,
  };
}
