/**
 * The station's view of its orders as the book invariants (books.ts) take it, read from its own SQLite file:
 * what the chaos run and the integration tests compare with the simulators' books.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { keptFen, type PosLedgerEntry } from '../../src/simulators/devices/pos-terminal-emulator';
import { checkBooks, type Books, type StationOrder, type Violation } from './books';

export function stationOrders(db: Database.Database): StationOrder[] {
  const tradeNos = new Map<string, string[]>();
  for (const p of db.prepare('SELECT order_id AS orderId, out_trade_no AS no FROM payments ORDER BY rowid').all() as {
    orderId: string;
    no: string;
  }[])
    tradeNos.set(p.orderId, [...(tradeNos.get(p.orderId) ?? []), p.no]);
  // The drawer per order: cash taken at the window less cash paid back by a refund.
  const drawer = new Map<string, number>();
  for (const d of db
    .prepare(
      `SELECT order_id AS orderId, amount_fen AS amount FROM payments WHERE mode = 'cash' AND state = 'paid'
       UNION ALL
       SELECT r.order_id, -rp.amount_fen FROM refund_payments rp JOIN refunds r ON r.id = rp.refund_id
       WHERE rp.channel = 'cash' AND rp.state = 'refunded'`,
    )
    .all() as { orderId: string; amount: number }[])
    drawer.set(d.orderId, (drawer.get(d.orderId) ?? 0) + d.amount);
  // The card per order: charged at the terminal less given back (a refund of a card payment, by 退货 or 撤销).
  const card = new Map<string, number>();
  for (const d of db
    .prepare(
      `SELECT order_id AS orderId, amount_fen AS amount FROM payments WHERE mode = 'card' AND state = 'paid'
       UNION ALL
       SELECT r.order_id, -rp.amount_fen FROM refund_payments rp JOIN refunds r ON r.id = rp.refund_id
       WHERE rp.channel = 'card' AND rp.state = 'refunded'`,
    )
    .all() as { orderId: string; amount: number }[])
    card.set(d.orderId, (card.get(d.orderId) ?? 0) + d.amount);
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
    ...(drawer.has(o.id) ? { drawerFen: drawer.get(o.id)! } : {}),
    ...(card.has(o.id) ? { cardFen: card.get(o.id)! } : {}),
  }));
}

/** The simulators a training station talks to, each with its read-only books. */
interface Rig {
  pos?: { ledger: Map<string, PosLedgerEntry> } | null;
  centre: { control: { books(): Books['centre'] } };
  his: { control: { books(): Books['his'] } };
  payChannel: { control: { books(): Books['pay'] } };
}

/** Every book on its own (the centre's, HIS's, the platform's) against the station's orders in `dataDir`: what disagrees. */
export function bookViolations(dataDir: string, rig: Rig): Violation[] {
  const db = new Database(path.join(dataDir, 'station.db'), { readonly: true });
  try {
    return checkBooks(stationOrders(db), {
      centre: rig.centre.control.books(),
      his: rig.his.control.books(),
      pay: rig.payChannel.control.books(),
      ...(rig.pos
        ? {
            terminal: [...rig.pos.ledger.entries()].filter(([, e]) => e.kind === 'sale').map(([ref, e]) => ({ ref, keptFen: keptFen(e) })),
          }
        : {}),
    });
  } finally {
    db.close();
  }
}
