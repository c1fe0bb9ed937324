/**
 * DQ-05: the e-voucher report from a real station database — identifications by e-voucher and the bills they led
 * to, by the station's day (China time, not the PC's) and operator; other identification methods left out; the
 * range read through its index; the export a file a spreadsheet opens.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FieldCipher, loadOrCreateDataKeys } from '../security';
import { openDatabase, PersonsRepo, type Db } from '../store';
import { eVoucherReport, EVOUCHER_REPORT_HEADERS, writeEVoucherReport } from './evoucher-report';
import { seedOrder, seedOrders, seedPerson } from './testing/seed-orders';

const TZ = 'Asia/Shanghai';
const START = new Date('2026-12-04T02:00:00Z'); // 10:00 China time
let dir: string;
let db: Db;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evoucher-'));
  db = openDatabase(path.join(dir, 'station.db'));
  const cipher = new FieldCipher(loadOrCreateDataKeys(path.join(dir, 'keys')));
  // Six bills of three patients (identifications i-0, i-1, i-2 by sf001, all at START); i-0 and i-1 were by e-voucher.
  seedOrders(db, cipher, { count: 6, start: START, stepMs: 60_000, persons: 3 });
  db.prepare(`UPDATE identifications SET method = 'e-voucher', cert_type = '01' WHERE id IN ('i-0', 'i-1')`).run();
  const persons = new PersonsRepo(db, cipher);
  const scan = (id: string, operatorId: string, at: string) =>
    persons.recordIdentification(
      {
        id,
        operatorId,
        method: 'e-voucher',
        certType: '01',
        psnNo: seedPerson(2).psnNo,
        insuredRegion: '350200',
        msgid: 'm',
        certNo: seedPerson(2).certNo,
      },
      new Date(at),
    );
  scan('ev-late', 'sf002', '2026-12-04T15:59:59Z'); // 23:59:59 on the 4th in China: still the 4th
  scan('ev-next', 'sf001', '2026-12-04T16:00:00Z'); // 00:00 on the 5th in China (still the 4th in UTC)
  scan('ev-before', 'sf001', '2026-12-03T15:59:00Z'); // the 3rd: outside the range
});
afterAll(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** What the seed says the bills of persons 0 and 1 came to (orders 0, 1, 3, 4). */
function expectedSettled() {
  const orders = [0, 1, 3, 4].map((i) => seedOrder(i, START, 60_000, 3));
  const sum = (f: (o: (typeof orders)[number]) => number) => orders.reduce((s, o) => s + f(o), 0);
  return {
    settlements: orders.filter((o) => o.state !== 'open').length,
    totalFen: sum((o) => (o.state !== 'open' ? o.totalFen : 0)),
    fundFen: sum((o) => (o.state !== 'open' ? o.fundFen : 0)),
    accountFen: sum((o) => (o.state !== 'open' ? o.accountFen : 0)),
    cashFen: sum((o) => (o.state !== 'open' ? o.cashFen : 0)),
    refunded: orders.filter((o) => o.state === 'refunded').length,
  };
}

describe('the e-voucher report (DQ-05)', () => {
  it('counts e-voucher identifications and the bills they led to by the station’s day and operator, nothing else', () => {
    const rows = eVoucherReport(db, TZ, { from: '2026-12-04', to: '2026-12-05' });
    expect(rows).toEqual([
      {
        day: '2026-12-04',
        operatorId: 'sf001',
        operatorName: 'sf001',
        identifications: 2,
        settledIdentifications: 2,
        ...expectedSettled(),
      },
      expect.objectContaining({
        day: '2026-12-04',
        operatorId: 'sf002',
        identifications: 1,
        settledIdentifications: 0,
        settlements: 0,
        totalFen: 0,
      }),
      expect.objectContaining({ day: '2026-12-05', operatorId: 'sf001', identifications: 1, settlements: 0 }),
    ]);
    expect(expectedSettled().settlements).toBe(4);
    // One operator, one day.
    expect(eVoucherReport(db, TZ, { from: '2026-12-05', to: '2026-12-05', operatorId: 'sf001' }).map((r) => r.identifications)).toEqual([
      1,
    ]);
    expect(eVoucherReport(db, TZ, { from: '2026-12-04', to: '2026-12-04', operatorId: 'sf002' }).map((r) => r.operatorId)).toEqual([
      'sf002',
    ]);
    expect(eVoucherReport(db, TZ, { from: '2026-11-01', to: '2026-11-30' })).toEqual([]);
  });

  it('reads the range through the identifications’ method-and-time index, not a walk of every identification', () => {
    const plan = db
      .prepare(`EXPLAIN QUERY PLAN SELECT id FROM identifications i WHERE i.method = 'e-voucher' AND i.at >= ? AND i.at < ?`)
      .all('a', 'b') as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toContain('identifications_by_method_at');
  });

  it('exports the report as CSV with its headers (UTF-8 with a BOM) and amounts in yuan', async () => {
    const rows = eVoucherReport(db, TZ, { from: '2026-12-04', to: '2026-12-04', operatorId: 'sf001' });
    const file = await writeEVoucherReport(rows, 'csv', path.join(dir, 'exports'), {
      now: START,
      timeZone: TZ,
      from: '2026-12-04',
      to: '2026-12-04',
    });
    expect(path.basename(file)).toBe('电子凭证报表-2026-12-04至2026-12-04-20261204100000.csv');
    const [header, line, ...rest] = fs.readFileSync(file, 'utf8').split('\r\n');
    expect(header).toBe(`\uFEFF${EVOUCHER_REPORT_HEADERS.join(',')}`);
    const e = expectedSettled();
    expect(line!.split(',')).toEqual([
      '2026-12-04',
      'sf001',
      'sf001',
      '2',
      '2',
      String(e.settlements),
      (e.totalFen / 100).toFixed(2),
      (e.fundFen / 100).toFixed(2),
      (e.accountFen / 100).toFixed(2),
      (e.cashFen / 100).toFixed(2),
      String(e.refunded),
    ]);
    expect(rest).toEqual(['']);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });
});
