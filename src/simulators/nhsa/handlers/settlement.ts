/**
 * The settlement engine shared by outpatient (2206/2207/2208) and inpatient (2303/2304/2305) care and the
 * reversal (2601): compute a split from the policy and what the person has consumed, book it as an entry,
 * cancel it with a negative twin, or reinstate it when the cancel itself is reversed.
 */
import { ageOn, beijing } from '../clock';
import { formatAmount } from '../money';
import {
  cumulativeDeductibleOf,
  inpatientSplit,
  outpatientSplit,
  tablesFor,
  type FundDetail,
  type Insutype,
  type LineTotals,
  type Split,
} from '../policy';
import type { InsuredPerson } from '../population';
import {
  amountsOf,
  ENTRY_AMOUNTS,
  entryDetails,
  entryLineIds,
  type EntryAmounts,
  type FeeLineRow,
  type SettlementEntry,
  type VisitRow,
} from '../records';
import { accountBalance } from './identity';
import { fail, newId, wireAmount, type Answer, type CentreRequest, type CentreState } from './common';

export function lineTotals(lines: readonly FeeLineRow[]): LineTotals {
  const totals: LineTotals = { medfee_sumamt: 0, fulamt_ownpay_amt: 0, overlmt_selfpay: 0, preselfpay_amt: 0, inscp_scp_amt: 0 };
  for (const line of lines) {
    totals.medfee_sumamt += line.det_item_fee_sumamt;
    totals.fulamt_ownpay_amt += line.fulamt_ownpay_amt;
    totals.overlmt_selfpay += line.overlmt_amt;
    totals.preselfpay_amt += line.preselfpay_amt;
    totals.inscp_scp_amt += line.inscp_scp_amt;
  }
  return totals;
}

const policyYear = (now: Date) => beijing(now).day.slice(0, 4);

/**
 * The extension field of a settlement answer: `{"bcljqf":"<yuan>"}` (补充累计起付) when the scheme reports it —
 * on an outpatient 2206/2207 (and a 5203 of that 2207) of an employee — else nothing.
 */
function extension(details: readonly FundDetail[]): { exp_content?: string } {
  const cumulative = cumulativeDeductibleOf(details);
  return cumulative === null ? {} : { exp_content: JSON.stringify({ bcljqf: formatAmount(cumulative) }) };
}

export function computeSplit(
  state: CentreState,
  req: CentreRequest,
  visit: VisitRow,
  person: InsuredPerson,
  lines: readonly FeeLineRow[],
  useAccount: boolean,
): Split {
  const insurance = person.insurances.find((i) => i.insutype === visit.insutype);
  if (!insurance) throw new Error(`visit ${visit.mdtrt_id}: the person has no insurance ${visit.insutype}`);
  // A cross-region patient is settled with the insured region's tables (the catalogue stays the treating region's).
  const tables = tablesFor(state.policy, visit.insuplc_admdvs);
  const terms = {
    insutype: insurance.insutype as Insutype,
    psnType: insurance.psnType,
    civilServant: insurance.cvlservFlag === '1',
    accountBalance: accountBalance(state.records, person, insurance.insutype),
    useAccount,
  };
  const year = policyYear(req.now);
  const scope = { psn_no: person.psnNo, insutype: insurance.insutype };
  if (visit.kind === 'outpatient') {
    const used = state.records.consumed({ ...scope, clr_type: '11', policy_year: year });
    return outpatientSplit(state.policy, tables, lineTotals(lines), terms, {
      deductible: used.act_pay_dedc,
      pooled: used.hifp_pay,
      civilServant: used.cvlserv_pay,
    });
  }
  const admission = state.records.consumed({ ...scope, clr_type: '21', mdtrt_id: visit.mdtrt_id });
  const thisYear = state.records.consumed({ ...scope, clr_type: '21', policy_year: year });
  return inpatientSplit(tables, lineTotals(lines), terms, {
    admissionDeductible: admission.act_pay_dedc,
    yearPooled: thisYear.hifp_pay,
    yearSeriousIllnessBase: thisYear.serious_illness_base,
  });
}

export function bookSettlement(
  state: CentreState,
  req: CentreRequest,
  visit: VisitRow,
  lines: readonly FeeLineRow[],
  split: Split,
  terms: { midSetl: '0' | '1'; certType: string },
): SettlementEntry {
  const t = beijing(req.now);
  const entry: SettlementEntry = {
    setl_id: newId(state, 'setl_id', '2'),
    init_setl_id: null,
    refd_setl_flag: '0',
    setl_cnt: 1,
    state: 'active',
    fixmedins_code: visit.fixmedins_code,
    mdtrt_id: visit.mdtrt_id,
    psn_no: visit.psn_no,
    insutype: visit.insutype,
    clr_type: visit.kind === 'outpatient' ? '11' : '21',
    clr_optins: visit.insuplc_admdvs,
    med_type: visit.med_type,
    mdtrt_cert_type: terms.certType,
    mid_setl_flag: terms.midSetl,
    setl_time: t.display,
    setl_day: t.display.slice(0, 10),
    policy_year: t.day.slice(0, 4),
    msgid: req.msgid,
    ...amountsOf(split),
    balc: split.balc,
    setldetail: JSON.stringify(split.setldetail),
    line_ids: JSON.stringify(lines.map((l) => l.id)),
  };
  state.records.insertEntry(entry);
  state.records.bindLines(
    lines.map((l) => l.id),
    entry.setl_id,
  );
  return entry;
}

/**
 * Books the negative twin of `entry` (a cancel, or the reversal of a settlement or of a cancel) and marks `entry`
 * voided. The twin keeps the original's policy year, so it gives back exactly the deductible and caps the
 * original consumed, in the year it consumed them; it is cleared on the day it happens.
 */
function bookTwin(state: CentreState, req: CentreRequest, entry: SettlementEntry, person: InsuredPerson): SettlementEntry {
  const t = beijing(req.now);
  const negated = Object.fromEntries(ENTRY_AMOUNTS.map((key) => [key, -entry[key]])) as EntryAmounts;
  // A twin reports no 补充累计起付: it is the figure of the settlement that consumed the deductible.
  const details: FundDetail[] = entryDetails(entry).map(({ cum_dedc: _reported, ...d }) => ({
    ...d,
    inscp_scp_amt: -d.inscp_scp_amt,
    fund_payamt: -d.fund_payamt,
  }));
  const balanceAfter = accountBalance(state.records, person, entry.insutype) - negated.acct_pay;
  const twin: SettlementEntry = {
    ...entry,
    ...negated,
    setl_id: newId(state, 'setl_id', '2'),
    init_setl_id: entry.setl_id,
    refd_setl_flag: '1',
    setl_cnt: entry.setl_cnt === 1 ? -1 : 1,
    state: 'active',
    setl_time: t.display,
    setl_day: t.display.slice(0, 10),
    msgid: req.msgid,
    balc: balanceAfter,
    setldetail: JSON.stringify(details),
  };
  state.records.insertEntry(twin);
  state.records.setEntryState(entry.setl_id, 'voided');
  return twin;
}

/** 2208 / 2305 / 2601 of a settlement: the twin, and the fee lines free to be settled again or cancelled. */
export function cancelSettlement(
  state: CentreState,
  req: CentreRequest,
  entry: SettlementEntry,
  person: InsuredPerson,
): SettlementEntry | Answer {
  if (entry.refd_setl_flag !== '0') return fail('该结算记录为退费记录，不能撤销');
  if (entry.state !== 'active') return fail('结算已撤销，不能重复撤销');
  const twin = bookTwin(state, req, entry, person);
  state.records.bindLines(entryLineIds(entry), null);
  return twin;
}

/** 2601 of a cancel: the settlement it cancelled is in force again, on the same fee lines. */
export function reinstateSettlement(
  state: CentreState,
  req: CentreRequest,
  cancelTwin: SettlementEntry,
  person: InsuredPerson,
): SettlementEntry | Answer {
  const original = cancelTwin.init_setl_id ? state.records.entry(cancelTwin.init_setl_id) : undefined;
  if (cancelTwin.state !== 'active' || !original || original.state !== 'voided') return fail('原撤销交易已被冲正');
  const lineIds = entryLineIds(original);
  const free = new Set(
    state.records
      .activeLines(original.mdtrt_id)
      .filter((l) => l.setl_id === null)
      .map((l) => l.id),
  );
  if (!lineIds.every((id) => free.has(id))) return fail('原结算的费用明细已变更，不能冲正撤销交易');
  const counter = bookTwin(state, req, cancelTwin, person);
  state.records.setEntryState(original.setl_id, 'active');
  state.records.bindLines(lineIds, original.setl_id);
  return counter;
}

/** The wire `setlinfo` of an entry (or of a pre-settlement, with setl_id ""). */
export function setlinfoOf(
  req: CentreRequest,
  person: InsuredPerson,
  visit: VisitRow,
  figures: EntryAmounts & { balc: number },
  ids: { setl_id: string; setl_time: string; medins_setl_id: string },
  certType: string,
) {
  const insurance = person.insurances.find((i) => i.insutype === visit.insutype);
  return {
    mdtrt_id: visit.mdtrt_id,
    setl_id: ids.setl_id,
    psn_no: person.psnNo,
    psn_name: person.name,
    psn_cert_type: '01',
    certno: person.idNo,
    gend: person.gend,
    naty: person.naty,
    brdy: person.brdy,
    age: ageOn(person.brdy, beijing(req.now).day),
    insutype: visit.insutype,
    psn_type: insurance?.psnType ?? '',
    cvlserv_flag: insurance?.cvlservFlag ?? '0',
    setl_time: ids.setl_time,
    mdtrt_cert_type: certType,
    med_type: visit.med_type,
    medfee_sumamt: wireAmount(figures.medfee_sumamt),
    fulamt_ownpay_amt: wireAmount(figures.fulamt_ownpay_amt),
    overlmt_selfpay: wireAmount(figures.overlmt_selfpay),
    preselfpay_amt: wireAmount(figures.preselfpay_amt),
    inscp_scp_amt: wireAmount(figures.inscp_scp_amt),
    act_pay_dedc: wireAmount(figures.act_pay_dedc),
    hifp_pay: wireAmount(figures.hifp_pay),
    cvlserv_pay: wireAmount(figures.cvlserv_pay),
    hifes_pay: 0,
    hifmi_pay: wireAmount(figures.hifmi_pay),
    hifob_pay: 0,
    maf_pay: 0,
    oth_pay: 0,
    fund_pay_sumamt: wireAmount(figures.fund_pay_sumamt),
    psn_part_amt: wireAmount(figures.psn_part_amt),
    acct_pay: wireAmount(figures.acct_pay),
    psn_cash_pay: wireAmount(figures.psn_cash_pay),
    hosp_part_amt: 0,
    balc: wireAmount(figures.balc),
    acct_mulaid_pay: 0,
    medins_setl_id: ids.medins_setl_id,
    clr_optins: visit.insuplc_admdvs,
    clr_way: '1',
    clr_type: visit.kind === 'outpatient' ? '11' : '21',
  };
}

export function setldetailOf(details: readonly FundDetail[]) {
  return details.map((d) => ({
    fund_pay_type: d.fund_pay_type,
    fund_pay_type_name: d.fund_pay_type_name,
    inscp_scp_amt: wireAmount(d.inscp_scp_amt),
    crt_payb_lmt_amt: wireAmount(d.crt_payb_lmt_amt),
    fund_payamt: wireAmount(d.fund_payamt),
    setl_proc_info: '',
  }));
}

/** The whole answer for a booked entry (2207, 2208, 5203 ...). */
export function entryOutput(req: CentreRequest, person: InsuredPerson, visit: VisitRow, entry: SettlementEntry) {
  const setlinfo = setlinfoOf(
    req,
    person,
    visit,
    entry,
    { setl_id: entry.setl_id, setl_time: entry.setl_time, medins_setl_id: entry.msgid },
    entry.mdtrt_cert_type,
  );
  const details = entryDetails(entry);
  return { setlinfo: { ...setlinfo, ...extension(details) }, setldetail: setldetailOf(details) };
}

/** The answer of a pre-settlement: the same figures, nothing booked. */
export function previewOutput(req: CentreRequest, person: InsuredPerson, visit: VisitRow, split: Split, certType: string) {
  const setlinfo = setlinfoOf(
    req,
    person,
    visit,
    { ...amountsOf(split), balc: split.balc },
    { setl_id: '', setl_time: '', medins_setl_id: '' },
    certType,
  );
  return {
    setlinfo: { ...setlinfo, ...extension(split.setldetail) },
    setldetail: setldetailOf(split.setldetail),
  };
}
