/**
 * Monthly cross-region clearing (异地清分) at the treating region's centre, per institution across all its
 * stations:
 *   3260 serves the month's clearing detail — every cross-region settlement (clr_optins not this centre's
 *        region) still in force, in pages of 100 from `startrow`;
 *   3261 confirms it: `totalrow` and every row's amounts must match the centre's book, each row kept
 *        (cnfm_flag 1) or left out (0); one confirmation in force per institution and month;
 *   3262 rolls one back by the 3261's inf_refmsgid (`otransid`), or every one of the month with "0".
 * All three are accepted only in the window of the following month (policy `clearingWindow`, 5th–8th).
 */
import { z } from 'zod';
import { beijing } from '../clock';
import { DEFAULT_CLEARING_WINDOW } from '../policy';
import { findByPsnNo } from '../population';
import type { SettlementEntry } from '../records';
import { amount, code, fail, ok, parse, wireAmount, type CentreRequest, type CentreState, type Handler } from './common';

export const CLEARING_PAGE_ROWS = 100;

const Month = {
  trt_year: z.string().regex(/^\d{4}$/),
  trt_month: z.string().regex(/^(0[1-9]|1[0-2])$/),
};

/** yyyy-MM of the clearing month. */
function monthOf(data: { trt_year: string; trt_month: string }): string {
  return `${data.trt_year}-${data.trt_month}`;
}

/** Refused unless today (Beijing) is a window day of the month after `month`. */
function outsideWindow(req: CentreRequest, state: CentreState, month: string): string | undefined {
  const { firstDay, lastDay } = state.policy.clearingWindow ?? DEFAULT_CLEARING_WINDOW;
  const [y, m] = month.split('-').map(Number) as [number, number];
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  const today = beijing(req.now).display.slice(0, 10);
  const day = Number(today.slice(8, 10));
  if (today.slice(0, 7) === next && day >= firstDay && day <= lastDay) return undefined;
  return `${month}清分受理时间为${next}-${String(firstDay).padStart(2, '0')}至${next}-${String(lastDay).padStart(2, '0')}`;
}

/** The institution's cross-region settlements of the month still in force, in the order the centre took them. */
function book(req: CentreRequest, state: CentreState, month: string): SettlementEntry[] {
  return state.ledger
    .stmt<[string, string, string, string], SettlementEntry>(
      `SELECT * FROM setl_entry WHERE fixmedins_code = ? AND refd_setl_flag = '0' AND state = 'active' AND clr_optins <> ?
         AND setl_day >= ? AND setl_day <= ? ORDER BY rowid`,
    )
    .all(req.fixmedinsCode, state.region, `${month}-01`, `${month}-31`);
}

const Fetch = z.object({ data: z.object({ ...Month, startrow: z.coerce.number().int().min(1) }) });

const fetchDetail: Handler = (req, state) => {
  const parsed = parse(Fetch, req.input);
  if (!parsed.ok) return parsed.answer;
  const { data } = parsed.data;
  const month = monthOf(data);
  const closed = outsideWindow(req, state, month);
  if (closed) return fail(closed);
  const rows = book(req, state, month);
  const page = rows.slice(data.startrow - 1, data.startrow - 1 + CLEARING_PAGE_ROWS).map((e, i) => ({
    seqno: data.startrow + i,
    mdtrtarea: state.region,
    medins_no: e.fixmedins_code,
    certno: findByPsnNo(e.psn_no)?.idNo ?? '',
    mdtrt_id: e.mdtrt_id,
    mdtrt_setl_time: e.setl_time,
    setl_sn: e.setl_id,
    fulamt_advpay_flag: '0',
    medfee_sumamt: wireAmount(e.medfee_sumamt),
    optins_pay_sumamt: wireAmount(e.fund_pay_sumamt),
  }));
  return ok({ data: page });
};

const Confirm = z.object({
  data: z.object({ ...Month, totalrow: z.coerce.number().int().min(0) }),
  detail: z.array(
    z.object({
      certno: z.string(),
      mdtrt_id: code,
      mdtrt_setl_time: z.string(),
      setl_sn: code,
      medfee_sumamt: amount,
      optins_pay_sumamt: amount,
      cnfm_flag: z.enum(['0', '1']),
    }),
  ),
});

interface ActiveConfirmation {
  msgid: string;
}

function activeConfirmations(req: CentreRequest, state: CentreState, month: string): ActiveConfirmation[] {
  return state.ledger
    .stmt<[string, string], ActiveConfirmation>(
      `SELECT msgid FROM clearing_confirm WHERE fixmedins_code = ? AND trt_month = ? AND rolled_back_by IS NULL`,
    )
    .all(req.fixmedinsCode, month);
}

const confirm: Handler = (req, state) => {
  const parsed = parse(Confirm, req.input);
  if (!parsed.ok) return parsed.answer;
  const { data, detail } = parsed.data;
  const month = monthOf(data);
  const closed = outsideWindow(req, state, month);
  if (closed) return fail(closed);
  if (activeConfirmations(req, state, month).length > 0) return fail(`${month}清分结果已确认，如需重新确认请先回退`);
  const rows = new Map(book(req, state, month).map((e) => [e.setl_id, e]));
  if (data.totalrow !== rows.size || detail.length !== rows.size) {
    return fail(`清分明细总行数不符：中心${rows.size}行，上传totalrow ${data.totalrow}、明细${detail.length}行`);
  }
  let cnfmCnt = 0;
  let medfee = 0;
  let optins = 0;
  const seen = new Set<string>();
  for (const row of detail) {
    const entry = rows.get(row.setl_sn);
    if (!entry || seen.has(row.setl_sn) || entry.mdtrt_id !== row.mdtrt_id) return fail(`清分明细${row.setl_sn}不在本期清分数据中`);
    seen.add(row.setl_sn);
    if (entry.medfee_sumamt !== row.medfee_sumamt || entry.fund_pay_sumamt !== row.optins_pay_sumamt) {
      return fail(`清分明细${row.setl_sn}金额与中心不符`);
    }
    if (row.cnfm_flag === '1') {
      cnfmCnt += 1;
      medfee += entry.medfee_sumamt;
      optins += entry.fund_pay_sumamt;
    }
  }
  state.ledger
    .stmt(
      `INSERT INTO clearing_confirm (msgid, fixmedins_code, trt_month, totalrow, cnfm_cnt, medfee_sumamt, optins_pay_sumamt, confirmed_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(req.msgid, req.fixmedinsCode, month, rows.size, cnfmCnt, medfee, optins, beijing(req.now).display);
  return ok({
    data: {
      trt_year: data.trt_year,
      trt_month: data.trt_month,
      totalrow: rows.size,
      cnfm_cnt: cnfmCnt,
      medfee_sumamt: wireAmount(medfee),
      optins_pay_sumamt: wireAmount(optins),
    },
  });
};

const Rollback = z.object({ data: z.object({ ...Month, otransid: code }) });

const rollback: Handler = (req, state) => {
  const parsed = parse(Rollback, req.input);
  if (!parsed.ok) return parsed.answer;
  const { data } = parsed.data;
  const month = monthOf(data);
  const closed = outsideWindow(req, state, month);
  if (closed) return fail(closed);
  const active = activeConfirmations(req, state, month);
  let targets: string[];
  if (data.otransid === '0') {
    targets = active.map((a) => a.msgid);
  } else {
    // otransid is the 3261's inf_refmsgid, the centre's own id of that message.
    const message = state.ledger
      .stmt<[string, string], { msgid: string }>(
        `SELECT msgid FROM message WHERE inf_refmsgid = ? AND fixmedins_code = ? AND infno = '3261'`,
      )
      .get(data.otransid, req.fixmedinsCode);
    targets = active.filter((a) => a.msgid === message?.msgid).map((a) => a.msgid);
  }
  if (targets.length === 0) return fail(`${month}无可回退的清分确认`);
  const update = state.ledger.stmt(`UPDATE clearing_confirm SET rolled_back_by = ? WHERE msgid = ?`);
  for (const msgid of targets) update.run(req.msgid, msgid);
  return ok({ data: { trt_year: data.trt_year, trt_month: data.trt_month, rlbk_cnt: targets.length } });
};

export const CLEARING_HANDLERS: Record<string, Handler> = { '3260': fetchDetail, '3261': confirm, '3262': rollback };
