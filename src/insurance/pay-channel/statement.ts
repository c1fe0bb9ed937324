/**
 * Reads the daily statement: CSV with a header, one row per money event, then a summary line. Amounts are
 * yuan there (as on the vendors' bills) and become fen through the exact conversion; the rows must add up to
 * the summary, or the statement is not trusted.
 */
import { fen, yuanToFen, type Fen } from '../../shared/money';
import { displayBeijingToIso } from './time';
import type { Statement, StatementRow } from './types';

const HEADER = '交易时间,支付渠道,商户号,商户订单号,平台交易号,交易类型,交易状态,订单金额,商户退款单号,平台退款单号,退款金额,商品名称';
const SUMMARY = '总交易单数,应结订单总金额,退款总金额,净收款金额';
const KINDS = { SUCCESS: 'payment', REFUND: 'refund', REVOKED: 'reversal' } as const;

export function parseStatement(day: string, csv: string): { ok: true; statement: Statement } | { ok: false; detail: string } {
  const lines = csv.split('\n').filter((line) => line !== '');
  if (lines[0] !== HEADER) return { ok: false, detail: 'unexpected statement header' };
  const summaryAt = lines.indexOf(SUMMARY);
  if (summaryAt < 0 || summaryAt !== lines.length - 2) return { ok: false, detail: 'statement summary missing' };
  try {
    const rows = lines.slice(1, summaryAt).map((line, i) => parseRow(splitCsv(line), i + 2));
    const [count, paid, refunded, net] = splitCsv(lines[summaryAt + 1]!);
    const paymentsFen = sum(rows.filter((r) => r.kind === 'payment').map((r) => r.totalFee));
    const refundsFen = sum(rows.filter((r) => r.kind !== 'payment').map((r) => r.refundFee));
    if (Number(count) !== rows.length || yuanToFen(paid ?? '') !== paymentsFen || yuanToFen(refunded ?? '') !== refundsFen) {
      return { ok: false, detail: 'statement rows do not add up to its summary' };
    }
    if (yuanToFen(net ?? '') !== paymentsFen - refundsFen) return { ok: false, detail: 'statement net is not payments − refunds' };
    return { ok: true, statement: { day, rows, paymentsFen, refundsFen, netFen: fen(paymentsFen - refundsFen) } };
  } catch (error) {
    return { ok: false, detail: error instanceof Error ? error.message : String(error) };
  }
}

function parseRow(cells: string[], lineNo: number): StatementRow {
  if (cells.length !== 12) throw new Error(`statement line ${lineNo}: ${cells.length} fields`);
  const [time, channel, , outTradeNo, transactionId, tradeType, kind, total, outRefundNo, refundId, refund, subject] = cells as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const at = displayBeijingToIso(time);
  if (!at) throw new Error(`statement line ${lineNo}: bad time`);
  if (channel !== 'WECHAT' && channel !== 'ALIPAY') throw new Error(`statement line ${lineNo}: unknown channel ${channel}`);
  if (tradeType !== 'NATIVE' && tradeType !== 'MICROPAY') throw new Error(`statement line ${lineNo}: unknown trade type`);
  if (!(kind in KINDS)) throw new Error(`statement line ${lineNo}: unknown state ${kind}`);
  return {
    at,
    wallet: channel === 'WECHAT' ? 'wechat' : 'alipay',
    outTradeNo,
    transactionId,
    tradeType: tradeType === 'NATIVE' ? 'qr' : 'code',
    kind: KINDS[kind as keyof typeof KINDS],
    totalFee: yuanToFen(total),
    outRefundNo,
    refundId,
    refundFee: yuanToFen(refund),
    subject,
  };
}

/** RFC 4180 fields of one line (quoted fields may hold commas and doubled quotes). */
function splitCsv(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else cell += ch;
  }
  cells.push(cell);
  return cells;
}

function sum(values: Fen[]): Fen {
  return fen(values.reduce((total, v) => total + v, 0));
}
