/**
 * Exports of 100,000 orders written straight into a real station database: the xlsx read back with exceljs's
 * streaming reader and the CSV with a parser of the test's own hold every row once, in order, with the seed's
 * amounts (column totals to the fen), the patient masked for a cashier and in full for the admin, the file 0600
 * in exports/; a cancel leaves no file; every export is audited with who, the filter and the row count.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrderFilter, type ExportProgress } from '../../shared/ledger';
import { FieldCipher, loadOrCreateDataKeys } from '../security';
import { openDatabase, type Db } from '../store';
import { EXPORT_HEADERS } from './export-columns';
import { OrderExports, type ExportAudit } from './order-exports';
import { OrderSearch } from './order-search';
import { seedOrder, seedOrders, seedPerson } from './testing/seed-orders';

const COUNT = 100_000;
const PERSONS = 2_000;
const START = new Date('2026-11-30T16:00:00Z'); // 2026-12-01 00:00 in China
const STEP = 20_000; // ≈ 23 days of orders
const ALL = OrderFilter.parse({ from: '2026-12-01', to: '2026-12-31' });

let dir: string;
let db: Db;
let search: OrderSearch;
const audits: Parameters<ExportAudit>[0][] = [];
const progress: ExportProgress[] = [];

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'order-exports-'));
  db = openDatabase(path.join(dir, 'station.db'));
  const cipher = new FieldCipher(loadOrCreateDataKeys(path.join(dir, 'keys')));
  seedOrders(db, cipher, { count: COUNT, start: START, stepMs: STEP, persons: PERSONS });
  search = new OrderSearch(db, cipher, 'Asia/Shanghai');
}, 120_000);
afterAll(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function exporter(batchSize?: number): OrderExports {
  return new OrderExports({
    search,
    dir: path.join(dir, 'exports'),
    timeZone: 'Asia/Shanghai',
    now: () => new Date('2026-12-24T02:00:00Z'),
    audit: (e) => audits.push(e),
    onProgress: (p) => progress.push(p),
    ...(batchSize === undefined ? {} : { batchSize }),
  });
}

/** RFC 4180 as the export writes it: fields separated by commas, quoted ones may hold commas, quotes and breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  expect(field).toBe(''); // the file ends with a line break
  return rows;
}

const yuanToFen = (text: string) => {
  const m = /^(\d+)\.(\d{2})$/.exec(text);
  expect(m, text).not.toBeNull();
  return Number(m![1]) * 100 + Number(m![2]);
};

const seedTotals = () => {
  let total = 0;
  let fund = 0;
  let selfPay = 0;
  for (let i = 0; i < COUNT; i++) {
    const o = seedOrder(i, START, STEP, PERSONS);
    total += o.totalFen;
    fund += o.fundFen;
    selfPay += o.cashFen;
  }
  return { total, fund, selfPay };
};

describe('exports of the order list', () => {
  it('CSV of 100,000 orders for a cashier: every row once, in order, amounts to the fen, patient masked, 0600, audited', async () => {
    const { total, done } = exporter().start({
      filter: ALL,
      sort: 'time-asc',
      format: 'csv',
      viewer: { roles: ['cashier'] },
      operatorId: 'sf001',
    });
    expect(total).toBe(COUNT);
    const end = await done;
    expect(end).toMatchObject({ state: 'finished', done: COUNT, total: COUNT });
    const file = end.file!;
    expect(path.dirname(file)).toBe(path.join(dir, 'exports'));
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const text = fs.readFileSync(file, 'utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    const [header, ...rows] = parseCsv(text.slice(1));
    expect(header).toEqual([...EXPORT_HEADERS]);
    expect(rows).toHaveLength(COUNT);
    const sums = { total: 0, fund: 0, selfPay: 0 };
    for (const [i, r] of rows.entries()) {
      const o = seedOrder(i, START, STEP, PERSONS);
      const p = seedPerson(o.person);
      expect(r[0]).toBe(`H${o.id}`);
      expect(r[1]).toBe(`${[...p.name][0]}${'*'.repeat([...p.name].length - 1)}`);
      expect(r[2]).toBe(`${p.certNo.slice(0, 6)}********${p.certNo.slice(-4)}`);
      sums.total += yuanToFen(r[8]!);
      sums.fund += yuanToFen(r[9]!);
      sums.selfPay += yuanToFen(r[11]!);
    }
    expect(sums).toEqual(seedTotals());
    expect(rows[0]![12]).toBe('2026-12-01 00:00:00');
    expect(progress.filter((p) => p.state === 'running').length).toBeGreaterThan(10);
    expect(audits.at(-1)).toMatchObject({ operatorId: 'sf001', action: 'ledger.export', outcome: 'ok' });
    expect(audits.at(-1)!.detail).toContain(`csv ${COUNT} rows`);
    expect(audits.at(-1)!.detail).toContain('"from":"2026-12-01"');
  }, 120_000);

  it('xlsx of 100,000 orders for the admin, read back with exceljs: every row, totals to the fen, the patient in full', async () => {
    const end = await exporter().start({
      filter: ALL,
      sort: 'time-asc',
      format: 'xlsx',
      viewer: { roles: ['admin'] },
      operatorId: 'admin1',
    }).done;
    expect(end).toMatchObject({ state: 'finished', done: COUNT });
    expect(fs.statSync(end.file!).mode & 0o777).toBe(0o600);
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(end.file!, { worksheets: 'emit', sharedStrings: 'cache' });
    let n = 0;
    const sums = { total: 0, fund: 0, selfPay: 0 };
    for await (const sheet of reader) {
      for await (const row of sheet) {
        const v = row.values as unknown[]; // 1-based
        if (row.number === 1) {
          expect(v.slice(1)).toEqual([...EXPORT_HEADERS]);
          continue;
        }
        const o = seedOrder(n, START, STEP, PERSONS);
        const p = seedPerson(o.person);
        if (n % 997 === 0) expect(v.slice(1, 4)).toEqual([`H${o.id}`, p.name, p.certNo]);
        sums.total += Math.round(Number(v[9]) * 100);
        sums.fund += Math.round(Number(v[10]) * 100);
        sums.selfPay += Math.round(Number(v[12]) * 100);
        n++;
      }
    }
    expect(n).toBe(COUNT);
    expect(sums).toEqual(seedTotals());
    expect(audits.at(-1)).toMatchObject({ operatorId: 'admin1', outcome: 'ok' });
    expect(audits.at(-1)!.detail).toContain(`xlsx ${COUNT} rows`);
  }, 120_000);

  it('the same filter as the list: a patient by ID number exports exactly the rows the list counts, the number masked in the audit', async () => {
    const certNo = seedPerson(11).certNo;
    const filter = OrderFilter.parse({ from: '2026-12-01', to: '2026-12-31', certNo, states: ['completed'] });
    const end = await exporter().start({ filter, sort: 'total-desc', format: 'csv', viewer: { roles: ['admin'] }, operatorId: 'admin1' })
      .done;
    const rows = parseCsv(fs.readFileSync(end.file!, 'utf8').slice(1)).slice(1);
    expect(rows.length).toBe(search.count(filter));
    expect(rows.length).toBeGreaterThan(10);
    expect(new Set(rows.map((r) => r[2]))).toEqual(new Set([certNo]));
    const totals = rows.map((r) => yuanToFen(r[8]!));
    expect(totals).toEqual([...totals].sort((a, b) => b - a));
    expect(audits.at(-1)!.detail).not.toContain(certNo);
    expect(audits.at(-1)!.detail).toContain(certNo.slice(-4));
  });

  it('a cancel stops after the current batch, leaves no file behind and is audited', async () => {
    const exports = exporter(500);
    fs.mkdirSync(path.join(dir, 'exports'), { recursive: true });
    const before = fs.readdirSync(path.join(dir, 'exports')).length;
    const job = exports.start({ filter: ALL, sort: 'time-asc', format: 'xlsx', viewer: { roles: ['admin'] }, operatorId: 'admin1' });
    const cancelled = new Promise<void>((resolve) => {
      const seen = progress.length;
      const poll = () =>
        progress.slice(seen).some((p) => p.exportId === job.exportId && p.done >= 2_000) ? resolve() : setImmediate(poll);
      poll();
    });
    await cancelled;
    expect(exports.cancel(job.exportId)).toBe(true);
    const end = await job.done;
    expect(end.state, audits.at(-1)!.detail).toBe('cancelled');
    expect(end.done).toBeLessThan(COUNT);
    expect(fs.readdirSync(path.join(dir, 'exports')).length).toBe(before);
    expect(audits.at(-1)).toMatchObject({ outcome: 'failed' });
    expect(audits.at(-1)!.detail).toContain('cancelled after');
    expect(exports.cancel(job.exportId)).toBe(false);
  });
});
