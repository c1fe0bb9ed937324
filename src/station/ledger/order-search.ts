/**
 * The admin's list of orders (HX-40/44) and an order's fee lines (HX-42), read from the station's own SQLite.
 * Every filter is a column the database holds in clear or a blind index: the patient is found by the persons'
 * keyed digest of the ID number, never by matching sealed text. Names, ID numbers, doctors and departments are
 * opened only for the rows returned, and masked unless the viewer's role may see them.
 */
import { maskName } from '../../devices/masking';
import { chargeLevelName } from '../../shared/charge-level';
import type { OrderLineView, OrderState, Role } from '../../shared/domain';
import {
  maySeePersonalData,
  type OrderFilter,
  type OrderListRow,
  type OrderPage,
  type OrderSort,
  type PayChannel,
} from '../../shared/ledger';
import { fen } from '../../shared/money';
import type { FieldCipher } from '../security';
import type { Db } from '../store';
import { maskCertNo } from '../workflows';
import { dayRangeUtc } from './local-days';

export interface Viewer {
  roles: readonly Role[];
}

interface ListRow {
  id: string;
  his_order_no: string;
  psn_no: string;
  operator_id: string;
  state: OrderState;
  total_fen: number;
  fund_fen: number | null;
  account_fen: number | null;
  cash_fen: number | null;
  settle_mode: 'insurance' | 'self-pay';
  care_sealed: string | null;
  doctor_name: string;
  dept_name: string;
  created_at: string;
  completed_at: string | null;
  person_sealed: string | null;
  channel: PayChannel | null;
}

/** Persons opened during one export, by psn_no (cleared past a bound, so memory stays flat). */
export type PersonCache = Map<string, { name: string; certNo: string }>;
const PERSON_CACHE_LIMIT = 20_000;

/** Where a keyset page resumes: after this row in the sort's order. */
export interface After {
  key: string | number;
  id: string;
}

const SORTS: Record<OrderSort, { column: 'created_at' | 'total_fen'; dir: 'ASC' | 'DESC' }> = {
  'time-desc': { column: 'created_at', dir: 'DESC' },
  'time-asc': { column: 'created_at', dir: 'ASC' },
  'total-desc': { column: 'total_fen', dir: 'DESC' },
  'total-asc': { column: 'total_fen', dir: 'ASC' },
};

/** A payment that took money (refunded ones too: the list tells how the bill was paid). */
const MONEY_TAKEN = `p.state IN ('paid', 'refunded')`;

const COLUMNS = `o.id, o.his_order_no, o.psn_no, o.operator_id, o.state, o.total_fen, o.fund_fen, o.account_fen, o.cash_fen,
  o.settle_mode, o.care_sealed, o.doctor_name, o.dept_name, o.created_at, o.completed_at,
  (SELECT ps.sealed FROM persons ps WHERE ps.psn_no = o.psn_no) AS person_sealed,
  (SELECT p.channel FROM payments p WHERE p.order_id = o.id AND ${MONEY_TAKEN} ORDER BY p.created_at DESC LIMIT 1) AS channel`;

/**
 * The pager counts at most this many rows: past it a clerk narrows the filter rather than pages (the export counts
 * the whole filter). Counting a month of a busy hospital's orders exactly cost most of a page's time.
 */
export const PAGER_COUNT_CAP = 10_000;
/** From how many rows in the range a page by amount walks the amounts' index rather than sorting the range. */
const AMOUNT_WALK_FROM = 2_000;

export class OrderSearch {
  constructor(
    private readonly db: Db,
    private readonly cipher: FieldCipher,
    private readonly timeZone: string,
  ) {}

  /**
   * One page of the list and how many rows the filter matches, up to PAGER_COUNT_CAP (`totalCapped` past it). The
   * sort carries only the key and the id; the shown columns — two lookups each — are read for the page's rows alone
   * (bench/lists.ts: 1,000,000 orders, every page kind p95 ≤ 20 ms; 274 ms overall before).
   */
  page(filter: OrderFilter, sort: OrderSort, limit: number, offset: number, viewer: Viewer): OrderPage {
    const where = this.where(filter);
    const { column, dir } = SORTS[sort];
    const counted = this.db
      .prepare(`SELECT COUNT(*) AS n FROM (SELECT 1 FROM outpatient_orders o WHERE ${where.sql} LIMIT ?)`)
      .get(...where.args, PAGER_COUNT_CAP + 1) as { n: number };
    // A big range sorted by amount with nothing else to narrow it: walk the amounts from the top (index-only, stops
    // after the page) instead of sorting the whole range. A small range, or any other filter, narrows the rows first
    // and sorts them (walking the amounts for a nearly empty range would read the whole index).
    const walkAmounts =
      column === 'total_fen' &&
      counted.n > AMOUNT_WALK_FROM &&
      !filter.operatorId &&
      !filter.states?.length &&
      !filter.channel &&
      !filter.certNo;
    const from = walkAmounts ? 'outpatient_orders o INDEXED BY outpatient_orders_by_total_created' : 'outpatient_orders o';
    const rows = this.db
      .prepare(
        `SELECT ${COLUMNS} FROM (SELECT o.id AS pid, o.${column} AS pkey FROM ${from} WHERE ${where.sql}
           ORDER BY o.${column} ${dir}, o.id ${dir} LIMIT ? OFFSET ?) pg
         JOIN outpatient_orders o ON o.id = pg.pid ORDER BY pg.pkey ${dir}, pg.pid ${dir}`,
      )
      .all(...where.args, limit, offset) as ListRow[];
    const totalCapped = counted.n > PAGER_COUNT_CAP;
    return { rows: this.present(rows, viewer), total: totalCapped ? PAGER_COUNT_CAP : counted.n, totalCapped };
  }

  count(filter: OrderFilter): number {
    const where = this.where(filter);
    const row = this.db.prepare(`SELECT COUNT(*) AS n FROM outpatient_orders o WHERE ${where.sql}`).get(...where.args) as { n: number };
    return row.n;
  }

  /**
   * The rows after `after` in the sort's order, at most `limit` (the exports walk the whole filter this way:
   * each batch is its own short query, so the core answers other calls between batches and memory stays flat).
   */
  batch(
    filter: OrderFilter,
    sort: OrderSort,
    after: After | null,
    limit: number,
    viewer: Viewer,
    persons?: PersonCache,
  ): { rows: OrderListRow[]; next: After | null } {
    const where = this.where(filter);
    const { column, dir } = SORTS[sort];
    const cmp = dir === 'ASC' ? '>' : '<';
    const keyset = after ? ` AND (o.${column} ${cmp} ? OR (o.${column} = ? AND o.id ${cmp} ?))` : '';
    const rows = this.db
      .prepare(`SELECT ${COLUMNS} FROM outpatient_orders o WHERE ${where.sql}${keyset} ORDER BY o.${column} ${dir}, o.id ${dir} LIMIT ?`)
      .all(...where.args, ...(after ? [after.key, after.key, after.id] : []), limit) as ListRow[];
    const last = rows.at(-1);
    const next = last && rows.length === limit ? { key: column === 'created_at' ? last.created_at : last.total_fen, id: last.id } : null;
    return { rows: this.present(rows, viewer, persons), next };
  }

  /** An order's fee lines (HX-42); undefined for an order the station does not hold. */
  feeLines(orderId: string): OrderLineView[] | undefined {
    const known = this.db.prepare('SELECT 1 FROM outpatient_orders WHERE id = ?').get(orderId);
    if (!known) return undefined;
    const rows = this.db
      .prepare(
        `SELECT seq, item_sealed, name, spec, unit, quantity, unit_price_fen, amount_fen, charge_level
         FROM outpatient_order_lines WHERE order_id = ? ORDER BY seq`,
      )
      .all(orderId) as {
      seq: number;
      item_sealed: string | null;
      name: string;
      spec: string;
      unit: string;
      quantity: string;
      unit_price_fen: number;
      amount_fen: number;
      charge_level: string;
    }[];
    return rows.map((r) => {
      // A line from before migration 011 reads as it was until the start seals it.
      const item = r.item_sealed ? this.cipher.openJson<{ name: string; spec: string; unit: string }>(r.item_sealed) : r;
      return {
        seq: r.seq,
        name: item.name,
        spec: item.spec,
        unit: item.unit,
        quantity: r.quantity,
        unitPriceFen: fen(r.unit_price_fen),
        amountFen: fen(r.amount_fen),
        chargeLevel: chargeLevelName(r.charge_level),
      };
    });
  }

  private where(filter: OrderFilter): { sql: string; args: (string | number)[] } {
    const { since, until } = dayRangeUtc(filter.from, filter.to, this.timeZone);
    const parts = ['o.created_at >= ?', 'o.created_at < ?'];
    const args: (string | number)[] = [since, until];
    if (filter.operatorId !== undefined) {
      parts.push('o.operator_id = ?');
      args.push(filter.operatorId);
    }
    if (filter.states !== undefined && filter.states.length > 0) {
      parts.push('o.state IN (SELECT value FROM json_each(?))');
      args.push(JSON.stringify(filter.states));
    }
    if (filter.channel !== undefined) {
      parts.push(`EXISTS (SELECT 1 FROM payments p WHERE p.order_id = o.id AND p.channel = ? AND ${MONEY_TAKEN})`);
      args.push(filter.channel);
    }
    if (filter.certNo !== undefined) {
      parts.push('o.psn_no IN (SELECT psn_no FROM persons WHERE certno_index = ?)');
      args.push(this.cipher.blindIndex(filter.certNo));
    }
    return { sql: parts.join(' AND '), args };
  }

  private present(rows: ListRow[], viewer: Viewer, persons: PersonCache = new Map()): OrderListRow[] {
    const full = maySeePersonalData(viewer.roles);
    // A patient has many orders: open each person once per batch, or once per export when it passes its cache.
    if (persons.size > PERSON_CACHE_LIMIT) persons.clear();
    const person = (r: ListRow) => {
      let p = persons.get(r.psn_no);
      if (!p) {
        p = r.person_sealed ? this.cipher.openJson<{ name: string; certNo: string }>(r.person_sealed) : { name: '', certNo: '' };
        persons.set(r.psn_no, p);
      }
      return p;
    };
    return rows.map((r) => {
      const p = person(r);
      const care = r.care_sealed
        ? this.cipher.openJson<{ doctorName: string; deptName: string }>(r.care_sealed)
        : { doctorName: r.doctor_name, deptName: r.dept_name };
      // A self-pay-only order keeps no split: its share is the whole bill once a payment took the money.
      const selfPay = r.cash_fen ?? (r.settle_mode === 'self-pay' && r.channel !== null ? r.total_fen : 0);
      return {
        id: r.id,
        hisOrderNo: r.his_order_no,
        patientName: full ? p.name : maskName(p.name),
        certNo: full ? p.certNo : maskCertNo(p.certNo),
        doctorName: care.doctorName,
        deptName: care.deptName,
        operatorId: r.operator_id,
        state: r.state,
        channel: r.channel,
        totalFen: fen(r.total_fen),
        fundFen: fen(r.fund_fen ?? 0),
        accountFen: fen(r.account_fen ?? 0),
        selfPayFen: fen(selfPay),
        createdAt: r.created_at,
        completedAt: r.completed_at,
      };
    });
  }
}
