/**
 * Reconciliation at the centre: 3201 compares an institution's totals with its own for a period, insurance type,
 * clearing type and clearing institution; 3202 compares settlement by settlement against the detail file the
 * institution uploaded (9101) and answers with a result file (9102).
 *
 * Refunds: with refd_setl_flag 1 (or absent) every entry counts — a settlement +1 and its amounts, a cancel or
 * reversal twin -1 and its (negative) amounts, the reversal of a cancel +1 again — so a cancelled settlement nets
 * to zero. With 0 only forward settlements count.
 */
import { z } from 'zod';
import { formatAmount, parseAmount } from '../money';
import type { PeriodFilter, SettlementEntry } from '../records';
import { unzipFiles, zipFiles } from '../zip';
import { amount, code, date, fail, ok, optional, parse, type CentreRequest, type Handler } from './common';
import { NO_SUCH_FILE, readableFile, storeFile } from './files';

const Period = {
  setl_optins: code,
  stmt_begndate: date,
  stmt_enddate: date,
  clr_type: z.enum(['11', '21', '41', '99']),
  refd_setl_flag: optional,
};

type PeriodInput = { setl_optins: string; stmt_begndate: string; stmt_enddate: string; clr_type: string; refd_setl_flag: string };

function period(req: CentreRequest, p: PeriodInput, insutype?: string): PeriodFilter {
  return {
    fixmedins_code: req.fixmedinsCode,
    clr_type: p.clr_type,
    clr_optins: p.setl_optins,
    from: p.stmt_begndate,
    to: p.stmt_enddate,
    ...(insutype === undefined ? {} : { insutype }),
    forwardOnly: p.refd_setl_flag === '0',
  };
}

const Totals = z.object({
  data: z.object({
    ...Period,
    insutype: code,
    medfee_sumamt: amount,
    fund_pay_sumamt: amount,
    acct_pay: amount,
    fixmedins_setl_cnt: z.union([
      z.number().int(),
      z
        .string()
        .regex(/^-?\d+$/)
        .transform(Number),
    ]),
  }),
});

const reconcileTotals: Handler = (req, state) => {
  const parsed = parse(Totals, req.input);
  if (!parsed.ok) return parsed.answer;
  const { data } = parsed.data;
  if (data.stmt_enddate < data.stmt_begndate) return fail('对账结束日期早于开始日期');
  const centre = state.records.totalsForPeriod(period(req, data, data.insutype));
  const balanced =
    centre.count === data.fixmedins_setl_cnt &&
    centre.medfee === data.medfee_sumamt &&
    centre.fund === data.fund_pay_sumamt &&
    centre.acct === data.acct_pay;
  return ok({
    stmtinfo: {
      setl_optins: data.setl_optins,
      stmt_rslt: balanced ? '0' : '1',
      stmt_rslt_dscr: balanced
        ? '对账平衡'
        : `对账不平：中心结算笔数${centre.count}，医疗费总额${formatAmount(centre.medfee)}，基金支付${formatAmount(centre.fund)}，个人账户支付${formatAmount(centre.acct)}`,
    },
  });
};

const Details = z.object({
  data: z.object({
    ...Period,
    file_qury_no: code,
    medfee_sumamt: amount,
    fund_pay_sumamt: amount,
    cash_payamt: amount,
    fixmedins_setl_cnt: z.union([
      z.number().int(),
      z
        .string()
        .regex(/^-?\d+$/)
        .transform(Number),
    ]),
  }),
});

interface StationLine {
  setl_id: string;
  mdtrt_id: string;
  psn_no: string;
  medfee: number;
  fund: number;
  acct: number;
  refd: string;
}

/** The uploaded detail file: lines of setl_id, mdtrt_id, psn_no, medfee_sumamt, fund_pay_sumamt, acct_pay, refd_setl_flag. */
function readDetailFile(content: Buffer): StationLine[] | string {
  let files: { name: string; content: Buffer }[];
  try {
    files = unzipFiles(content);
  } catch (error) {
    return `对账明细文件不是有效的zip文件：${(error as Error).message}`;
  }
  const lines: StationLine[] = [];
  for (const file of files) {
    const rows = file.content.toString('utf8').split(/\r?\n/);
    for (const [i, row] of rows.entries()) {
      if (row.trim() === '') continue;
      const f = row.split('\t');
      const [medfee, fund, acct] = [parseAmount(f[3]), parseAmount(f[4]), parseAmount(f[5])];
      if (f.length < 7 || !f[0] || medfee === undefined || fund === undefined || acct === undefined || !['0', '1'].includes(f[6] ?? '')) {
        return `对账明细文件格式错误：${file.name}第${i + 1}行`;
      }
      lines.push({ setl_id: f[0], mdtrt_id: f[1] ?? '', psn_no: f[2] ?? '', medfee, fund, acct, refd: f[6] ?? '' });
    }
  }
  return lines;
}

/**
 * A detail line is found by its settlement and refund flag. The hospital names a cancel by the settlement it cancels
 * (a 6203 refund answers no cancel id of its own), so a cancel twin is found — and named in the result — by its
 * init_setl_id: the hospital's drill-down finds its entries under that id, never under the twin's own.
 */
const keyOf = (setlId: string, refd: string) => `${setlId}|${refd}`;
const namedSetlId = (e: SettlementEntry) => (e.refd_setl_flag === '1' && e.init_setl_id ? e.init_setl_id : e.setl_id);
const keyOfEntry = (e: SettlementEntry) => keyOf(namedSetlId(e), e.refd_setl_flag);

/** Result codes of the centre's answer file (this simulator's; the national codes are not public). */
export const DETAIL_RESULT = { agree: '0', differ: '1', centreOnly: '2', stationOnly: '3' } as const;

const reconcileDetails: Handler = (req, state) => {
  const parsed = parse(Details, req.input);
  if (!parsed.ok) return parsed.answer;
  const { data } = parsed.data;
  const file = readableFile(state, req, data.file_qury_no);
  if (!file || file.owner !== req.fixmedinsCode) return fail(NO_SUCH_FILE);
  const station = readDetailFile(file.content);
  if (typeof station === 'string') return fail(station);

  const centre = new Map(state.records.entriesForPeriod(period(req, data)).map((e) => [keyOfEntry(e), e]));
  const rows: string[][] = [];
  const na = 'null';
  for (const line of station) {
    // Its own refund flag first; else the other, so a flag that differs is named as such.
    const entry = centre.get(keyOf(line.setl_id, line.refd)) ?? centre.get(keyOf(line.setl_id, line.refd === '1' ? '0' : '1'));
    if (entry) centre.delete(keyOfEntry(entry));
    if (!entry) {
      rows.push([line.psn_no, line.mdtrt_id, line.setl_id, na, DETAIL_RESULT.stationOnly, line.refd, '中心无此结算记录', na, na, na]);
      continue;
    }
    const agree =
      entry.medfee_sumamt === line.medfee &&
      entry.fund_pay_sumamt === line.fund &&
      entry.acct_pay === line.acct &&
      entry.refd_setl_flag === line.refd;
    rows.push(resultRow(entry, agree ? DETAIL_RESULT.agree : DETAIL_RESULT.differ, agree ? '一致' : '金额或退费标志不一致'));
  }
  for (const entry of centre.values()) rows.push(resultRow(entry, DETAIL_RESULT.centreOnly, '医药机构无此结算记录'));

  const zip = zipFiles([{ name: 'result.txt', content: Buffer.from(rows.map((r) => r.join('\t')).join('\n'), 'utf8') }], req.now);
  return ok({ fileinfo: storeFile(state, req, req.fixmedinsCode, `${data.file_qury_no}_result.zip`, zip) });
};

/**
 * psn_no, mdtrt_id, setl_id, msgid, stmt_rslt, refd_setl_flag, memo, medfee_sumamt, fund_pay_sumamt, acct_pay; a
 * cancel's setl_id is the settlement it cancels (with refd_setl_flag 1), as the hospital named it.
 */
function resultRow(entry: SettlementEntry, result: string, memo: string): string[] {
  return [
    entry.psn_no,
    entry.mdtrt_id,
    namedSetlId(entry),
    entry.msgid,
    result,
    entry.refd_setl_flag,
    memo,
    formatAmount(entry.medfee_sumamt),
    formatAmount(entry.fund_pay_sumamt),
    formatAmount(entry.acct_pay),
  ];
}

export const RECONCILIATION_HANDLERS: Record<string, Handler> = { '3201': reconcileTotals, '3202': reconcileDetails };
