import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AuditRepo, MIGRATIONS, OperatorsRepo, openDatabase, type Db } from '../store';
import { hashPassword } from '../security';
import { LoginService } from './login';
import { StationError } from '../../shared/result';

const COST = { N: 2 ** 14, r: 8, p: 1 };
const POLICY = { maxAttempts: 5, lockMinutes: 15 };
const NOW = new Date('2026-12-04T04:00:00.000Z');

let dir: string;
let db: Db;
let operators: OperatorsRepo;
let audit: AuditRepo;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'station-login-'));
  db = openDatabase(path.join(dir, 'station.db'));
  operators = new OperatorsRepo(db);
  audit = new AuditRepo(db, 'test');
  operators.insert({ id: 'sf001', name: '张敏', roles: ['cashier', 'admin'], passwordHash: await hashPassword('Right2026', COST) }, NOW);
});
afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const service = (now = () => NOW, timeZone = 'Asia/Shanghai') => new LoginService(operators, audit, POLICY, COST, now, timeZone);

async function failure(p: Promise<unknown>): Promise<StationError> {
  const e = await p.then(
    () => new Error('signed in'),
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(StationError);
  return e as StationError;
}

describe('LoginService', () => {
  it('20 parallel wrong attempts: at most maxAttempts are verified and the account ends locked', async () => {
    const login = service();
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => login.login('sf001', 'Wrong2026')));
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    // a verified wrong password is audited as `failed`; a refused one as `denied` without a verify
    const rows = audit.list(100).filter((r) => r.action === 'login');
    expect(rows.filter((r) => r.outcome === 'failed')).toHaveLength(POLICY.maxAttempts);
    expect(rows.filter((r) => r.outcome === 'denied')).toHaveLength(20 - POLICY.maxAttempts);
    expect(operators.find('sf001')!.locked_until).toBe(new Date(NOW.getTime() + 15 * 60_000).toISOString());
    // even the right password is refused while locked
    expect((await failure(login.login('sf001', 'Right2026'))).code).toBe('ACCOUNT_LOCKED');
  });

  it('says how many attempts remain, and the lock time in the configured zone', async () => {
    const login = service(() => NOW, 'Asia/Urumqi');
    for (let i = 1; i < POLICY.maxAttempts; i++) {
      expect((await failure(login.login('sf001', 'Wrong2026'))).message).toBe(`工号或密码错误，还可尝试 ${POLICY.maxAttempts - i} 次`);
    }
    const locked = await failure(login.login('sf001', 'Wrong2026'));
    expect(locked.code).toBe('ACCOUNT_LOCKED');
    // 04:15Z is 10:15 in Urumqi (UTC+6), 12:15 in Shanghai
    expect(locked.message).toContain('10:15:00');
  });

  it('a lock that ran out counts from one again; a right password resets the count', async () => {
    let now = NOW;
    const login = service(() => now);
    for (let i = 0; i < POLICY.maxAttempts; i++) await failure(login.login('sf001', 'Wrong2026'));
    now = new Date(NOW.getTime() + 16 * 60_000);
    expect((await failure(login.login('sf001', 'Wrong2026'))).message).toContain(`还可尝试 ${POLICY.maxAttempts - 1} 次`);
    expect(await login.login('sf001', 'Right2026')).toEqual({
      id: 'sf001',
      name: '张敏',
      role: 'cashier',
      roles: ['cashier', 'admin'],
      mustChangePassword: false,
    });
    expect(operators.find('sf001')).toMatchObject({ failed_attempts: 0, locked_until: null });
  });

  it('an unknown 工号 gets the same countdown and lock as a known one: the messages do not tell which exists', async () => {
    let now = NOW;
    const login = service(() => now);
    const messages = async (id: string) => {
      const seen: string[] = [];
      for (let i = 0; i <= POLICY.maxAttempts; i++) seen.push((await failure(login.login(id, 'Wrong2026'))).message);
      return seen;
    };
    const known = await messages('sf001');
    expect(await messages('sf999')).toEqual(known);
    expect(known.at(-2)).toContain('账户已锁定至');
    now = new Date(NOW.getTime() + 16 * 60_000); // both locks ran out: counting from one again
    expect((await failure(login.login('sf999', 'Wrong2026'))).message).toBe(`工号或密码错误，还可尝试 ${POLICY.maxAttempts - 1} 次`);
  });

  it('an unknown login is audited without what was typed', async () => {
    await failure(service().login('guessed-name', 'Wrong2026'));
    const [row] = audit.list(1);
    expect(row).toMatchObject({ action: 'login', outcome: 'failed', operatorId: null, detail: '未知或停用的工号' });
    expect(JSON.stringify(audit.list(100))).not.toContain('guessed-name');
  });
});

describe('migration 008', () => {
  it('keeps an operator written before it signing in with its one role', async () => {
    const file = path.join(dir, 'old.db');
    const old = openDatabase(
      file,
      MIGRATIONS.filter((m) => m.version < 8),
    );
    old
      .prepare("INSERT INTO operators (id, name, role, password_hash, created_at) VALUES ('hs001', '王芳', 'nurse', ?, ?)")
      .run(await hashPassword('Nurse2026', COST), NOW.toISOString());
    old.close();
    const upgraded = openDatabase(file);
    try {
      const login = new LoginService(new OperatorsRepo(upgraded), new AuditRepo(upgraded, 't'), POLICY, COST, () => NOW, 'Asia/Shanghai');
      expect(await login.login('hs001', 'Nurse2026')).toMatchObject({ role: 'nurse', roles: ['nurse'], mustChangePassword: false });
    } finally {
      upgraded.close();
    }
  });
});
