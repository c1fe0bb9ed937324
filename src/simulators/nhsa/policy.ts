/**
 * The simulated centre's settlement policy (../shared/domain/policy.md): fictional, structurally like real ones,
 * kept as data — one table per insurance type — and applied by small pure functions. docs/nhsa-policy.md walks
 * through examples in fen.
 *
 * Invariants every function here keeps:
 * - money is integer fen; a ratio becomes money in exactly one place per settlement, rounded half up
 *   (percentOf / ratioOf), never per line;
 * - the parts add up exactly: line = own-pay + over-limit + pre-self-pay + in-scope; settlement total =
 *   fund + account + cash;
 * - deductibles and caps are consumed from what the person has used so far (this calendar year in China time,
 *   or this admission), which the ledger derives from its settlement entries — so a cancel or reversal, which
 *   books a negative twin, gives back exactly what was consumed.
 */
import type { CatalogueItem, ItemKind } from './catalogue';
import { compareDecimal, formatDecimal, lineAmount, parseDecimal, percentOf, ratioOf, type Decimal } from './money';

export type Insutype = '310' | '390';

export interface OutpatientRule {
  /** Annual deductible (起付线), fen. */
  deductible: number;
  /** Pooled-fund share of in-scope costs above the deductible, percent. */
  poolPercent: number;
  retiredPoolPercent: number;
  /** Annual cap on pooled-fund payments for outpatient care, fen. */
  annualCap: number;
  /** Whether the personal account may pay the personal part (when acct_used_flag = 1). */
  accountAllowed: boolean;
  fundPayType: string;
  fundPayTypeName: string;
  /**
   * Whether the scheme reports the supplementary cumulative deductible (补充累计起付, a local extension in
   * exp_content as `bcljqf`) on its outpatient settlement answers.
   */
  reportsCumulativeDeductible: boolean;
}

export interface CivilServantRule {
  /** Pays this percent of what the basic insurance left in scope (deductible, co-pay, above cap). */
  percentOfRemaining: number;
  annualCap: number;
  fundPayType: string;
  fundPayTypeName: string;
}

export interface InpatientRule {
  /** Charged once per admission: a mid-stay settlement does not charge it again. */
  deductiblePerAdmission: number;
  poolPercent: number;
  annualCap: number;
  accountAllowed: boolean;
  fundPayType: string;
  fundPayTypeName: string;
  /** The serious-illness fund pays a share of what remains in scope above a yearly threshold. */
  seriousIllness: { threshold: number; percent: number; fundPayType: string; fundPayTypeName: string };
}

export interface PolicyTables {
  outpatient: Record<Insutype, OutpatientRule>;
  /** The civil-servant top-up (320) on employee (310) outpatient settlements. */
  civilServant: CivilServantRule;
  inpatient: Record<Insutype, InpatientRule>;
}

export interface Policy {
  /** Class B pre-self-pay ratio by item kind. */
  classBSelfpayRatio: Record<ItemKind, string>;
  /** psn_type codes of retired employees (higher outpatient ratio). */
  retiredPsnTypes: readonly string[];
  tables: PolicyTables;
  /** Insured regions with tables of their own: a cross-region patient settles with the insured region's tables. */
  regionalTables: Readonly<Record<string, PolicyTables>>;
  /**
   * The days (Beijing) of the month after the clearing month when 3260 / 3261 / 3262 are accepted; the 5th to the
   * 8th when absent (S003: "每个月的月初5号~8号前完成明细确认").
   */
  clearingWindow?: { firstDay: number; lastDay: number };
  /** 入院登记时限 for 2401: `ADMISSION_REGISTRATION_DAYS` when absent (see there). */
  admissionRegistrationDays?: number;
}

export const DEFAULT_CLEARING_WINDOW = { firstDay: 5, lastDay: 8 } as const;

const yuan = (amount: number) => Math.round(amount * 100);

const TRAINING_TABLES: PolicyTables = {
  outpatient: {
    '310': {
      deductible: yuan(200),
      poolPercent: 70,
      retiredPoolPercent: 80,
      annualCap: yuan(3_000),
      accountAllowed: true,
      fundPayType: '310100',
      fundPayTypeName: '职工基本医疗保险统筹基金',
      reportsCumulativeDeductible: true,
    },
    '390': {
      deductible: yuan(100),
      poolPercent: 50,
      retiredPoolPercent: 50,
      annualCap: yuan(800),
      accountAllowed: false,
      fundPayType: '390100',
      fundPayTypeName: '城乡居民基本医疗保险基金',
      reportsCumulativeDeductible: false,
    },
  },
  civilServant: { percentOfRemaining: 50, annualCap: yuan(1_000), fundPayType: '320100', fundPayTypeName: '公务员医疗补助资金' },
  inpatient: {
    '310': {
      deductiblePerAdmission: yuan(800),
      poolPercent: 85,
      annualCap: yuan(300_000),
      accountAllowed: true,
      fundPayType: '310100',
      fundPayTypeName: '职工基本医疗保险统筹基金',
      seriousIllness: { threshold: yuan(20_000), percent: 60, fundPayType: '330100', fundPayTypeName: '职工大额医疗费用补助基金' },
    },
    '390': {
      deductiblePerAdmission: yuan(500),
      poolPercent: 70,
      annualCap: yuan(150_000),
      accountAllowed: false,
      fundPayType: '390100',
      fundPayTypeName: '城乡居民基本医疗保险基金',
      seriousIllness: { threshold: yuan(20_000), percent: 60, fundPayType: '390200', fundPayTypeName: '城乡居民大病医疗保险基金' },
    },
  },
};

/** Shenzhen (440300) insures its employees' outpatient care without a deductible, at a lower ratio. */
const SHENZHEN_TABLES: PolicyTables = {
  ...TRAINING_TABLES,
  outpatient: {
    ...TRAINING_TABLES.outpatient,
    '310': { ...TRAINING_TABLES.outpatient['310'], deductible: 0, poolPercent: 60, retiredPoolPercent: 70, annualCap: yuan(2_000) },
  },
};

export const TRAINING_POLICY: Policy = {
  classBSelfpayRatio: { drug: '0.10', service: '0.20' },
  retiredPsnTypes: ['21'],
  tables: TRAINING_TABLES,
  regionalTables: { '440300': SHENZHEN_TABLES },
};

export function tablesFor(policy: Policy, insuredRegion: string): PolicyTables {
  return policy.regionalTables[insuredRegion] ?? policy.tables;
}

// ---- per fee line (2204 / 2301 result) ------------------------------------------------------------------

export interface LineResult {
  fulamt_ownpay_amt: number;
  overlmt_amt: number;
  preselfpay_amt: number;
  inscp_scp_amt: number;
  /** "0" class A, the class B ratio, "1" class C. */
  selfpay_prop: string;
  /** The unit-price limit as decimal text, "" when the item has none. */
  pric_uplmt_amt: string;
}

/**
 * How one line falls under the policy. The over-limit part is what the price exceeds the limit, times the
 * quantity; class C is paid in full by the patient; class B pays its pre-self-pay share of the rest. A refund
 * line (negative quantity and amount) is the exact negative of the same line positive.
 */
export function feeLineResult(policy: Policy, item: CatalogueItem, cnt: Decimal, pric: Decimal, amount: number): LineResult {
  if (amount < 0) {
    const positive = feeLineResult(policy, item, { ...cnt, units: -cnt.units }, pric, -amount);
    return {
      ...positive,
      fulamt_ownpay_amt: -positive.fulamt_ownpay_amt,
      overlmt_amt: -positive.overlmt_amt,
      preselfpay_amt: -positive.preselfpay_amt,
      inscp_scp_amt: -positive.inscp_scp_amt,
    };
  }
  const limit = item.pric_uplmt === null ? undefined : parseDecimal(item.pric_uplmt);
  const limitText = limit ? formatDecimal(limit, 2) : '';
  if (item.chrgitm_lv === '03') {
    return { fulamt_ownpay_amt: amount, overlmt_amt: 0, preselfpay_amt: 0, inscp_scp_amt: 0, selfpay_prop: '1', pric_uplmt_amt: limitText };
  }
  const overlmt = limit && compareDecimal(pric, limit) > 0 ? Math.max(0, amount - lineAmount(cnt, limit)) : 0;
  const base = amount - overlmt;
  if (item.chrgitm_lv === '02') {
    const ratioText = policy.classBSelfpayRatio[item.kind];
    const ratio = parseDecimal(ratioText);
    if (!ratio) throw new Error(`policy: bad class B ratio ${ratioText}`);
    const preselfpay = ratioOf(base, ratio);
    return {
      fulamt_ownpay_amt: 0,
      overlmt_amt: overlmt,
      preselfpay_amt: preselfpay,
      inscp_scp_amt: base - preselfpay,
      selfpay_prop: ratioText,
      pric_uplmt_amt: limitText,
    };
  }
  return {
    fulamt_ownpay_amt: 0,
    overlmt_amt: overlmt,
    preselfpay_amt: 0,
    inscp_scp_amt: base,
    selfpay_prop: '0',
    pric_uplmt_amt: limitText,
  };
}

// ---- per settlement -----------------------------------------------------------------------------------

/** The sums of the lines being settled. */
export interface LineTotals {
  medfee_sumamt: number;
  fulamt_ownpay_amt: number;
  overlmt_selfpay: number;
  preselfpay_amt: number;
  inscp_scp_amt: number;
}

export interface PersonTerms {
  insutype: Insutype;
  psnType: string;
  civilServant: boolean;
  accountBalance: number;
  /** acct_used_flag = 1. */
  useAccount: boolean;
}

export interface FundDetail {
  fund_pay_type: string;
  fund_pay_type_name: string;
  inscp_scp_amt: number;
  /** What this fund could still pay before this settlement (cap remaining). */
  crt_payb_lmt_amt: number;
  fund_payamt: number;
  /**
   * On the pooled fund of an outpatient settlement, for schemes that report it (reportsCumulativeDeductible):
   * what this person's in-scope outpatient costs have counted toward the annual deductible this year, this
   * settlement included. Kept with the entry's details so a 5203 answers it as the 2207 did; never on the
   * wire's setldetail (setlinfo.exp_content carries it as bcljqf), never on a cancel's twin.
   */
  cum_dedc?: number;
}

export interface Split extends LineTotals {
  act_pay_dedc: number;
  hifp_pay: number;
  cvlserv_pay: number;
  hifmi_pay: number;
  fund_pay_sumamt: number;
  psn_part_amt: number;
  acct_pay: number;
  psn_cash_pay: number;
  /** Account balance after this settlement. */
  balc: number;
  /** What remained in scope after the pooled fund: accumulates towards the serious-illness threshold. */
  serious_illness_base: number;
  setldetail: FundDetail[];
}

/** What this person has consumed so far this calendar year (China time) in outpatient care. */
export interface OutpatientYearToDate {
  deductible: number;
  pooled: number;
  civilServant: number;
}

function personalPart(totals: LineTotals, fund: number, person: PersonTerms, accountAllowed: boolean) {
  const psnPart = totals.medfee_sumamt - fund;
  const acctPay = person.useAccount && accountAllowed ? Math.max(0, Math.min(person.accountBalance, psnPart)) : 0;
  return { psn_part_amt: psnPart, acct_pay: acctPay, psn_cash_pay: psnPart - acctPay, balc: person.accountBalance - acctPay };
}

export function outpatientSplit(
  policy: Policy,
  tables: PolicyTables,
  totals: LineTotals,
  person: PersonTerms,
  ytd: OutpatientYearToDate,
): Split {
  const rule = tables.outpatient[person.insutype];
  const inScope = totals.inscp_scp_amt;
  const deductibleLeft = Math.max(0, rule.deductible - ytd.deductible);
  const dedc = Math.min(inScope, deductibleLeft);
  const percent = policy.retiredPsnTypes.includes(person.psnType) ? rule.retiredPoolPercent : rule.poolPercent;
  const poolCapLeft = Math.max(0, rule.annualCap - ytd.pooled);
  const hifp = Math.min(percentOf(inScope - dedc, percent), poolCapLeft);

  const pool: FundDetail = {
    fund_pay_type: rule.fundPayType,
    fund_pay_type_name: rule.fundPayTypeName,
    inscp_scp_amt: inScope,
    crt_payb_lmt_amt: poolCapLeft,
    fund_payamt: hifp,
  };
  if (rule.reportsCumulativeDeductible) pool.cum_dedc = ytd.deductible + dedc;
  const details: FundDetail[] = [pool];
  let cvlserv = 0;
  if (person.civilServant && person.insutype === '310') {
    const top = tables.civilServant;
    const capLeft = Math.max(0, top.annualCap - ytd.civilServant);
    cvlserv = Math.min(percentOf(inScope - hifp, top.percentOfRemaining), capLeft);
    details.push({
      fund_pay_type: top.fundPayType,
      fund_pay_type_name: top.fundPayTypeName,
      inscp_scp_amt: inScope - hifp,
      crt_payb_lmt_amt: capLeft,
      fund_payamt: cvlserv,
    });
  }
  const fund = hifp + cvlserv;
  return {
    ...totals,
    act_pay_dedc: dedc,
    hifp_pay: hifp,
    cvlserv_pay: cvlserv,
    hifmi_pay: 0,
    fund_pay_sumamt: fund,
    ...personalPart(totals, fund, person, rule.accountAllowed),
    serious_illness_base: 0,
    setldetail: details,
  };
}

/**
 * 补充累计起付 (the supplementary cumulative deductible) of a settlement, from its fund details: the year's
 * outpatient deductible use this settlement included, or null when the scheme does not report it (or the
 * details are a cancel's).
 */
export function cumulativeDeductibleOf(details: readonly FundDetail[]): number | null {
  for (const d of details) if (typeof d.cum_dedc === 'number') return d.cum_dedc;
  return null;
}

/** What this person has consumed: the deductible in this admission, the caps and threshold this year. */
export interface InpatientToDate {
  admissionDeductible: number;
  yearPooled: number;
  yearSeriousIllnessBase: number;
}

export function inpatientSplit(tables: PolicyTables, totals: LineTotals, person: PersonTerms, toDate: InpatientToDate): Split {
  const rule = tables.inpatient[person.insutype];
  const inScope = totals.inscp_scp_amt;
  const dedc = Math.min(inScope, Math.max(0, rule.deductiblePerAdmission - toDate.admissionDeductible));
  const poolCapLeft = Math.max(0, rule.annualCap - toDate.yearPooled);
  const hifp = Math.min(percentOf(inScope - dedc, rule.poolPercent), poolCapLeft);

  // Only the part of this settlement's remainder that lies above the yearly threshold counts.
  const remaining = inScope - hifp;
  const { threshold, percent } = rule.seriousIllness;
  const before = toDate.yearSeriousIllnessBase;
  const above = Math.max(0, before + remaining - threshold) - Math.max(0, before - threshold);
  const hifmi = percentOf(above, percent);

  const fund = hifp + hifmi;
  const details: FundDetail[] = [
    {
      fund_pay_type: rule.fundPayType,
      fund_pay_type_name: rule.fundPayTypeName,
      inscp_scp_amt: inScope,
      crt_payb_lmt_amt: poolCapLeft,
      fund_payamt: hifp,
    },
  ];
  if (hifmi > 0) {
    details.push({
      fund_pay_type: rule.seriousIllness.fundPayType,
      fund_pay_type_name: rule.seriousIllness.fundPayTypeName,
      inscp_scp_amt: above,
      crt_payb_lmt_amt: 0,
      fund_payamt: hifmi,
    });
  }
  return {
    ...totals,
    act_pay_dedc: dedc,
    hifp_pay: hifp,
    cvlserv_pay: 0,
    hifmi_pay: hifmi,
    fund_pay_sumamt: fund,
    ...personalPart(totals, fund, person, rule.accountAllowed),
    serious_illness_base: remaining,
    setldetail: details,
  };
}

/**
 * How long a settlement may still be cancelled (2208 / 2305), counted in China-time calendar days from the day it
 * was settled: the same day always; an earlier day while the difference is at most this many days (a refund the
 * next morning, a bill brought back within the month). The negative twin is cleared on the day of the cancel
 * (its own `setl_day`, so an earlier day's clearing stays as it was) and keeps its original's policy year (it
 * gives back that year's deductible and caps). Older settlements are refused: they are cleared, and are refunded
 * by the centre's own procedure, not at the window.
 */
export const SETTLEMENT_CANCEL_DAYS = 30;

/**
 * 部分退费 (a refund of some lines) as the two-ends interface has it: the centre has no partial cancel. The whole
 * settlement is cancelled (2208, the rule above), the visit stays registered, the old fee batch is cancelled (2205)
 * and the remaining lines are uploaded as a new batch (2204, a new chrg_bchno, the same feedetl_sn) and settled
 * again (2207): a new setl_id with a new split, the personal account and the deductible recomputed from the entries.
 * Nothing here is special to it; the handlers already allow it, and this names the order the station follows.
 */
export const PARTIAL_REFUND_AT_CENTRE = ['2208', '2205', '2204', '2207'] as const;

/** Why a settlement of `settledDay` cannot be cancelled on `today` (both yyyy-MM-dd, China time), or null. */
export function settlementCancelRefusal(settledDay: string, today: string, limitDays = SETTLEMENT_CANCEL_DAYS): string | null {
  const days = (Date.parse(`${today}T00:00:00Z`) - Date.parse(`${settledDay}T00:00:00Z`)) / 86_400_000;
  if (days <= limitDays) return null;
  return `结算日期${settledDay}距今已超过${limitDays}天，超出撤销期限，不能撤销结算`;
}

/**
 * 入院登记时限 (2401), what makes 自费转医保 possible and bounded: a stay is registered with its real admission time
 * (begntime) no later than this many calendar days (China time) after the day of admission; later, the centre
 * refuses and the stay stays self-pay (a person may still apply at the 医保经办机构 with the hospital's papers).
 * Modelled on the common local rule that a patient who could not show insurance on admission (急诊, no card) must
 * register within three days of admission and before the discharge settlement; some regions count working days
 * or allow it until discharge. The discharge-settlement bound is the hospital's side: HIS refuses to turn a settled
 * stay insured, and the station asks only for a stay still in a bed.
 */
export const ADMISSION_REGISTRATION_DAYS = 3;

/** Why a 2401 with `begntime` (yyyy-MM-dd HH:mm:ss) is too late on `today` (yyyy-MM-dd, China time), or null. */
export function admissionRegistrationRefusal(begntime: string, today: string, limitDays = ADMISSION_REGISTRATION_DAYS): string | null {
  const admittedDay = begntime.slice(0, 10);
  const days = (Date.parse(`${today}T00:00:00Z`) - Date.parse(`${admittedDay}T00:00:00Z`)) / 86_400_000;
  if (!(days > limitDays)) return null;
  return `入院日期${admittedDay}距今已超过${limitDays}天，超出医保入院登记时限，不能办理医保入院登记（请按自费结算，或持相关材料到医保经办机构办理）`;
}
