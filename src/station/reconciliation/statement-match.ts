/**
 * DQ-07: the payment platform's statement of a day matched with the ledger's payment and refund events, trade by
 * trade (商户订单号), net of the day's refunds and reversals on each side — so a refund today of yesterday's payment
 * matches the statement's refund row, and a reversed payment nets to zero on both sides. Split by way (the window's
 * QR, pay.qr, or the patient's payment code) and purpose: the cash part of an insured order (the order has a
 * settlement among the day's events) or self-pay.
 */
import type { Statement } from '../../insurance/pay-channel';
import type {
  StatementDifferenceKind,
  StatementDifferenceView,
  StatementMatchView,
  StatementPartView,
  TradePurpose,
  TradeWay,
} from '../../shared/reconciliation';
import type { LedgerEvent } from '../hospital-ledger';

type Wallet = 'wechat' | 'alipay';

interface Side {
  wallet: Wallet;
  way: TradeWay;
  netFen: number;
}

interface LedgerSide extends Side {
  purpose: TradePurpose;
  stationId: string;
  orderId: string;
}

const SUGGESTIONS: Record<StatementDifferenceKind, string> = {
  'statement-only': '平台已收款、院内账本无：按商户订单号查该笔是否为长款（患者已付、收费未完成），补记或原路退款',
  'ledger-only': '院内账本有、平台对账单无：向平台查询该订单（orderquery）；确未到账的，查是否跨日或撤销未记',
  differ: '双方金额不一致：按平台交易号逐笔核对退款与撤销记录',
};

const PAY_KINDS = new Set(['payment', 'payment-reversed', 'refund-payment']);

export function matchStatement(events: readonly LedgerEvent[], statement: Statement): Omit<StatementMatchView, 'error'> {
  const insuredOrders = new Set(events.filter((e) => e.kind === 'settlement').map((e) => e.orderId));
  const ledger = new Map<string, LedgerSide>();
  for (const e of events) {
    if (!PAY_KINDS.has(e.kind) || (e.channel !== 'wechat' && e.channel !== 'alipay') || !e.ids.outTradeNo) continue;
    const side = ledger.get(e.ids.outTradeNo) ?? {
      wallet: e.channel,
      way: 'code',
      purpose: insuredOrders.has(e.orderId) ? 'insured-cash' : 'self-pay',
      stationId: e.stationId,
      orderId: e.orderId,
      netFen: 0,
    };
    if (e.movement === 'pay.qr') side.way = 'qr';
    // payment-reversed carries no amount: money that came back the same day.
    side.netFen += e.kind === 'payment-reversed' ? 0 : (e.amounts.cash ?? 0);
    ledger.set(e.ids.outTradeNo, side);
  }
  const platform = new Map<string, Side>();
  for (const r of statement.rows) {
    const side = platform.get(r.outTradeNo) ?? { wallet: r.wallet, way: r.tradeType, netFen: 0 };
    side.netFen += r.kind === 'payment' ? r.totalFee : -r.refundFee;
    platform.set(r.outTradeNo, side);
  }

  const parts = new Map<string, StatementPartView>();
  const differences: StatementDifferenceView[] = [];
  for (const trade of new Set([...platform.keys(), ...ledger.keys()])) {
    const p = platform.get(trade);
    const l = ledger.get(trade);
    const wallet = (p ?? l)!.wallet;
    const way = p?.way ?? l!.way;
    const purpose = l?.purpose ?? 'unknown';
    const key = `${wallet}|${way}|${purpose}`;
    const part = parts.get(key) ?? { wallet, way, purpose, trades: 0, statementNetFen: 0, ledgerNetFen: 0 };
    part.trades += 1;
    part.statementNetFen += p?.netFen ?? 0;
    part.ledgerNetFen += l?.netFen ?? 0;
    parts.set(key, part);
    const kind = differenceKind(p?.netFen ?? null, l?.netFen ?? null);
    if (!kind) continue;
    differences.push({
      kind,
      wallet,
      outTradeNo: trade,
      way,
      purpose,
      statementNetFen: p ? p.netFen : null,
      ledgerNetFen: l ? l.netFen : null,
      stationId: l?.stationId ?? null,
      orderId: l?.orderId ?? null,
      suggestion: SUGGESTIONS[kind],
    });
  }
  return {
    balanced: differences.length === 0,
    parts: [...parts.values()].sort((a, b) => `${a.wallet}${a.way}${a.purpose}`.localeCompare(`${b.wallet}${b.way}${b.purpose}`)),
    differences,
  };
}

/** A trade only one side has, or whose nets differ; a trade paid and given back the same day nets to zero. */
function differenceKind(statementNet: number | null, ledgerNet: number | null): StatementDifferenceKind | null {
  if ((statementNet ?? 0) === (ledgerNet ?? 0)) return null;
  if (ledgerNet === null) return 'statement-only';
  if (statementNet === null) return 'ledger-only';
  return 'differ';
}
