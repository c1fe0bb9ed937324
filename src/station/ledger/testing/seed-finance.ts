/**
 * What the outbox and the refunds leave behind for seeded orders (seed-orders.ts), written straight into the
 * database: each insured order's 2201 (and its 2207 once settled), the 2202 that undid a registration, and a
 * 退费 with its legs for every refunded order — a pure function of the order's number, like the orders.
 */
import type { FieldCipher } from '../../security';
import type { Db } from '../../store';
import { seedOrder, type SeedOrder } from './seed-orders';

export const REFUND_REASON = '患者要求退费';

/** Which intents the i-th order has, in time order (ms after its creation). */
export function seedMovements(o: SeedOrder, i: number): { kind: string; state: string; afterMs: number }[] {
  if (o.selfPayOnly) return [];
  if (o.state === 'open')
    return i % 20 === 8
      ? [
          { kind: 'nhsa.2201', state: 'succeeded', afterMs: 0 },
          { kind: 'nhsa.2202', state: 'succeeded', afterMs: 60_000 },
        ]
      : [];
  const settled = [
    { kind: 'nhsa.2201', state: 'succeeded', afterMs: 0 },
    { kind: 'nhsa.2207', state: 'succeeded', afterMs: 30_000 },
  ];
  return o.state === 'refunded' ? [...settled, { kind: 'nhsa.2202', state: 'succeeded', afterMs: 120_000 }] : settled;
}

export function seedFinance(db: Db, cipher: FieldCipher, opts: { count: number; start: Date; stepMs: number; persons: number }): void {
  const payload = cipher.sealJson({});
  const reason = cipher.seal(REFUND_REASON);
  db.transaction(() => {
    const intent = db.prepare(
      `INSERT INTO intents (id, kind, order_id, external_id, state, payload, result, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const refund = db.prepare(
      `INSERT INTO refunds (id, order_id, state, his_apply_id, his_confirm_id, fund_fen, acct_fen, cash_fen, operator_id, created_at, updated_at, finished_at)
       VALUES (?, ?, 'refunded', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const leg = db.prepare(
      `INSERT INTO refund_payments (out_refund_no, refund_id, out_trade_no, channel, amount_fen, state, updated_at) VALUES (?, ?, ?, ?, ?, 'refunded', ?)`,
    );
    const why = db.prepare(`UPDATE outpatient_orders SET reason_code = 'refund-requested', reason_text = ? WHERE id = ?`);
    const mdtrt = db.prepare(`UPDATE outpatient_orders SET mdtrt_id = ? WHERE id = ?`);
    for (let i = 0; i < opts.count; i++) {
      const o = seedOrder(i, opts.start, opts.stepMs, opts.persons);
      const at = (ms: number) => new Date(Date.parse(o.createdAt) + ms).toISOString();
      for (const m of seedMovements(o, i)) {
        const id = `${m.kind}-${o.id}`;
        const result = m.kind === 'nhsa.2201' ? cipher.sealJson({ mdtrt_id: `MD${o.id}` }) : null;
        intent.run(id, m.kind, o.id, `x-${id}`, m.state, payload, result, at(m.afterMs), at(m.afterMs + 1_000));
      }
      if (o.state === 'completed' && !o.selfPayOnly) mdtrt.run(`MD${o.id}`, o.id);
      if (o.state !== 'refunded') continue;
      refund.run(
        `r-${o.id}`,
        o.id,
        `ha-${o.id}`,
        `hc-${o.id}`,
        o.fundFen,
        o.accountFen,
        o.cashFen,
        o.operatorId,
        at(90_000),
        at(180_000),
        at(180_000),
      );
      if (o.channel) leg.run(`R${o.id}`, `r-${o.id}`, `T${o.id}`, o.channel, o.cashFen, at(180_000));
      why.run(reason, o.id);
    }
  })();
}
