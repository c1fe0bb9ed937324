/**
 * The finance lists served hospital-wide from the PostgreSQL ledger (issue 13 item 7), through the office's login
 * (SELECT only): registrations, payments and refunds, each from its projection of the events (schema.ts). The same
 * filters, sorts and pages as the station's own lists, over every station's events; the station filter narrows to
 * one. What the events cannot know differs from the station's row: a registration's amount is its settlement's (0
 * before), a refund begins at its first money step and carries no reason. Events carry no names or ID numbers, so the
 * patient columns stay empty; a patient is found by the blind tokens stations add under the hospital-wide lookup key
 * (each key the office holds, current first), and without such a key a patient filter is refused rather than answered
 * wrongly. The pager counts up to a cap, as the station's order list does.
 */
import pg from 'pg';
import { z } from 'zod';
import {
  FINANCE_LIST_TITLES,
  PAYMENT_MODES,
  PAYMENT_STATES,
  REFUND_STATES,
  REGISTRATION_STATES,
  type FinanceListName,
  type FinanceRow,
  type PaymentRow,
  type PaymentState,
  type RefundRow,
  type RegistrationRow,
} from '../../../shared/finance-lists';
import type { OrderState } from '../../../shared/domain';
import { PAY_CHANNELS } from '../../../shared/ledger';
import { fen } from '../../../shared/money';
import { StationError } from '../../../shared/result';
import type { HospitalLookup } from '../../security';
import { dayRangeUtc, type FinanceQuery, type FinanceQueryPage, type FinanceQueryPort, type Viewer } from '../../ledger';

/** Said on screen when a 全院 list is asked for a patient without the hospital-wide lookup key to compute its token. */
export const HOSPITAL_PATIENT_REFUSAL =
  '全院按患者查询需要全院查询密钥：本机财务密钥文件（ledger.officeKeyFile）中没有。请 IT 用 “npm run station -- keys lookup-import” 导入，或去掉患者条件';

/** Said beside every 全院 page found by patient: rows shipped without tokens are not among them. */
export function hospitalPatientNotice(keyIds: readonly string[]): string {
  return `按患者仅含带全院查询令牌的记录（密钥 ${keyIds.join('、')}），启用密钥前的记录请到原工作站查询`;
}

/** The pager counts at most this many rows; past it the screen shows "10000+" and the clerk narrows the filter. */
export const HOSPITAL_COUNT_CAP = 10_000;

const Row = z.object({
  id: z.string(),
  station_id: z.string(),
  order_id: z.string(),
  his_order_no: z.string().nullable(),
  operator_id: z.string().nullable(),
  channel: z.enum(PAY_CHANNELS).nullable(),
  mode: z.enum(PAYMENT_MODES),
  amount_fen: z.string().regex(/^-?\d+$/),
  state: z.enum(PAYMENT_STATES),
  out_trade_no: z.string().nullable(),
  transaction_id: z.string().nullable(),
  at: z.date(),
  updated_at: z.date(),
});
type Row = z.infer<typeof Row>;

const RegRow = z.object({
  id: z.string(),
  station_id: z.string(),
  order_id: z.string(),
  his_order_no: z.string().nullable(),
  operator_id: z.string().nullable(),
  mdtrt_id: z.string().nullable(),
  state: z.enum(REGISTRATION_STATES),
  reversal: z.enum(['none', 'reversed']),
  settled: z.boolean(),
  amount_fen: z.string().regex(/^-?\d+$/),
  at: z.date(),
  reversed_at: z.date().nullable(),
});
type RegRow = z.infer<typeof RegRow>;

const Fen = z.string().regex(/^-?\d+$/);
const RefRow = z.object({
  id: z.string(),
  station_id: z.string(),
  order_id: z.string(),
  his_order_no: z.string().nullable(),
  operator_id: z.string().nullable(),
  state: z.enum(REFUND_STATES),
  fund_fen: Fen,
  account_fen: Fen,
  cash_fen: Fen,
  amount_fen: Fen,
  channel: z.enum(PAY_CHANNELS).nullable(),
  at: z.date(),
  finished_at: z.date().nullable(),
});
type RefRow = z.infer<typeof RefRow>;

/** A list the ledger projects: its table, the columns the row is built from, its states and its channel filter. */
interface HospitalList {
  table: string;
  columns: string;
  states: readonly string[];
  channel: (p: string) => string;
  present: (raw: unknown) => FinanceRow;
}
const LISTS: Record<FinanceListName, HospitalList> = {
  payments: {
    table: 'yibao.list_payments',
    columns: `id::text AS id, station_id, order_id, his_order_no, operator_id, channel, mode, amount_fen::text AS amount_fen,
      state, out_trade_no, transaction_id, at, updated_at`,
    states: PAYMENT_STATES,
    channel: (p) => `channel = ${p}`,
    present: (raw) => present(Row.parse(raw)),
  },
  registrations: {
    table: 'yibao.list_registrations',
    columns: `id::text AS id, station_id, order_id, his_order_no, operator_id, mdtrt_id, state, reversal, settled,
      amount_fen::text AS amount_fen, at, reversed_at`,
    states: REGISTRATION_STATES,
    // as the station's list: the registration's order paid (or paid and refunded) on that channel
    channel: (p) => `EXISTS (SELECT 1 FROM yibao.list_payments p WHERE p.station_id = x.station_id AND p.order_id = x.order_id
      AND p.channel = ${p} AND p.state IN ('paid', 'refunded'))`,
    present: (raw) => presentRegistration(RegRow.parse(raw)),
  },
  refunds: {
    table: 'yibao.list_refunds',
    columns: `id::text AS id, station_id, order_id, his_order_no, operator_id, state, fund_fen::text AS fund_fen,
      account_fen::text AS account_fen, cash_fen::text AS cash_fen, amount_fen::text AS amount_fen, channel, at, finished_at`,
    states: REFUND_STATES,
    channel: (p) => `x.channel = ${p}`,
    present: (raw) => presentRefund(RefRow.parse(raw)),
  },
};

/** On the table's columns (`x.`): the select list casts amount and id to text, which ORDER BY would otherwise sort. */
const SORT_SQL = {
  'time-desc': 'x.at DESC, x.id DESC',
  'time-asc': 'x.at ASC, x.id ASC',
  'amount-desc': 'x.amount_fen DESC, x.id DESC',
  'amount-asc': 'x.amount_fen ASC, x.id ASC',
} as const;

/** What the order is known to be from its payment alone: the office reads no station's order table. */
const ORDER_STATE_OF: Record<PaymentState, OrderState> = {
  pending: 'awaiting-payment',
  paid: 'completed',
  failed: 'awaiting-payment',
  reversed: 'reversed',
  closed: 'awaiting-payment',
  refunded: 'refunded',
};

export class PostgresFinanceQuery implements FinanceQueryPort {
  readonly source = 'hospital';
  private readonly pool: pg.Pool;

  /** `lookups`: the hospital-wide lookup keys of the office's key file, the current first (none: no patient search). */
  constructor(
    config: pg.PoolConfig,
    private readonly timeZone: string,
    private readonly lookups: readonly HospitalLookup[] = [],
  ) {
    this.pool = new pg.Pool({ max: 2, idleTimeoutMillis: 30_000, ...config });
    this.pool.on('error', () => undefined);
  }

  /** Every list: the ledger projects all three (schema v4). */
  serves(): boolean {
    return true;
  }

  /** Every viewer sees the same columns: the ledger holds no names or ID numbers to mask. */
  async page(q: FinanceQuery, _viewer: Viewer): Promise<FinanceQueryPage> {
    const list = LISTS[q.list];
    if (q.filter.patient !== undefined && this.lookups.length === 0) throw new StationError('INVALID_ARGUMENT', HOSPITAL_PATIENT_REFUSAL);
    const { sql, args } = this.where(q, list);
    const n = args.length;
    const [rows, counted] = await Promise.all([
      this.pool.query(
        `SELECT ${list.columns} FROM ${list.table} x WHERE ${sql} ORDER BY ${SORT_SQL[q.sort]} LIMIT $${n + 1} OFFSET $${n + 2}`,
        [...args, q.limit, q.offset],
      ),
      this.pool.query<{ n: string }>(`SELECT COUNT(*) AS n FROM (SELECT 1 FROM ${list.table} x WHERE ${sql} LIMIT $${n + 1}) c`, [
        ...args,
        HOSPITAL_COUNT_CAP + 1,
      ]),
    ]);
    const total = Number(counted.rows[0]?.n ?? 0);
    return {
      rows: rows.rows.map((r) => list.present(r)),
      total: Math.min(total, HOSPITAL_COUNT_CAP),
      totalCapped: total > HOSPITAL_COUNT_CAP,
      ...(q.filter.patient === undefined ? {} : { notice: hospitalPatientNotice(this.lookups.map((l) => l.keyId)) }),
    };
  }

  close(): Promise<void> {
    return this.pool.end();
  }

  private where(q: FinanceQuery, list: HospitalList): { sql: string; args: unknown[] } {
    const { since, until } = dayRangeUtc(q.filter.from, q.filter.to, this.timeZone);
    const args: unknown[] = [since, until];
    const parts = ['x.at >= $1', 'x.at < $2'];
    const add = (cond: (p: string) => string, value: unknown) => {
      args.push(value);
      parts.push(cond(`$${args.length}`));
    };
    if (q.filter.stationId !== undefined) add((p) => `x.station_id = ${p}`, q.filter.stationId);
    if (q.filter.operatorId !== undefined) add((p) => `x.operator_id = ${p}`, q.filter.operatorId);
    if (q.filter.channel !== undefined) add(list.channel, q.filter.channel);
    const patient = q.filter.patient;
    if (patient !== undefined) {
      // a token is matched only with the key that made it: the key's id rides with it
      const column = 'certNo' in patient ? 'x.cert_token' : 'x.name_token';
      const either = this.lookups.map((l) => {
        args.push(l.keyId, l.queryToken(patient));
        return `(x.lookup_key_id = $${args.length - 1} AND ${column} = $${args.length})`;
      });
      parts.push(`(${either.join(' OR ')})`);
    }
    if (q.filter.states !== undefined && q.filter.states.length > 0) {
      const unknown = q.filter.states.find((s) => !list.states.includes(s));
      if (unknown !== undefined) throw new StationError('INVALID_ARGUMENT', `${FINANCE_LIST_TITLES[q.list]}列表没有状态“${unknown}”`);
      add((p) => `x.state = ANY(${p}::text[])`, q.filter.states);
    }
    return { sql: parts.join(' AND '), args };
  }
}

function present(r: Row): PaymentRow {
  return {
    list: 'payments',
    id: `${r.station_id}:${r.id}`,
    orderId: r.order_id,
    orderState: ORDER_STATE_OF[r.state],
    hisOrderNo: r.his_order_no ?? '',
    patientName: '',
    certNo: '',
    operatorId: r.operator_id ?? '',
    stationId: r.station_id,
    channel: r.channel,
    mode: r.mode,
    amountFen: fen(Number(r.amount_fen)),
    state: r.state,
    outTradeNo: r.out_trade_no ?? '',
    transactionId: r.transaction_id ?? '',
    createdAt: r.at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

/** What the order is known to be from its registration's events alone. */
function registrationOrderState(r: RegRow): OrderState {
  if (r.reversal === 'reversed') return r.settled ? 'refunded' : 'open';
  if (r.state === 'reversed-2601') return 'open';
  return r.settled ? 'completed' : 'previewed';
}

function presentRegistration(r: RegRow): RegistrationRow {
  return {
    list: 'registrations',
    id: `${r.station_id}:${r.id}`,
    orderId: r.order_id,
    orderState: registrationOrderState(r),
    hisOrderNo: r.his_order_no ?? '',
    patientName: '',
    certNo: '',
    operatorId: r.operator_id ?? '',
    stationId: r.station_id,
    mdtrtId: r.mdtrt_id ?? '',
    state: r.state,
    reversal: r.reversal,
    settled: r.settled,
    // the ledger knows a registration's amount from the settlement on it: 0 until then
    amountFen: fen(Number(r.amount_fen)),
    registeredAt: r.at.toISOString(),
    reversedAt: r.reversed_at?.toISOString() ?? null,
  };
}

function presentRefund(r: RefRow): RefundRow {
  return {
    list: 'refunds',
    id: `${r.station_id}:${r.id}`,
    orderId: r.order_id,
    orderState: r.state === 'refunded' ? 'refunded' : 'refunding',
    hisOrderNo: r.his_order_no ?? '',
    patientName: '',
    certNo: '',
    operatorId: r.operator_id ?? '',
    stationId: r.station_id,
    state: r.state,
    fundFen: fen(Number(r.fund_fen)),
    accountFen: fen(Number(r.account_fen)),
    cashFen: fen(Number(r.cash_fen)),
    amountFen: fen(Number(r.amount_fen)),
    channel: r.channel,
    // the reason is the station's (sealed there); the ledger's events carry none
    reason: '',
    createdAt: r.at.toISOString(),
    finishedAt: r.finished_at?.toISOString() ?? null,
  };
}
