/** The phones' settlements and refund applications in the station's SQLite (migration 030). */
import type { Db } from '../station/store';
import type { z } from 'zod';
import type { SecurityChecks, SettlementView, SETTLEMENT_STATES } from './schemas';

export type SettlementState = (typeof SETTLEMENT_STATES)[number];
export type RefundState = 'applied' | 'refunded' | 'refused' | 'unknown';

export interface SettlementRow {
  id: string;
  app_id: string;
  stay_id: string;
  ipt_no: string;
  pay_order_id: string | null;
  state: SettlementState;
  medfee_fen: number;
  fund_fen: number;
  acct_fen: number;
  cash_fen: number;
  checks_json: string;
  detail: string | null;
  created_at: number;
  updated_at: number;
}

interface RefundRow {
  id: string;
  settlement_id: string;
  reason: string;
  state: RefundState;
  detail: string | null;
}

export class SettlementsRepo {
  constructor(private readonly db: Db) {}

  /** false when the stay already has a live settlement (two phones at once: the unique index decides). */
  insert(s: {
    id: string;
    appId: string;
    stayId: string;
    iptNo: string;
    shares: { medfeeFen: number; fundFen: number; acctFen: number; cashFen: number };
    checks: z.output<typeof SecurityChecks>;
    at: number;
  }): boolean {
    const r = this.db
      .prepare(
        `INSERT OR IGNORE INTO service_settlements (id, app_id, stay_id, ipt_no, state, medfee_fen, fund_fen, acct_fen, cash_fen, checks_json, created_at, updated_at)
         VALUES (?, ?, ?, ?, 'preparing', ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        s.id,
        s.appId,
        s.stayId,
        s.iptNo,
        s.shares.medfeeFen,
        s.shares.fundFen,
        s.shares.acctFen,
        s.shares.cashFen,
        JSON.stringify(s.checks),
        s.at,
        s.at,
      );
    return r.changes === 1;
  }

  get(id: string): SettlementRow | undefined {
    return this.db.prepare<[string], SettlementRow>('SELECT * FROM service_settlements WHERE id = ?').get(id);
  }

  /** The stay's settlement that is paid or on its way (at most one: a unique index). */
  liveOf(stayId: string): SettlementRow | undefined {
    return this.db
      .prepare<[string], SettlementRow>(
        `SELECT * FROM service_settlements WHERE stay_id = ? AND state IN ('preparing', 'paying', 'paid', 'unknown', 'refunding')`,
      )
      .get(stayId);
  }

  /** Settlements a stopped service left preparing: pay() is only called once a settlement is paying. */
  preparing(): SettlementRow[] {
    return this.db.prepare<[], SettlementRow>(`SELECT * FROM service_settlements WHERE state = 'preparing'`).all();
  }

  update(id: string, change: { state: SettlementState; payOrderId?: string | null; detail?: string | null }, at: number): void {
    this.db
      .prepare(
        `UPDATE service_settlements SET state = ?, pay_order_id = COALESCE(?, pay_order_id), detail = ?, updated_at = ? WHERE id = ?`,
      )
      .run(change.state, change.payOrderId ?? null, change.detail ?? null, at, id);
  }

  insertRefund(r: { id: string; settlementId: string; reason: string; at: number }): void {
    this.db
      .prepare(
        `INSERT INTO service_refund_applications (id, settlement_id, reason, state, created_at, updated_at) VALUES (?, ?, ?, 'applied', ?, ?)`,
      )
      .run(r.id, r.settlementId, r.reason, r.at, r.at);
  }

  updateRefund(id: string, state: RefundState, detail: string | null, at: number): void {
    this.db.prepare('UPDATE service_refund_applications SET state = ?, detail = ?, updated_at = ? WHERE id = ?').run(state, detail, at, id);
  }

  refundsOf(settlementId: string): RefundRow[] {
    return this.db
      .prepare<[string], RefundRow>('SELECT * FROM service_refund_applications WHERE settlement_id = ? ORDER BY created_at, id')
      .all(settlementId);
  }

  view(row: SettlementRow): z.output<typeof SettlementView> {
    return {
      settlementId: row.id,
      iptNo: row.ipt_no,
      state: row.state,
      medfeeFen: row.medfee_fen,
      fundFen: row.fund_fen,
      acctFen: row.acct_fen,
      cashFen: row.cash_fen,
      payOrderId: row.pay_order_id,
      detail: row.detail,
      createdAt: new Date(row.created_at).toISOString(),
      updatedAt: new Date(row.updated_at).toISOString(),
      refunds: this.refundsOf(row.id).map((r) => ({ applicationId: r.id, state: r.state, reason: r.reason, detail: r.detail })),
    };
  }
}
