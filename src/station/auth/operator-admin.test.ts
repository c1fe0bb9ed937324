import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AuditRepo, OperatorsRepo, openDatabase, type Db } from '../store';
import { LoginService } from './login';
import { OperatorAdmin } from './operator-admin';
import { StationError } from '../../shared/result';

const COST = { N: 2 ** 14, r: 8, p: 1 };
const NOW = new Date('2026-12-04T04:00:00.000Z');
const SELF_SERVICE = 'zz001';

let dir: string;
let db: Db;
let operators: OperatorsRepo;
let audit: AuditRepo;
let admin: OperatorAdmin;
let login: LoginService;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'station-operators-'));
  db = openDatabase(path.join(dir, 'station.db'));
  operators = new OperatorsRepo(db);
  audit = new AuditRepo(db, 'test');
  // every station inserts its self-service operator: it does not count as set up
  operators.insert({ id: SELF_SERVICE, name: '自助终端', roles: ['cashier'], passwordHash: '!' }, NOW);
  admin = new OperatorAdmin(operators, audit, COST, () => NOW, false, SELF_SERVICE);
  login = new LoginService(operators, audit, { maxAttempts: 5, lockMinutes: 15 }, COST, () => NOW, 'Asia/Shanghai');
});
afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function refusal(p: Promise<unknown> | (() => unknown)): Promise<StationError> {
  const run = typeof p === 'function' ? Promise.resolve().then(p) : p;
  const e = await run.then(
    () => new Error('done'),
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(StationError);
  return e as StationError;
}

describe('OperatorAdmin', () => {
  it('a live station needs setting up until its first administrator exists, then refuses a second setup', async () => {
    expect(admin.needsSetup()).toBe(true);
    expect(new OperatorAdmin(operators, audit, COST, () => NOW, true, SELF_SERVICE).needsSetup()).toBe(false);
    await admin.setUpFirstAdmin({ id: 'it01', name: '周工', password: 'Admin2026' });
    expect(admin.needsSetup()).toBe(false);
    expect(await login.login('it01', 'Admin2026')).toMatchObject({ roles: ['admin'], mustChangePassword: false });
    expect((await refusal(admin.setUpFirstAdmin({ id: 'it02', name: '吴工', password: 'Admin2026' }))).code).toBe('CONFLICT');
  });

  it('applies the password rule with Chinese messages', async () => {
    const add = (password: string) => refusal(admin.add('it01', { id: 'sf002', name: '刘洋', roles: ['cashier'], password }));
    expect((await add('Ab1')).message).toBe('密码至少 8 位');
    expect((await add('abcdefgh')).message).toBe('密码须同时包含字母和数字');
    expect((await add('12345678')).message).toBe('密码须同时包含字母和数字');
    // the 工号 in another case is still the 工号
    const sameAsId = await refusal(admin.add('it01', { id: 'sf002abc', name: '刘洋', roles: ['cashier'], password: 'SF002ABC' }));
    expect(sameAsId.message).toBe('密码不能与工号相同');
  });

  it('creates an operator with several roles who must change the password; reset repeats that and refuses the old one', async () => {
    const view = await admin.add('it01', { id: 'sf002', name: '刘洋', roles: ['cashier', 'nurse'], password: 'Start2026' });
    expect(view).toEqual({
      id: 'sf002',
      name: '刘洋',
      roles: ['cashier', 'nurse'],
      disabled: false,
      lockedUntil: null,
      mustChangePassword: true,
    });
    expect(await login.login('sf002', 'Start2026')).toMatchObject({
      role: 'cashier',
      roles: ['cashier', 'nurse'],
      mustChangePassword: true,
    });

    expect((await refusal(admin.changeOwnPassword('sf002', 'Start2026', 'Start2026'))).message).toBe('新密码不能与原密码相同');
    await admin.changeOwnPassword('sf002', 'Start2026', 'Mine2026x');
    expect(await login.login('sf002', 'Mine2026x')).toMatchObject({ mustChangePassword: false });

    expect((await refusal(admin.resetPassword('it01', 'sf002', 'Mine2026x'))).message).toBe('新密码不能与原密码相同');
    expect(await admin.resetPassword('it01', 'sf002', 'Reset2026')).toMatchObject({ mustChangePassword: true });
    expect(await login.login('sf002', 'Reset2026')).toMatchObject({ mustChangePassword: true });
  });

  it('unlocks, disables and enables; never disables itself or the last administrator; audits who, what and whom', async () => {
    await admin.setUpFirstAdmin({ id: 'it01', name: '周工', password: 'Admin2026' });
    await admin.add('it01', { id: 'sf002', name: '刘洋', roles: ['cashier'], password: 'Start2026' });
    for (let i = 0; i < 5; i++) await refusal(login.login('sf002', 'Wrong2026'));
    expect(admin.list().find((o) => o.id === 'sf002')!.lockedUntil).not.toBeNull();
    expect(admin.unlock('it01', 'sf002').lockedUntil).toBeNull();
    expect(admin.disable('it01', 'sf002').disabled).toBe(true);
    expect((await refusal(login.login('sf002', 'Start2026'))).code).toBe('BAD_CREDENTIALS');
    expect(admin.enable(null, 'sf002').disabled).toBe(false);
    expect((await refusal(() => admin.disable('it01', 'it01'))).message).toBe('不能停用自己的账户');
    expect((await refusal(() => admin.disable(null, 'it01'))).message).toBe('不能停用最后一个可用的系统管理员');
    expect((await refusal(() => admin.unlock('it01', SELF_SERVICE))).code).toBe('NOT_FOUND');
    expect(admin.list().map((o) => o.id)).toEqual(['it01', 'sf002']);

    const acts = audit
      .list(100)
      .filter((r) => r.action.startsWith('operators.'))
      .map((r) => [r.operatorId, r.action, r.detail]);
    expect(acts).toEqual([
      [null, 'operators.enable', '信息科命令行：启用 sf002（对象 sf002）'],
      ['it01', 'operators.disable', '停用 sf002（对象 sf002）'],
      ['it01', 'operators.unlock', '解锁 sf002（对象 sf002）'],
      ['it01', 'operators.add', '新增操作员 sf002 刘洋（收费员）（对象 sf002）'],
      ['it01', 'operators.setup', '创建首个管理员 it01 周工（对象 it01）'],
    ]);
  });
});
