/**
 * One engine for the finance lists (registrations, payments, refunds): each list is a spec — its tables, its time
 * and amount columns, its state and channel — and the engine adds the filter bar's conditions, the sort, the page
 * and the keyset walk an export takes. The patient is found through the persons' blind indexes (ID number or
 * whole name), never by matching sealed text; names and ID numbers are opened only for the rows returned and
 * masked unless the viewer's role may see them. The embedded ledger holds one station's rows: a filter naming
 * another station matches nothing.
 */
import { maskName } from '../../devices/masking';
import type { FinanceFilter, FinanceRow, FinanceSort } from '../../shared/finance-lists';
import { maySeePersonalData } from '../../shared/ledger';
import { StationError } from '../../shared/result';
import { isSealed, type FieldCipher } from '../security';
import { personNameIndex, type Db } from '../store';
import { maskCertNo } from '../workflows';
import type { Cell } from './export-columns';
import { dayRangeUtc } from './local-days';
import type { After, Viewer } from './order-search';

/** What every list's query selects besides its own columns. */
export interface RawRow {
  id: string;
  at: string;
  amount: number;
  psn_no: string | null;
  person_sealed: string | null;
  [column: string]: unknown;
}

export interface ListContext {
  person: { name: string; certNo: string };
  stationId: string;
  openText: (text: string) => string;
  openJson: <T>(sealed: string) => T;
}

export interface ListSpec<R extends FinanceRow> {
  title: string;
  /** FROM … (the list's own table as `x`, its order as `o`) */
  from: string;
  /** the row's insured person number (default `o.psn_no`): the persons table names and finds the patient by it */
  psn?: string;
  /** the row's own sealed patient ({ name, idNo }) when no person row names it: a phone's e-voucher */
  patientSealed?: string;
  /** conditions every row of the list meets */
  base: string[];
  /** the list's own columns (x.id AS id, … AS at, … AS amount are added by the engine) */
  columns: string;
  id: string;
  time: string;
  amount: string;
  operator: string;
  /** the list's state as SQL, compared with the filter's states */
  state: string;
  states: readonly string[];
  /** a condition with one `?` for the channel */
  channel: string;
  present(raw: RawRow, ctx: ListContext): R;
  headers: readonly string[];
  cells(row: R, timeZone: string): Cell[];
}

const SORTS: Record<FinanceSort, { by: 'time' | 'amount'; dir: 'ASC' | 'DESC' }> = {
  'time-desc': { by: 'time', dir: 'DESC' },
  'time-asc': { by: 'time', dir: 'ASC' },
  'amount-desc': { by: 'amount', dir: 'DESC' },
  'amount-asc': { by: 'amount', dir: 'ASC' },
};

export class FinanceSearch<R extends FinanceRow> {
  constructor(
    private readonly spec: ListSpec<R>,
    private readonly db: Db,
    private readonly cipher: FieldCipher,
    private readonly timeZone: string,
    private readonly stationId: string,
  ) {}

  get title(): string {
    return this.spec.title;
  }

  get headers(): readonly string[] {
    return this.spec.headers;
  }

  cells(row: R): Cell[] {
    return this.spec.cells(row, this.timeZone);
  }

  page(filter: FinanceFilter, sort: FinanceSort, limit: number, offset: number, viewer: Viewer): { rows: R[]; total: number } {
    const where = this.where(filter);
    const rows = this.db
      .prepare(`${this.select()} WHERE ${where.sql} ORDER BY ${this.order(sort)} LIMIT ? OFFSET ?`)
      .all(...where.args, limit, offset) as RawRow[];
    return { rows: this.present(rows, viewer), total: this.count(filter) };
  }

  count(filter: FinanceFilter): number {
    const where = this.where(filter);
    return (this.db.prepare(`SELECT COUNT(*) AS n FROM ${this.spec.from} WHERE ${where.sql}`).get(...where.args) as { n: number }).n;
  }

  /** The rows after `after` in the sort's order: the export's walk, one short query per batch. */
  batch(filter: FinanceFilter, sort: FinanceSort, after: After | null, limit: number, viewer: Viewer): { rows: R[]; next: After | null } {
    const where = this.where(filter);
    const { by, dir } = SORTS[sort];
    const key = by === 'time' ? this.spec.time : this.spec.amount;
    const cmp = dir === 'ASC' ? '>' : '<';
    const keyset = after ? ` AND (${key} ${cmp} ? OR (${key} = ? AND ${this.spec.id} ${cmp} ?))` : '';
    const rows = this.db
      .prepare(`${this.select()} WHERE ${where.sql}${keyset} ORDER BY ${this.order(sort)} LIMIT ?`)
      .all(...where.args, ...(after ? [after.key, after.key, after.id] : []), limit) as RawRow[];
    const last = rows.at(-1);
    const next = last && rows.length === limit ? { key: by === 'time' ? last.at : last.amount, id: last.id } : null;
    return { rows: this.present(rows, viewer), next };
  }

  private select(): string {
    const s = this.spec;
    const psn = s.psn ?? 'o.psn_no';
    const person = `(SELECT ps.sealed FROM persons ps WHERE ps.psn_no = ${psn})`;
    return `SELECT ${s.id} AS id, ${s.time} AS at, ${s.amount} AS amount, ${psn} AS psn_no,
      ${s.patientSealed ? `COALESCE(${person}, ${s.patientSealed})` : person} AS person_sealed, ${s.columns} FROM ${s.from}`;
  }

  private order(sort: FinanceSort): string {
    const { by, dir } = SORTS[sort];
    return `${by === 'time' ? this.spec.time : this.spec.amount} ${dir}, ${this.spec.id} ${dir}`;
  }

  private where(filter: FinanceFilter): { sql: string; args: (string | number)[] } {
    const s = this.spec;
    const { since, until } = dayRangeUtc(filter.from, filter.to, this.timeZone);
    const parts = [...s.base, `${s.time} >= ?`, `${s.time} < ?`];
    const args: (string | number)[] = [since, until];
    if (filter.stationId !== undefined && filter.stationId !== this.stationId) parts.push('0');
    if (filter.operatorId !== undefined) {
      parts.push(`${s.operator} = ?`);
      args.push(filter.operatorId);
    }
    if (filter.states !== undefined && filter.states.length > 0) {
      const unknown = filter.states.find((st) => !s.states.includes(st));
      if (unknown !== undefined) throw new StationError('INVALID_ARGUMENT', `${s.title}列表没有状态“${unknown}”`);
      parts.push(`${s.state} IN (SELECT value FROM json_each(?))`);
      args.push(JSON.stringify(filter.states));
    }
    if (filter.channel !== undefined) {
      parts.push(s.channel);
      args.push(filter.channel);
    }
    if (filter.patient !== undefined) {
      const byCert = 'certNo' in filter.patient;
      parts.push(`${s.psn ?? 'o.psn_no'} IN (SELECT psn_no FROM persons WHERE ${byCert ? 'certno_index' : 'name_index'} = ?)`);
      args.push(
        'certNo' in filter.patient ? this.cipher.blindIndex(filter.patient.certNo) : personNameIndex(this.cipher, filter.patient.name),
      );
    }
    return { sql: parts.join(' AND '), args };
  }

  private present(rows: RawRow[], viewer: Viewer): R[] {
    const full = maySeePersonalData(viewer.roles);
    const persons = new Map<string, { name: string; certNo: string }>();
    const openText = (text: string) => (isSealed(text) ? this.cipher.open(text) : text);
    return rows.map((raw) => {
      // a row without a person number (a phone's) is its own patient
      const key = raw.psn_no ?? raw.person_sealed ?? '';
      let p = persons.get(key);
      if (!p) {
        const sealed = raw.person_sealed ? this.cipher.openJson<{ name: string; certNo?: string; idNo?: string }>(raw.person_sealed) : null;
        const clear = { name: sealed?.name ?? '', certNo: sealed?.certNo ?? sealed?.idNo ?? '' };
        p = full ? clear : { name: maskName(clear.name), certNo: maskCertNo(clear.certNo) };
        persons.set(key, p);
      }
      return this.spec.present(raw, { person: p, stationId: this.stationId, openText, openJson: (sealed) => this.cipher.openJson(sealed) });
    });
  }
}
