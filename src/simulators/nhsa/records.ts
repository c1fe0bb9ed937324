/**
 * The care records in the centre's ledger: visits (2201 / 2401), diagnoses, fee lines (2204 / 2301) and
 * settlement entries (2207 / 2304 and their negative twins). Plain SQL over the ledger's connection; the rules
 * live in the handlers and policy.ts.
 */
import type { Ledger } from './ledger';
import type { FundDetail, Split } from './policy';

export type VisitKind = 'outpatient' | 'inpatient';
export type VisitState = 'registered' | 'admitted' | 'discharged' | 'cancelled';

export interface VisitRow {
  mdtrt_id: string;
  kind: VisitKind;
  fixmedins_code: string;
  psn_no: string;
  insutype: string;
  insuplc_admdvs: string;
  med_type: string;
  begntime: string;
  endtime: string;
  ipt_otp_no: string;
  dept_name: string;
  dr_name: string;
  dise_codg: string;
  dise_name: string;
  main_cond_dscr: string;
  state: VisitState;
  opened_by_msgid: string;
  discharged_by_msgid: string | null;
}

export interface DiagnosisRow {
  mdtrt_id: string;
  diag_type: string;
  diag_srt_no: number;
  diag_code: string;
  diag_name: string;
  diag_dept: string;
  dise_dor_no: string;
  dise_dor_name: string;
  diag_time: string;
  vali_flag: string;
  maindiag_flag: string;
}

export interface FeeLineRow {
  id: number;
  mdtrt_id: string;
  feedetl_sn: string;
  init_feedetl_sn: string;
  chrg_bchno: string;
  psn_no: string;
  med_type: string;
  fee_ocur_time: string;
  med_list_codg: string;
  medins_list_codg: string;
  cnt: string;
  pric: string;
  det_item_fee_sumamt: number;
  fulamt_ownpay_amt: number;
  overlmt_amt: number;
  preselfpay_amt: number;
  inscp_scp_amt: number;
  selfpay_prop: string;
  pric_uplmt_amt: string;
  chrgitm_lv: string;
  med_chrgitm_type: string;
  state: 'active' | 'cancelled';
  setl_id: string | null;
  uploaded_by_msgid: string;
}

/** The amount columns of a settlement entry: the ones a twin negates. */
export const ENTRY_AMOUNTS = [
  'medfee_sumamt',
  'fulamt_ownpay_amt',
  'overlmt_selfpay',
  'preselfpay_amt',
  'inscp_scp_amt',
  'act_pay_dedc',
  'hifp_pay',
  'cvlserv_pay',
  'hifmi_pay',
  'fund_pay_sumamt',
  'psn_part_amt',
  'acct_pay',
  'psn_cash_pay',
  'serious_illness_base',
] as const;

export type EntryAmounts = Record<(typeof ENTRY_AMOUNTS)[number], number>;

export interface SettlementEntry extends EntryAmounts {
  setl_id: string;
  init_setl_id: string | null;
  refd_setl_flag: '0' | '1';
  /** +1 for an entry that puts a settlement in force (a settlement, the reversal of a cancel), -1 for one that takes it out. */
  setl_cnt: 1 | -1;
  state: 'active' | 'voided';
  fixmedins_code: string;
  mdtrt_id: string;
  psn_no: string;
  insutype: string;
  clr_type: '11' | '21';
  clr_optins: string;
  med_type: string;
  mdtrt_cert_type: string;
  mid_setl_flag: '0' | '1';
  setl_time: string;
  setl_day: string;
  policy_year: string;
  msgid: string;
  balc: number;
  /** JSON of FundDetail[]. */
  setldetail: string;
  /** JSON of the fee_line ids it settled. */
  line_ids: string;
}

export function entryDetails(entry: SettlementEntry): FundDetail[] {
  return JSON.parse(entry.setldetail) as FundDetail[];
}

export function entryLineIds(entry: SettlementEntry): number[] {
  return JSON.parse(entry.line_ids) as number[];
}

export function amountsOf(split: Split): EntryAmounts {
  return Object.fromEntries(ENTRY_AMOUNTS.map((key) => [key, split[key]])) as EntryAmounts;
}

export interface PeriodFilter {
  fixmedins_code: string;
  clr_type: string;
  clr_optins: string;
  /** yyyy-MM-dd, inclusive. */
  from: string;
  to: string;
  insutype?: string;
  /** Only forward settlements (refd_setl_flag 0), no cancel or reversal twins. */
  forwardOnly: boolean;
}

function periodWhere(filter: PeriodFilter): { where: string; params: Record<string, string> } {
  const conditions = [
    'fixmedins_code = @fixmedins_code',
    'clr_type = @clr_type',
    'clr_optins = @clr_optins',
    'setl_day >= @from',
    'setl_day <= @to',
  ];
  if (filter.insutype !== undefined) conditions.push('insutype = @insutype');
  if (filter.forwardOnly) conditions.push(`refd_setl_flag = '0'`);
  const { forwardOnly: _forwardOnly, insutype, ...params } = filter;
  return { where: conditions.join(' AND '), params: insutype === undefined ? params : { ...params, insutype } };
}

export class CareRecords {
  constructor(private readonly ledger: Ledger) {}

  // ---- visits --------------------------------------------------------------------------------------------

  insertVisit(visit: Omit<VisitRow, 'discharged_by_msgid'>): void {
    this.ledger
      .stmt(
        `INSERT INTO visit (mdtrt_id, kind, fixmedins_code, psn_no, insutype, insuplc_admdvs, med_type, begntime, endtime, ipt_otp_no,
           dept_name, dr_name, dise_codg, dise_name, main_cond_dscr, state, opened_by_msgid)
         VALUES (@mdtrt_id, @kind, @fixmedins_code, @psn_no, @insutype, @insuplc_admdvs, @med_type, @begntime, @endtime, @ipt_otp_no,
           @dept_name, @dr_name, @dise_codg, @dise_name, @main_cond_dscr, @state, @opened_by_msgid)`,
      )
      .run(visit);
  }

  visit(mdtrtId: string): VisitRow | undefined {
    return this.ledger.stmt<[string], VisitRow>(`SELECT * FROM visit WHERE mdtrt_id = ?`).get(mdtrtId);
  }

  visitNumberTaken(fixmedinsCode: string, kind: VisitKind, iptOtpNo: string): boolean {
    return (
      this.ledger
        .stmt(`SELECT 1 FROM visit WHERE fixmedins_code = ? AND kind = ? AND ipt_otp_no = ? AND state <> 'cancelled'`)
        .get(fixmedinsCode, kind, iptOtpNo) !== undefined
    );
  }

  visitOpenedBy(msgid: string): VisitRow | undefined {
    return this.ledger.stmt<[string], VisitRow>(`SELECT * FROM visit WHERE opened_by_msgid = ?`).get(msgid);
  }

  visitDischargedBy(msgid: string): VisitRow | undefined {
    return this.ledger.stmt<[string], VisitRow>(`SELECT * FROM visit WHERE discharged_by_msgid = ?`).get(msgid);
  }

  setVisitState(mdtrtId: string, state: VisitState): void {
    this.ledger.stmt(`UPDATE visit SET state = ? WHERE mdtrt_id = ?`).run(state, mdtrtId);
  }

  recordDischarge(mdtrtId: string, endtime: string, msgid: string, dise: { dise_codg: string; dise_name: string }): void {
    this.ledger
      .stmt(`UPDATE visit SET state = 'discharged', endtime = ?, discharged_by_msgid = ?, dise_codg = ?, dise_name = ? WHERE mdtrt_id = ?`)
      .run(endtime, msgid, dise.dise_codg, dise.dise_name, mdtrtId);
  }

  undoDischarge(mdtrtId: string): void {
    this.ledger.stmt(`UPDATE visit SET state = 'admitted', endtime = '', discharged_by_msgid = NULL WHERE mdtrt_id = ?`).run(mdtrtId);
  }

  updateVisitDetails(
    mdtrtId: string,
    details: Partial<Pick<VisitRow, 'med_type' | 'begntime' | 'dise_codg' | 'dise_name' | 'main_cond_dscr' | 'dept_name' | 'dr_name'>>,
  ): void {
    const current = this.visit(mdtrtId);
    if (!current) throw new Error(`no visit ${mdtrtId}`);
    const next = { ...current, ...details };
    this.ledger
      .stmt(
        `UPDATE visit SET med_type = ?, begntime = ?, dise_codg = ?, dise_name = ?, main_cond_dscr = ?, dept_name = ?, dr_name = ? WHERE mdtrt_id = ?`,
      )
      .run(next.med_type, next.begntime, next.dise_codg, next.dise_name, next.main_cond_dscr, next.dept_name, next.dr_name, mdtrtId);
  }

  visitsOf(psnNo: string, from: string, to: string): VisitRow[] {
    return this.ledger
      .stmt<[string, string, string], VisitRow>(
        `SELECT * FROM visit WHERE psn_no = ? AND begntime >= ? AND begntime <= ? ORDER BY begntime, mdtrt_id`,
      )
      .all(psnNo, from, to);
  }

  replaceDiagnoses(mdtrtId: string, rows: readonly DiagnosisRow[]): void {
    this.ledger.stmt(`DELETE FROM diagnosis WHERE mdtrt_id = ?`).run(mdtrtId);
    const insert = this.ledger.stmt(
      `INSERT INTO diagnosis VALUES (@mdtrt_id, @diag_type, @diag_srt_no, @diag_code, @diag_name, @diag_dept, @dise_dor_no, @dise_dor_name,
         @diag_time, @vali_flag, @maindiag_flag)`,
    );
    for (const row of rows) insert.run(row);
  }

  diagnoses(mdtrtId: string): DiagnosisRow[] {
    return this.ledger.stmt<[string], DiagnosisRow>(`SELECT * FROM diagnosis WHERE mdtrt_id = ? ORDER BY diag_srt_no`).all(mdtrtId);
  }

  // ---- fee lines ----------------------------------------------------------------------------------------

  insertFeeLine(line: Omit<FeeLineRow, 'id' | 'state' | 'setl_id'>): void {
    this.ledger
      .stmt(
        `INSERT INTO fee_line (mdtrt_id, feedetl_sn, init_feedetl_sn, chrg_bchno, psn_no, med_type, fee_ocur_time, med_list_codg,
           medins_list_codg, cnt, pric, det_item_fee_sumamt, fulamt_ownpay_amt, overlmt_amt, preselfpay_amt, inscp_scp_amt,
           selfpay_prop, pric_uplmt_amt, chrgitm_lv, med_chrgitm_type, state, setl_id, uploaded_by_msgid)
         VALUES (@mdtrt_id, @feedetl_sn, @init_feedetl_sn, @chrg_bchno, @psn_no, @med_type, @fee_ocur_time, @med_list_codg,
           @medins_list_codg, @cnt, @pric, @det_item_fee_sumamt, @fulamt_ownpay_amt, @overlmt_amt, @preselfpay_amt, @inscp_scp_amt,
           @selfpay_prop, @pric_uplmt_amt, @chrgitm_lv, @med_chrgitm_type, 'active', NULL, @uploaded_by_msgid)`,
      )
      .run(line);
  }

  activeLine(mdtrtId: string, feedetlSn: string): FeeLineRow | undefined {
    return this.ledger
      .stmt<[string, string], FeeLineRow>(`SELECT * FROM fee_line WHERE mdtrt_id = ? AND feedetl_sn = ? AND state = 'active'`)
      .get(mdtrtId, feedetlSn);
  }

  /** Active lines of a visit; with a batch number, of that batch only. */
  activeLines(mdtrtId: string, chrgBchno?: string): FeeLineRow[] {
    if (chrgBchno === undefined) {
      return this.ledger
        .stmt<[string], FeeLineRow>(`SELECT * FROM fee_line WHERE mdtrt_id = ? AND state = 'active' ORDER BY id`)
        .all(mdtrtId);
    }
    return this.ledger
      .stmt<[string, string], FeeLineRow>(`SELECT * FROM fee_line WHERE mdtrt_id = ? AND chrg_bchno = ? AND state = 'active' ORDER BY id`)
      .all(mdtrtId, chrgBchno);
  }

  linesOfSettlement(setlId: string): FeeLineRow[] {
    return this.ledger.stmt<[string], FeeLineRow>(`SELECT * FROM fee_line WHERE setl_id = ? ORDER BY id`).all(setlId);
  }

  allLines(mdtrtId: string): FeeLineRow[] {
    return this.ledger.stmt<[string], FeeLineRow>(`SELECT * FROM fee_line WHERE mdtrt_id = ? ORDER BY id`).all(mdtrtId);
  }

  cancelLines(ids: readonly number[]): void {
    const cancel = this.ledger.stmt(`UPDATE fee_line SET state = 'cancelled' WHERE id = ?`);
    for (const id of ids) cancel.run(id);
  }

  bindLines(ids: readonly number[], setlId: string | null): void {
    const bind = this.ledger.stmt(`UPDATE fee_line SET setl_id = ? WHERE id = ?`);
    for (const id of ids) bind.run(setlId, id);
  }

  // ---- settlement entries -------------------------------------------------------------------------------

  insertEntry(entry: SettlementEntry): void {
    this.ledger
      .stmt(
        `INSERT INTO setl_entry (setl_id, init_setl_id, refd_setl_flag, setl_cnt, state, fixmedins_code, mdtrt_id, psn_no, insutype, clr_type, clr_optins,
           med_type, mdtrt_cert_type, mid_setl_flag, setl_time, setl_day, policy_year, msgid, medfee_sumamt, fulamt_ownpay_amt, overlmt_selfpay, preselfpay_amt,
           inscp_scp_amt, act_pay_dedc, hifp_pay, cvlserv_pay, hifmi_pay, fund_pay_sumamt, psn_part_amt, acct_pay, psn_cash_pay, balc,
           serious_illness_base, setldetail, line_ids)
         VALUES (@setl_id, @init_setl_id, @refd_setl_flag, @setl_cnt, @state, @fixmedins_code, @mdtrt_id, @psn_no, @insutype, @clr_type, @clr_optins,
           @med_type, @mdtrt_cert_type, @mid_setl_flag, @setl_time, @setl_day, @policy_year, @msgid, @medfee_sumamt, @fulamt_ownpay_amt, @overlmt_selfpay,
           @preselfpay_amt, @inscp_scp_amt, @act_pay_dedc, @hifp_pay, @cvlserv_pay, @hifmi_pay, @fund_pay_sumamt, @psn_part_amt, @acct_pay,
           @psn_cash_pay, @balc, @serious_illness_base, @setldetail, @line_ids)`,
      )
      .run(entry);
  }

  entry(setlId: string): SettlementEntry | undefined {
    return this.ledger.stmt<[string], SettlementEntry>(`SELECT * FROM setl_entry WHERE setl_id = ?`).get(setlId);
  }

  entryCreatedBy(msgid: string): SettlementEntry | undefined {
    return this.ledger.stmt<[string], SettlementEntry>(`SELECT * FROM setl_entry WHERE msgid = ?`).get(msgid);
  }

  setEntryState(setlId: string, state: SettlementEntry['state']): void {
    this.ledger.stmt(`UPDATE setl_entry SET state = ? WHERE setl_id = ?`).run(state, setlId);
  }

  /** Active forward settlements of a visit. */
  activeSettlements(mdtrtId: string): SettlementEntry[] {
    return this.ledger
      .stmt<[string], SettlementEntry>(
        `SELECT * FROM setl_entry WHERE mdtrt_id = ? AND refd_setl_flag = '0' AND state = 'active' ORDER BY rowid`,
      )
      .all(mdtrtId);
  }

  entriesOfVisit(mdtrtId: string): SettlementEntry[] {
    return this.ledger.stmt<[string], SettlementEntry>(`SELECT * FROM setl_entry WHERE mdtrt_id = ? ORDER BY rowid`).all(mdtrtId);
  }

  /** Sums over every entry (twins included, so cancelled ones net out) matching the filter. */
  consumed(filter: { psn_no: string; insutype: string; clr_type: '11' | '21'; policy_year?: string; mdtrt_id?: string }): EntryAmounts {
    const conditions = ['psn_no = @psn_no', 'insutype = @insutype', 'clr_type = @clr_type'];
    if (filter.policy_year !== undefined) conditions.push('policy_year = @policy_year');
    if (filter.mdtrt_id !== undefined) conditions.push('mdtrt_id = @mdtrt_id');
    const sums = ENTRY_AMOUNTS.map((key) => `COALESCE(SUM(${key}), 0) AS ${key}`).join(', ');
    return this.ledger
      .stmt<[typeof filter], EntryAmounts>(`SELECT ${sums} FROM setl_entry WHERE ${conditions.join(' AND ')}`)
      .get(filter) as EntryAmounts;
  }

  /** What the person's account has paid in total (twins included). */
  accountSpent(psnNo: string): number {
    const row = this.ledger
      .stmt<[string], { spent: number }>(`SELECT COALESCE(SUM(acct_pay), 0) AS spent FROM setl_entry WHERE psn_no = ?`)
      .get(psnNo);
    return row?.spent ?? 0;
  }

  /** The entries a reconciliation covers. */
  entriesForPeriod(filter: PeriodFilter): SettlementEntry[] {
    const { where, params } = periodWhere(filter);
    return this.ledger
      .stmt<[Record<string, string>], SettlementEntry>(`SELECT * FROM setl_entry WHERE ${where} ORDER BY rowid`)
      .all(params);
  }

  /** Their totals, summed by SQLite: 3201 is asked every day over every settlement of the period. */
  totalsForPeriod(filter: PeriodFilter): { count: number; medfee: number; fund: number; acct: number } {
    const { where, params } = periodWhere(filter);
    const row = this.ledger
      .stmt<[Record<string, string>], { count: number; medfee: number; fund: number; acct: number }>(
        `SELECT COALESCE(SUM(setl_cnt), 0) AS count, COALESCE(SUM(medfee_sumamt), 0) AS medfee, COALESCE(SUM(fund_pay_sumamt), 0) AS fund,
           COALESCE(SUM(acct_pay), 0) AS acct FROM setl_entry WHERE ${where}`,
      )
      .get(params);
    return row ?? { count: 0, medfee: 0, fund: 0, acct: 0 };
  }

  // ---- reversals ----------------------------------------------------------------------------------------

  reversalOf(omsgid: string): { omsgid: string; oinfno: string; psn_no: string; msgid: string } | undefined {
    return this.ledger
      .stmt<[string], { omsgid: string; oinfno: string; psn_no: string; msgid: string }>(`SELECT * FROM reversal WHERE omsgid = ?`)
      .get(omsgid);
  }

  recordReversal(row: { omsgid: string; oinfno: string; psn_no: string; msgid: string; reversed_at: string }): void {
    this.ledger.stmt(`INSERT INTO reversal VALUES (@omsgid, @oinfno, @psn_no, @msgid, @reversed_at)`).run(row);
  }
}
