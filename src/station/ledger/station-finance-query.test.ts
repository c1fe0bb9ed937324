/**
 * The finance lists through the query port's embedded default: the ledger service reads this station's SQLite, says
 * so (本站), and answers exactly what the list engine answers for the same filter, sort and page.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SignedInOperator } from '../../shared/domain';
import { FinanceFilter } from '../../shared/finance-lists';
import { EventBus } from '../events';
import { FieldCipher, loadOrCreateDataKeys } from '../security';
import { AuditRepo, openDatabase, type Db } from '../store';
import { FinanceSearch } from './finance-search';
import { PAYMENTS } from './finance-specs';
import { LedgerService } from './ledger-service';
import { seedFinance } from './testing/seed-finance';
import { seedOrders } from './testing/seed-orders';

const OPTS = { count: 300, start: new Date('2026-11-30T16:00:00Z'), stepMs: 10 * 60_000, persons: 20 };
let dir: string;
let db: Db;
let cipher: FieldCipher;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'station-finance-query-'));
  db = openDatabase(path.join(dir, 'station.db'));
  cipher = new FieldCipher(loadOrCreateDataKeys(path.join(dir, 'keys')));
  seedOrders(db, cipher, OPTS);
  seedFinance(db, cipher, OPTS);
});
afterAll(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const admin: SignedInOperator = { id: 'admin', name: 'admin', role: 'admin', roles: ['admin'], mustChangePassword: false };

describe('the finance lists through the query port', () => {
  it('without a hospital ledger the service reads this station (本站) and pages as the engine does', async () => {
    const now = () => new Date('2026-12-04T02:00:00Z');
    const service = new LedgerService({
      db,
      cipher,
      timeZone: 'Asia/Shanghai',
      now,
      audit: new AuditRepo(db, 'W01', cipher),
      bus: new EventBus(),
      exportsDir: undefined,
      stationId: 'W01',
    });
    const filter = FinanceFilter.parse({ from: '2026-12-01', to: '2026-12-03', channel: 'alipay' });
    const page = await service.searchFinance(admin, { list: 'payments', filter, sort: 'amount-desc', limit: 20, offset: 5 });
    const engine = new FinanceSearch(PAYMENTS, db, cipher, 'Asia/Shanghai', 'W01').page(filter, 'amount-desc', 20, 5, admin);
    expect(page.source).toBe('station');
    expect(page.totalCapped).toBe(false);
    expect(page.total).toBe(engine.total);
    expect(page.total).toBeGreaterThan(25);
    expect(page.rows).toEqual(engine.rows);
    expect(page.rows).toHaveLength(20);
  });
});
