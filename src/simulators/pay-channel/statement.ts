/**
 * The daily statement (对账单) and the ledger totals it must agree with. One row per money event of the
 * Beijing day: a payment (SUCCESS), a refund that reached the patient (REFUND), a paid order reversed
 * (REVOKED). Amounts in yuan as the vendors' bills print them; a summary line closes the file.
 */
import { beijing } from '../nhsa/clock';
import type { Channel, PayLedger } from './ledger';

export const STATEMENT_HEADER =
  '交易时间,支付渠道,商户号,商户订单号,平台交易号,交易类型,交易状态,订单金额,商户退款单号,平台退款单号,退款金额,商品名称';
export const SUMMARY_HEADER = '总交易单数,应结订单总金额,退款总金额,净收款金额';

export interface StatementEvent {
  at: number;
  channel: Channel;
  mchId: string;
  outTradeNo: string;
  transactionId: string;
  tradeType: string;
  kind: 'SUCCESS' | 'REFUND' | 'REVOKED';
  totalFee: number;
  outRefundNo: string;
  refundId: string;
  refundFee: number;
  body: string;
}

export interface LedgerTotals {
  payments: number;
  paidFen: number;
  refundedFen: number;
  netFen: number;
}

/** Every money event of `day` (yyyyMMdd, Beijing), oldest first. */
export function moneyEvents(ledger: PayLedger, day: string, channel: Channel | 'ALL' = 'ALL'): StatementEvent[] {
  const events: StatementEvent[] = [];
  const onDay = (at: number | null) => at !== null && beijing(new Date(at)).day === day;
  const trades = ledger.trades().filter((t) => t.channel !== null && (channel === 'ALL' || t.channel === channel));
  const byNo = new Map(trades.map((t) => [t.out_trade_no, t]));
  for (const t of trades) {
    const base = {
      channel: t.channel!,
      mchId: t.mch_id,
      outTradeNo: t.out_trade_no,
      transactionId: t.transaction_id ?? '',
      tradeType: t.trade_type,
      totalFee: t.total_fee,
      body: t.body,
    };
    if (t.paid_at !== null && onDay(t.paid_at)) {
      events.push({ ...base, at: t.paid_at, kind: 'SUCCESS', outRefundNo: '', refundId: '', refundFee: 0 });
    }
    if (t.state === 'REVOKED' && t.reverse_action === 'REFUND' && onDay(t.ended_at)) {
      events.push({ ...base, at: t.ended_at!, kind: 'REVOKED', outRefundNo: '', refundId: '', refundFee: t.total_fee });
    }
  }
  for (const r of ledger.refunds()) {
    const t = byNo.get(r.out_trade_no);
    if (!t || r.state !== 'SUCCESS' || !onDay(r.succeeded_at)) continue;
    events.push({
      at: r.succeeded_at!,
      channel: t.channel!,
      mchId: t.mch_id,
      outTradeNo: t.out_trade_no,
      transactionId: t.transaction_id ?? '',
      tradeType: t.trade_type,
      kind: 'REFUND',
      totalFee: t.total_fee,
      outRefundNo: r.out_refund_no,
      refundId: r.refund_id,
      refundFee: r.refund_fee,
      body: t.body,
    });
  }
  return events.sort((a, b) => a.at - b.at || a.outTradeNo.localeCompare(b.outTradeNo));
}

export function totalsOf(events: StatementEvent[]): LedgerTotals {
  const paidFen = events.filter((e) => e.kind === 'SUCCESS').reduce((sum, e) => sum + e.totalFee, 0);
  const refundedFen = events.filter((e) => e.kind !== 'SUCCESS').reduce((sum, e) => sum + e.refundFee, 0);
  return { payments: events.filter((e) => e.kind === 'SUCCESS').length, paidFen, refundedFen, netFen: paidFen - refundedFen };
}

export function statementCsv(events: StatementEvent[]): string {
  const yuan = (fen: number) => `${Math.trunc(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
  // Subjects are free text: commas and quotes are escaped the CSV way.
  const cell = (text: string) => (/[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);
  const lines = [STATEMENT_HEADER];
  for (const e of events) {
    lines.push(
      [
        beijing(new Date(e.at)).display,
        e.channel,
        e.mchId,
        e.outTradeNo,
        e.transactionId,
        e.tradeType,
        e.kind,
        yuan(e.totalFee),
        e.outRefundNo,
        e.refundId,
        yuan(e.refundFee),
        cell(e.body),
      ].join(','),
    );
  }
  const totals = totalsOf(events);
  lines.push(SUMMARY_HEADER, [events.length, yuan(totals.paidFen), yuan(totals.refundedFen), yuan(totals.netFen)].join(','));
  return `${lines.join('\n')}\n`;
}
