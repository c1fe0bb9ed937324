/**
 * The mobile-payment centre's settlements in this centre's books. In real life the mobile-payment centre is part of
 * the NHSA platform: a bill paid by 6202 is the platform's settlement — counted by 3201 (clearing type, insurance
 * type, insured region) and listed by 3202 — and a 6203 refund cancels it with a negative twin, as 2208 does. The
 * mobile-payment simulator keeps its own ledger and books each paid order here through this seam (the two are
 * started together: the training rig, the test worlds).
 *
 * What this centre keeps of such a settlement: setl_id = the order (payOrdId, the number the hospital's events
 * carry), the order's own visit (mdtrt_id, opened here for it, numbered by the order so it never clashes with a
 * window's visit), the four shares. The per-fund columns (deductible, pool, civil servant, serious illness) stay 0:
 * the mobile-payment centre prices every bill as the person's first and keeps only the fund's total, so a phone's bill
 * moves none of the window's year-to-date figures (docs/nhsa-policy.md, Reconciliation).
 */
import { beijing } from './clock';
import { findByPsnNo } from './population';
import { ENTRY_AMOUNTS, type EntryAmounts, type SettlementEntry } from './records';
import { cancelSettlement } from './handlers/settlement';
import type { CentreState } from './handlers/common';

/** One paid mobile order, as the mobile-payment centre books it (amounts in fen). */
export interface MobileSettlement {
  /** The mobile order (payOrdId): the settlement's id. */
  setlId: string;
  mdtrtId: string;
  /** The hospital's institution code (the channel's orgCode). */
  fixmedinsCode: string;
  psnNo: string;
  insutype: string;
  /** The insured region (the clearing institution 3201 and 3202 ask by). */
  insuplcAdmdvs: string;
  /** 11 outpatient, 21 inpatient (a medType starting with 2). */
  clrType: '11' | '21';
  medType: string;
  /** The mobile order's number at the hospital (medOrgOrd): the visit's number. */
  medOrgOrd: string;
  /** The centre's transaction serial (hiDocSn): the message that made it. */
  hiDocSn: string;
  medfeeFen: number;
  fundFen: number;
  acctFen: number;
  cashFen: number;
}

/** What the mobile-payment centre calls; each is idempotent (a repeated pay or refund books nothing twice). */
export interface MobileSettlementBook {
  settled(s: MobileSettlement): void;
  refunded(setlId: string, appRefdSn: string): void;
}

export function mobileSettlementBook(state: CentreState, now: () => Date): MobileSettlementBook {
  const { records, ledger } = state;
  return {
    settled(s) {
      ledger.atomically(() => {
        if (records.entry(s.setlId)) return;
        const t = beijing(now());
        if (!records.visit(s.mdtrtId))
          records.insertVisit({
            mdtrt_id: s.mdtrtId,
            kind: s.clrType === '21' ? 'inpatient' : 'outpatient',
            fixmedins_code: s.fixmedinsCode,
            psn_no: s.psnNo,
            insutype: s.insutype,
            insuplc_admdvs: s.insuplcAdmdvs,
            med_type: s.medType,
            begntime: t.display,
            endtime: s.clrType === '21' ? t.display : '',
            ipt_otp_no: s.medOrgOrd,
            dept_name: '',
            dr_name: '',
            dise_codg: '',
            dise_name: '',
            main_cond_dscr: '',
            state: s.clrType === '21' ? 'discharged' : 'registered',
            opened_by_msgid: s.hiDocSn,
          });
        records.insertEntry(entryOf(s, t));
      });
    },
    refunded(setlId, appRefdSn) {
      ledger.atomically(() => {
        const entry = records.entry(setlId);
        const person = entry ? findByPsnNo(entry.psn_no) : undefined;
        if (!entry || entry.state !== 'active' || !person) return;
        const req = {
          infno: '6203',
          msgid: appRefdSn,
          fixmedinsCode: entry.fixmedins_code,
          opter: '',
          signNo: '',
          insuplcAdmdvs: entry.clr_optins,
          now: now(),
          input: {},
        };
        cancelSettlement(state, req, entry, person);
      });
    },
  };
}

function entryOf(s: MobileSettlement, t: ReturnType<typeof beijing>): SettlementEntry {
  const zero = Object.fromEntries(ENTRY_AMOUNTS.map((key) => [key, 0])) as EntryAmounts;
  return {
    ...zero,
    medfee_sumamt: s.medfeeFen,
    fund_pay_sumamt: s.fundFen,
    acct_pay: s.acctFen,
    psn_cash_pay: s.cashFen,
    psn_part_amt: s.acctFen + s.cashFen,
    setl_id: s.setlId,
    init_setl_id: null,
    refd_setl_flag: '0',
    setl_cnt: 1,
    state: 'active',
    fixmedins_code: s.fixmedinsCode,
    mdtrt_id: s.mdtrtId,
    psn_no: s.psnNo,
    insutype: s.insutype,
    clr_type: s.clrType,
    clr_optins: s.insuplcAdmdvs,
    med_type: s.medType,
    mdtrt_cert_type: '01',
    mid_setl_flag: '0',
    setl_time: t.display,
    setl_day: t.display.slice(0, 10),
    policy_year: t.day.slice(0, 4),
    msgid: s.hiDocSn,
    balc: 0,
    setldetail: '[]',
    line_ids: '[]',
  };
}
