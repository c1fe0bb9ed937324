// The training policy as pure functions: the worked examples of docs/nhsa-policy.md, in fen.
import { describe, expect, it } from 'vitest';
import { catalogueItem, CATALOGUE } from './catalogue';
import { divideHalfUp, formatAmount, formatDecimal, lineAmount, parseAmount, parseDecimal, percentOf } from './money';
import {
  admissionRegistrationRefusal,
  cumulativeDeductibleOf,
  feeLineResult,
  inpatientSplit,
  outpatientSplit,
  settlementCancelRefusal,
  tablesFor,
  TRAINING_POLICY,
  type LineTotals,
  type PersonTerms,
} from './policy';

const dec = (s: string) => {
  const d = parseDecimal(s);
  if (!d) throw new Error(s);
  return d;
};
const item = (code: string) => {
  const found = catalogueItem(code);
  if (!found) throw new Error(code);
  return found;
};
const tables = TRAINING_POLICY.tables;
const employee: PersonTerms = { insutype: '310', psnType: '11', civilServant: false, accountBalance: 325678, useAccount: true };
const noneUsed = { deductible: 0, pooled: 0, civilServant: 0 };
const totals = (inscp: number, extra: Partial<LineTotals> = {}): LineTotals => ({
  medfee_sumamt: inscp + (extra.fulamt_ownpay_amt ?? 0) + (extra.overlmt_selfpay ?? 0) + (extra.preselfpay_amt ?? 0),
  fulamt_ownpay_amt: 0,
  overlmt_selfpay: 0,
  preselfpay_amt: 0,
  inscp_scp_amt: inscp,
  ...extra,
});
const addsUp = (s: { fund_pay_sumamt: number; acct_pay: number; psn_cash_pay: number; medfee_sumamt: number; psn_part_amt: number }) => {
  expect(s.fund_pay_sumamt + s.acct_pay + s.psn_cash_pay).toBe(s.medfee_sumamt);
  expect(s.acct_pay + s.psn_cash_pay).toBe(s.psn_part_amt);
};

describe('the centre’s arithmetic', () => {
  it('parses and formats yuan exactly, and rounds half up (away from zero)', () => {
    expect(parseAmount('12.3')).toBe(1230);
    expect(parseAmount(0.07)).toBe(7);
    expect(parseAmount('-0.05')).toBe(-5);
    expect(parseAmount('1.005')).toBeUndefined();
    expect(formatAmount(-5)).toBe('-0.05');
    expect([divideHalfUp(5n, 2n), divideHalfUp(-5n, 2n), divideHalfUp(7n, 3n)]).toEqual([3n, -3n, 2n]);
    expect(percentOf(3139, 50)).toBe(1570); // 1569.5 -> 1570
    expect(lineAmount(dec('3'), dec('6.35'))).toBe(1905);
    expect(lineAmount(dec('0.5'), dec('0.0325'))).toBe(2); // 1.625 fen -> 2
    expect(formatDecimal(dec('32'), 2)).toBe('32.00');
  });
});

describe('per fee line (example 1 of docs/nhsa-policy.md)', () => {
  const line = (code: string, cnt: string, pric: string, amount: number) =>
    feeLineResult(TRAINING_POLICY, item(code), dec(cnt), dec(pric), amount);

  it('class A in scope, class B pre-self-pay by kind, over-limit first, class C own pay', () => {
    expect(line('XJ01CAA040A001010100005', '2', '18.60', 3720)).toMatchObject({
      inscp_scp_amt: 3720,
      selfpay_prop: '0',
      pric_uplmt_amt: '25.00',
    });
    // 35.00 against a 32.00 limit: 3.00 over; 10 % of 32.00 pre-self-pay.
    expect(line('XJ01DCC047A001010102934', '1', '35.00', 3500)).toEqual({
      fulamt_ownpay_amt: 0,
      overlmt_amt: 300,
      preselfpay_amt: 320,
      inscp_scp_amt: 2880,
      selfpay_prop: '0.10',
      pric_uplmt_amt: '32.00',
    });
    expect(line('002503010120000', '1', '25.00', 2500)).toMatchObject({ preselfpay_amt: 500, inscp_scp_amt: 2000, selfpay_prop: '0.20' });
    expect(line('ZA04AAS0157010109527', '1', '29.90', 2990)).toMatchObject({
      fulamt_ownpay_amt: 2990,
      inscp_scp_amt: 0,
      selfpay_prop: '1',
      pric_uplmt_amt: '',
    });
  });

  it('a refund line is the exact negative of the same line', () => {
    const forward = line('XJ01DCC047A001010102934', '3', '35.00', 10500);
    const refund = line('XJ01DCC047A001010102934', '-3', '35.00', -10500);
    expect(refund).toEqual({
      ...forward,
      fulamt_ownpay_amt: -forward.fulamt_ownpay_amt,
      overlmt_amt: -forward.overlmt_amt,
      preselfpay_amt: -forward.preselfpay_amt,
      inscp_scp_amt: -forward.inscp_scp_amt,
    });
  });

  it('every catalogue line adds up, for any quantity', () => {
    for (const catalogueEntry of CATALOGUE) {
      for (const cnt of ['1', '3', '0.5', '7.25']) {
        const pric = dec(catalogueEntry.pric_uplmt ? `${catalogueEntry.pric_uplmt.split('.')[0]}.37` : '88.88');
        const amount = lineAmount(dec(cnt), pric);
        const r = feeLineResult(TRAINING_POLICY, catalogueEntry, dec(cnt), pric, amount);
        expect(r.fulamt_ownpay_amt + r.overlmt_amt + r.preselfpay_amt + r.inscp_scp_amt).toBe(amount);
      }
    }
  });
});

describe('outpatient settlement', () => {
  it('example 2: the deductible first, then 70 %, the account pays the personal part', () => {
    const first = outpatientSplit(
      TRAINING_POLICY,
      tables,
      totals(11600, { fulamt_ownpay_amt: 2990, overlmt_selfpay: 300, preselfpay_amt: 820 }),
      employee,
      noneUsed,
    );
    expect(first).toMatchObject({ medfee_sumamt: 15710, act_pay_dedc: 11600, hifp_pay: 0, acct_pay: 15710, psn_cash_pay: 0, balc: 309968 });
    const second = outpatientSplit(
      TRAINING_POLICY,
      tables,
      totals(11600, { fulamt_ownpay_amt: 2990, overlmt_selfpay: 300, preselfpay_amt: 820 }),
      { ...employee, useAccount: false },
      { ...noneUsed, deductible: 11600 },
    );
    expect(second).toMatchObject({ act_pay_dedc: 8400, hifp_pay: 2240, psn_part_amt: 13470, acct_pay: 0, psn_cash_pay: 13470 });
    addsUp(first);
    addsUp(second);
  });

  it('a retired employee gets 80 %; the annual cap stops the pooled fund', () => {
    const retired = outpatientSplit(
      TRAINING_POLICY,
      tables,
      totals(10000),
      { ...employee, psnType: '21' },
      { ...noneUsed, deductible: 20000 },
    );
    expect(retired.hifp_pay).toBe(8000);
    const nearCap = outpatientSplit(TRAINING_POLICY, tables, totals(10000), employee, {
      ...noneUsed,
      deductible: 20000,
      pooled: 300000 - 1234,
    });
    expect(nearCap.hifp_pay).toBe(1234);
    expect(nearCap.setldetail[0]).toMatchObject({ crt_payb_lmt_amt: 1234, fund_payamt: 1234 });
    addsUp(nearCap);
  });

  it('example 3: the civil-servant top-up pays half of what 310 left in scope, within its own cap', () => {
    const cs = { ...employee, civilServant: true, accountBalance: 1289050 };
    const s = outpatientSplit(TRAINING_POLICY, tables, totals(32000, { preselfpay_amt: 8000 }), cs, noneUsed);
    expect(s).toMatchObject({ act_pay_dedc: 20000, hifp_pay: 8400, cvlserv_pay: 11800, fund_pay_sumamt: 20200 });
    expect(s.setldetail.map((d) => d.fund_pay_type)).toEqual(['310100', '320100']);
    const capped = outpatientSplit(TRAINING_POLICY, tables, totals(32000), cs, { ...noneUsed, civilServant: 100000 - 500 });
    expect(capped.cvlserv_pay).toBe(500);
    addsUp(s);
  });

  it('a resident (390) has no account; a Shenzhen-insured employee settles with Shenzhen’s table', () => {
    const resident = outpatientSplit(
      TRAINING_POLICY,
      tables,
      totals(3139),
      { ...employee, insutype: '390', accountBalance: 0 },
      { ...noneUsed, deductible: 10000 },
    );
    expect(resident).toMatchObject({ hifp_pay: 1570, acct_pay: 0, psn_cash_pay: 1569 });
    const shenzhen = outpatientSplit(TRAINING_POLICY, tablesFor(TRAINING_POLICY, '440300'), totals(10000), employee, noneUsed);
    expect(shenzhen).toMatchObject({ act_pay_dedc: 0, hifp_pay: 6000 });
    expect(tablesFor(TRAINING_POLICY, '350100')).toBe(tables);
  });

  it('补充累计起付: employees (310) report the year’s deductible use including this settlement; residents (390) do not', () => {
    const first = outpatientSplit(TRAINING_POLICY, tables, totals(11600), employee, noneUsed);
    expect(cumulativeDeductibleOf(first.setldetail)).toBe(11600);
    const second = outpatientSplit(TRAINING_POLICY, tables, totals(11600), employee, { ...noneUsed, deductible: 11600 });
    expect(second.act_pay_dedc).toBe(8400);
    expect(cumulativeDeductibleOf(second.setldetail)).toBe(20000); // the whole 200.00 reached
    const third = outpatientSplit(TRAINING_POLICY, tables, totals(5000), employee, { ...noneUsed, deductible: 20000 });
    expect(cumulativeDeductibleOf(third.setldetail)).toBe(20000); // never beyond the deductible
    const cs = outpatientSplit(TRAINING_POLICY, tables, totals(32000), { ...employee, civilServant: true }, noneUsed);
    expect(cs.setldetail.filter((d) => d.cum_dedc !== undefined)).toHaveLength(1); // on the pooled fund only
    const resident = outpatientSplit(TRAINING_POLICY, tables, totals(3139), { ...employee, insutype: '390', accountBalance: 0 }, noneUsed);
    expect(resident.act_pay_dedc).toBe(3139);
    expect(cumulativeDeductibleOf(resident.setldetail)).toBeNull();
    const inpatient = inpatientSplit(tables, totals(50000), employee, { admissionDeductible: 0, yearPooled: 0, yearSeriousIllnessBase: 0 });
    expect(cumulativeDeductibleOf(inpatient.setldetail)).toBeNull();
  });
});

describe('inpatient settlement', () => {
  const none = { admissionDeductible: 0, yearPooled: 0, yearSeriousIllnessBase: 0 };

  it('example 4: the deductible once per admission, 85 %', () => {
    const mid = inpatientSplit(tables, totals(488140, { preselfpay_amt: 63960 }), employee, none);
    expect(mid).toMatchObject({
      act_pay_dedc: 80000,
      hifp_pay: 346919,
      hifmi_pay: 0,
      acct_pay: 205181,
      balc: 120497,
      serious_illness_base: 141221,
    });
    const final = inpatientSplit(
      tables,
      totals(15056, { preselfpay_amt: 784 }),
      { ...employee, accountBalance: 120497 },
      { ...none, admissionDeductible: 80000 },
    );
    expect(final).toMatchObject({ act_pay_dedc: 0, hifp_pay: 12798 });
    addsUp(mid);
    addsUp(final);
  });

  it('example 5: the serious-illness fund pays 60 % of the part above 20,000.00 remaining in scope this year', () => {
    const resident = { ...employee, insutype: '390' as const, accountBalance: 0, useAccount: false };
    const s = inpatientSplit(tables, totals(6840000, { preselfpay_amt: 760000 }), resident, none);
    expect(s).toMatchObject({
      act_pay_dedc: 50000,
      hifp_pay: 4753000,
      serious_illness_base: 2087000,
      hifmi_pay: 52200,
      psn_cash_pay: 2794800,
    });
    // Once the year's threshold is passed, all of the next remainder counts.
    const later = inpatientSplit(tables, totals(100000), resident, {
      admissionDeductible: 50000,
      yearPooled: 4753000,
      yearSeriousIllnessBase: 2087000,
    });
    expect(later).toMatchObject({ hifp_pay: 70000, serious_illness_base: 30000, hifmi_pay: 18000 });
    addsUp(s);
    addsUp(later);
  });
});

describe('cancelling a settlement of an earlier day (2208 / 2305)', () => {
  it('is allowed the same day and up to 30 China-time days later, across a month and a year; refused after', () => {
    expect(settlementCancelRefusal('2026-12-04', '2026-12-04')).toBeNull();
    expect(settlementCancelRefusal('2026-12-04', '2026-12-05')).toBeNull();
    expect(settlementCancelRefusal('2026-12-31', '2027-01-02')).toBeNull();
    expect(settlementCancelRefusal('2026-11-04', '2026-12-04')).toBeNull();
    expect(settlementCancelRefusal('2026-11-03', '2026-12-04')).toBe('结算日期2026-11-03距今已超过30天，超出撤销期限，不能撤销结算');
  });
});

describe('the admission registration window (2401, 自费转医保)', () => {
  it('takes a stay up to 3 China-time days after the day of admission, across a month; refuses it after', () => {
    expect(admissionRegistrationRefusal('2026-12-04 23:50:00', '2026-12-04')).toBeNull();
    expect(admissionRegistrationRefusal('2026-12-01 00:10:00', '2026-12-04')).toBeNull();
    expect(admissionRegistrationRefusal('2026-11-29 08:00:00', '2026-12-02')).toBeNull();
    expect(admissionRegistrationRefusal('2026-11-30 08:00:00', '2026-12-04')).toMatch(
      /^入院日期2026-11-30距今已超过3天，超出医保入院登记时限/,
    );
    expect(admissionRegistrationRefusal('2026-11-30 08:00:00', '2026-12-04', 7)).toBeNull();
  });
});
