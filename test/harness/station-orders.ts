/**
 * The station's view of its orders as the book invariants (books.ts) take it, read from its own SQLite file:
 * what the chaos run and the integration tests compare with the simulators' books.
 */
import type Database from 'better-sqlite3';
import type { StationOrder } from './books';

export function stationOrders(db: Database.Database): StationOrder[] {
  const tradeNos = new Map<string, string[]>();
  for (const p of db.prepare('SELECT order_id AS orderId, out_trade_no AS no FROM payments ORDER BY rowid').all() as {
    orderId: string;
    no: string;
  }[])
    tradeNos.set(p.orderId, [...(tradeNos.get(p.orderId) ?? []), p.no]);
  const rows = db
    .prepare(
      `SELECT id, his_order_no AS orderNo, state, total_fen AS total, fund_fen AS fund, account_fen AS acct, cash_fen AS cash,
              settle_mode AS mode, reason_code AS reason, mdtrt_id AS mdtrtId, setl_id AS setlId FROM outpatient_orders ORDER BY rowid`,
    )
    .all() as {
    id: string;
    orderNo: string;
    state: string;
    total: number;
    fund: number | null;
    acct: number | null;
    cash: number | null;
    mode: 'insurance' | 'self-pay';
    reason: string | null;
    mdtrtId: string | null;
    setlId: string | null;
  }[];
  return rows.map((o) => ({
    orderNo: o.orderNo,
    state: o.state,
    mode: o.mode,
    split: o.cash === null ? null : { totalFen: o.total, fundFen: o.fund ?? 0, acctFen: o.acct ?? 0, cashFen: o.cash },
    mdtrtId: o.mdtrtId,
    setlId: o.setlId,
    outTradeNos: tradeNos.get(o.id) ?? [],
    waitingForPerson: o.state === 'insurance-settled' && (o.reason === 'his-refused' || o.reason === 'his-unconfirmed'),
  }));
}
