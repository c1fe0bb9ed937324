import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditRepo, openDatabase, StationMetaRepo, type Db } from '../store';
import { PrintSettingsStore } from './print-settings-store';

let dir: string;
let db: Db;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'print-settings-'));
  db = openDatabase(path.join(dir, 'station.db'));
});
afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const config = () => ({ printer: 'FROM-FILE', paper: 'A5' as const, copies: 1 });
const at = new Date('2026-12-04T08:00:00.000Z');

describe('the print settings store', () => {
  it("the admin's choice overrides the file's values, including a null printer (the system default)", () => {
    const store = new PrintSettingsStore(db, config, new AuditRepo(db, 'st-1'));
    expect(store.current()).toMatchObject({ printer: 'FROM-FILE', source: 'config' });
    expect(store.save('admin', { printer: null, paper: '58mm', copies: 3 }, at)).toEqual({
      printer: null,
      paper: '58mm',
      copies: 3,
      source: 'station',
      updatedBy: 'admin',
      updatedAt: at.toISOString(),
    });
  });

  it('refuses what the schema refuses, even from inside the core, and saves nothing', () => {
    const store = new PrintSettingsStore(db, config, new AuditRepo(db, 'st-1'));
    expect(() => store.save('admin', { printer: 'X', paper: '80mm', copies: 0 }, at)).toThrow();
    expect(store.current().source).toBe('config');
  });

  it('a row that does not parse (edited by hand) is ignored: the file prints', () => {
    new StationMetaRepo(db).set('receipts.print', '{"printer":"X","paper":"A4"}', at);
    expect(new PrintSettingsStore(db, config, new AuditRepo(db, 'st-1')).current()).toMatchObject({
      printer: 'FROM-FILE',
      source: 'config',
    });
    new StationMetaRepo(db).set('receipts.print', 'not json', at);
    expect(new PrintSettingsStore(db, config, new AuditRepo(db, 'st-1')).current().source).toBe('config');
  });
});
