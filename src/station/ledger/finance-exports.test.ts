/**
 * A finance list exported through the station's ledger service: the refunds list to CSV for a cashier holds every
 * refund of the filter once, with its own headers, names masked; the admin's xlsx carries them in full; both
 * exports are in the audit trail with the list, who and how many rows — the patient's name masked there too.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskName } from '../../devices/masking';
import type { SignedInOperator } from '../../shared/domain';
import { ExportFinanceInput, type FinanceListName } from '../../shared/finance-lists';
import type { ExportFormat, ExportProgress } from '../../shared/ledger';
import { EventBus } from '../events';
import { FieldCipher, loadOrCreateDataKeys } from '../security';
import { AuditRepo, openDatabase, type Db } from '../store';
import { REFUNDS } from './finance-specs';
import { LedgerService } from './ledger-service';
import { seedFinance } from './testing/seed-finance';
import { seedOrder, seedOrders, seedPerson } from './testing/seed-orders';

const COUNT = 600;
const PERSONS = 30;
const START = new Date('2026-11-30T16:00:00Z');
const STEP = 10 * 60_000;

let dir: string;
let db: Db;
let ledger: LedgerService;
let audit: AuditRepo;
const bus = new EventBus();
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'finance-exports-'));
  db = openDatabase(path.join(dir, 'station.db'));
  const cipher = new FieldCipher(loadOrCreateDataKeys(path.join(dir, 'keys')));
  seedOrders(db, cipher, { count: COUNT, start: START, stepMs: STEP, persons: PERSONS });
  seedFinance(db, cipher, { count: COUNT, start: START, stepMs: STEP, persons: PERSONS });
  audit = new AuditRepo(db, 'W01', cipher);
  const now = () => new Date('2026-12-24T02:00:00Z');
  ledger = new LedgerService({
    db,
    cipher,
    timeZone: 'Asia/Shanghai',
    now,
    audit,
    bus,
    exportsDir: path.join(dir, 'exports'),
    stationId: 'W01',
  });
});
afterAll(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const operator = (id: string, role: 'admin' | 'cashier'): SignedInOperator => ({
  id,
  name: id,
  role,
  roles: [role],
  mustChangePassword: false,
});

async function exported(who: SignedInOperator, list: FinanceListName, format: ExportFormat, patient?: string): Promise<string> {
  const finished = new Promise<ExportProgress>((resolve) => {
    const sub = bus.listen((event, payload) => {
      if (event !== 'exportProgress') return;
      const p = payload as ExportProgress;
      if (p.state === 'running') return;
      sub.dispose();
      resolve(p);
    });
  });
  const args = ExportFinanceInput.parse({
    list,
    filter: { from: '2026-12-01', to: '2026-12-31', ...(patient ? { patient } : {}) },
    format,
  });
  await ledger.exportFinance(who, args);
  const end = await finished;
  expect(end.state).toBe('finished');
  return end.file!;
}

describe('finance list exports', () => {
  const refunded = Array.from({ length: COUNT }, (_, i) => seedOrder(i, START, STEP, PERSONS)).filter((o) => o.state === 'refunded');

  it('the refunds list to CSV for a cashier: its headers, every refund once, names masked', async () => {
    const file = await exported(operator('sf001', 'cashier'), 'refunds', 'csv');
    expect(path.basename(file)).toMatch(/^退费列表-.*\.csv$/);
    const lines = fs
      .readFileSync(file, 'utf8')
      .replace(/^\uFEFF/, '')
      .split('\r\n')
      .filter(Boolean);
    expect(lines[0]).toBe(REFUNDS.headers.join(','));
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(refunded.map((o) => `H${o.id}`));
    const first = seedPerson(refunded[0]!.person);
    expect(lines[1]!.split(',')[1]).toBe(maskName(first.name));
    expect(fs.readFileSync(file, 'utf8')).not.toContain(first.certNo);
  });

  it("the admin's xlsx of one patient's refunds: names in full; both exports audited with the list", async () => {
    const p = seedPerson(refunded[0]!.person);
    const file = await exported(operator('admin', 'admin'), 'refunds', 'xlsx', p.name);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
    const sheet = book.getWorksheet('退费列表')!;
    const mine = refunded.filter((o) => o.person === refunded[0]!.person);
    expect(sheet.rowCount).toBe(mine.length + 1);
    expect(sheet.getRow(2).getCell(2).value).toBe(p.name);
    expect(sheet.getRow(2).getCell(3).value).toBe(p.certNo);
    const trail = audit.list(10).filter((e) => e.action === 'ledger.export');
    expect(trail.map((e) => [e.operatorId, e.outcome])).toEqual([
      ['admin', 'ok'],
      ['sf001', 'ok'],
    ]);
    expect(trail[0]!.detail).toContain(`${mine.length} rows`);
    expect(trail[0]!.detail).toContain('list refunds');
    expect(trail[0]!.detail).toContain(maskName(p.name));
    expect(trail[0]!.detail).not.toContain(p.name);
  });
});
