/**
 * The centre's books, read-only and as plain data: what a test reconciles the station against, straight from the
 * centre's own ledger (never from what the station says it did).
 *   visits        every registration (2201 / 2401): open until cancelled (2202, or 2601 of its 2201)
 *   fee batches   the fee lines of a visit grouped by chrg_bchno: live while any line of it is active
 *   settlements   every forward settlement (2207 / 2304): settled, cancelled (2208 / 2305) or reversed (2601)
 *   reversals     every 2601 the centre carried out, naming the message it undid
 */
import type { Ledger } from './ledger';

export interface CentreVisit {
  mdtrt_id: string;
  kind: 'outpatient' | 'inpatient';
  psn_no: string;
  insutype: string;
  insuplc_admdvs: string;
  /** The institution's visit number: for an outpatient visit, HIS's order number. */
  ipt_otp_no: string;
  state: 'open' | 'discharged' | 'cancelled';
}

export interface CentreFeeBatch {
  mdtrt_id: string;
  chrg_bchno: string;
  lines: number;
  /** Sum of det_item_fee_sumamt of its active lines, fen. */
  amount_fen: number;
  state: 'live' | 'cancelled';
}

export interface CentreSettlement {
  setl_id: string;
  mdtrt_id: string;
  psn_no: string;
  insutype: string;
  clr_optins: string;
  setl_day: string;
  /** The message that made it (2207 / 2304). */
  msgid: string;
  medfee_sumamt: number;
  fund_pay_sumamt: number;
  acct_pay: number;
  psn_cash_pay: number;
  state: 'settled' | 'cancelled' | 'reversed';
}

export interface CentreReversal {
  omsgid: string;
  oinfno: string;
  psn_no: string;
  msgid: string;
}

export interface CentreBooks {
  visits: CentreVisit[];
  feeBatches: CentreFeeBatch[];
  settlements: CentreSettlement[];
  reversals: CentreReversal[];
}

const VISIT_STATE: Record<string, CentreVisit['state']> = {
  registered: 'open',
  admitted: 'open',
  discharged: 'discharged',
  cancelled: 'cancelled',
};

export function centreBooks(ledger: Ledger): CentreBooks {
  return ledger.atomically(() => {
    const visits = ledger
      .stmt<[], Omit<CentreVisit, 'state'> & { state: string }>(
        `SELECT mdtrt_id, kind, psn_no, insutype, insuplc_admdvs, ipt_otp_no, state FROM visit ORDER BY rowid`,
      )
      .all()
      .map((v) => ({ ...v, state: VISIT_STATE[v.state] ?? 'open' }));
    const feeBatches = ledger
      .stmt<[], { mdtrt_id: string; chrg_bchno: string; lines: number; amount_fen: number; active: number }>(
        `SELECT mdtrt_id, chrg_bchno, count(*) AS lines,
                COALESCE(SUM(CASE WHEN state = 'active' THEN det_item_fee_sumamt END), 0) AS amount_fen,
                SUM(state = 'active') AS active
         FROM fee_line GROUP BY mdtrt_id, chrg_bchno ORDER BY min(id)`,
      )
      .all()
      .map(({ active, ...b }): CentreFeeBatch => ({ ...b, state: active > 0 ? 'live' : 'cancelled' }));
    const settlements = ledger
      .stmt<[], Omit<CentreSettlement, 'state'> & { entry_state: string; reversed: number }>(
        `SELECT e.setl_id, e.mdtrt_id, e.psn_no, e.insutype, e.clr_optins, e.setl_day, e.msgid, e.medfee_sumamt, e.fund_pay_sumamt,
                e.acct_pay, e.psn_cash_pay, e.state AS entry_state, EXISTS (SELECT 1 FROM reversal r WHERE r.omsgid = e.msgid) AS reversed
         FROM setl_entry e WHERE e.refd_setl_flag = '0' ORDER BY e.rowid`,
      )
      .all()
      .map(({ entry_state, reversed, ...s }): CentreSettlement => ({
        ...s,
        state: entry_state === 'active' ? 'settled' : reversed ? 'reversed' : 'cancelled',
      }));
    const reversals = ledger.stmt<[], CentreReversal>(`SELECT omsgid, oinfno, psn_no, msgid FROM reversal ORDER BY rowid`).all();
    return { visits, feeBatches, settlements, reversals };
  });
}
