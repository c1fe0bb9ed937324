/**
 * The `operators` command line as IT runs it: a child process (tsx) against a temp data dir's real SQLite file,
 * passwords piped on stdin (never argv), and the result checked by signing in through the core's login service.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AuditRepo, OperatorsRepo, openDatabase } from '../../station/store';
import { LoginService } from '../../station/auth/login';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..', '..');
let dataDir: string;

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'station-cli-ops-'));
  openDatabase(path.join(dataDir, 'station.db')).close();
});
afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

function cli(args: string[], stdin = '') {
  const r = spawnSync(
    process.execPath,
    [
      path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'),
      path.join(ROOT, 'src/host/cli/index.ts'),
      'operators',
      ...args,
      '--data-dir',
      dataDir,
    ],
    {
      input: stdin,
      encoding: 'utf8',
      cwd: ROOT,
    },
  );
  return { code: r.status, out: r.stdout, err: r.stderr };
}

async function signIn(id: string, password: string) {
  const db = openDatabase(path.join(dataDir, 'station.db'));
  try {
    const login = new LoginService(
      new OperatorsRepo(db),
      new AuditRepo(db, 't'),
      { maxAttempts: 5, lockMinutes: 15 },
      { N: 2 ** 14, r: 8, p: 1 },
      () => new Date(),
      'Asia/Shanghai',
    );
    return await login.login(id, password).catch((e: unknown) => (e as Error).message);
  } finally {
    db.close();
  }
}

// Each step is a new tsx process hashing at the production cost (scrypt N=2^17): slow on a loaded 2-core machine.
describe('npm run station -- operators', { timeout: 120_000 }, () => {
  it('adds with several roles from a piped password, lists states, resets, disables, enables, unlocks', async () => {
    const add = cli(['add', 'sf002', '刘洋', 'cashier,nurse'], 'Start2026\nStart2026\n');
    expect(add).toMatchObject({ code: 0, out: '已新增 sf002 刘洋（收费员、护士），首次登录须修改密码\n' });
    expect(await signIn('sf002', 'Start2026')).toMatchObject({ roles: ['cashier', 'nurse'], mustChangePassword: true });
    expect(cli(['list']).out).toMatch(/^sf002\s+刘洋\s+收费员、护士\s+需改密码\n$/);

    expect(cli(['reset', 'sf002'], 'Reset2026\n')).toMatchObject({ code: 0 });
    expect(await signIn('sf002', 'Reset2026')).toMatchObject({ mustChangePassword: true });

    expect(cli(['disable', 'sf002'])).toMatchObject({ code: 0, out: '已停用 sf002\n' });
    expect(cli(['list']).out).toContain('停用，需改密码');
    expect(await signIn('sf002', 'Reset2026')).toBe('工号或密码错误，还可尝试 4 次'); // as for any wrong sign-in: a disabled account is not told apart;
    expect(cli(['enable', 'sf002'])).toMatchObject({ code: 0 });
    for (let i = 0; i < 5; i++) await signIn('sf002', 'Wrong2026');
    expect(cli(['list']).out).toContain('锁定至');
    expect(cli(['unlock', 'sf002'])).toMatchObject({ code: 0, out: '已解锁 sf002\n' });
    expect(await signIn('sf002', 'Reset2026')).toMatchObject({ id: 'sf002' });

    const db = openDatabase(path.join(dataDir, 'station.db'));
    const acts = new AuditRepo(db, 't')
      .list(100)
      .filter((r) => r.action.startsWith('operators.'))
      .map((r) => `${r.operatorId ?? '-'} ${r.action}`);
    db.close();
    expect(acts).toEqual(['- operators.unlock', '- operators.enable', '- operators.disable', '- operators.reset', '- operators.add']);
  });

  it('refuses a weak password, two different entries, an unknown role and an unknown 工号, changing nothing', async () => {
    expect(cli(['add', 'sf003', '赵雷', 'cashier'], 'abcdefgh\n')).toMatchObject({ code: 1, err: '密码须同时包含字母和数字\n' });
    expect(cli(['add', 'sf003', '赵雷', 'cashier'], 'Start2026\nStart2027\n')).toMatchObject({ code: 1, err: '两次输入的密码不一致\n' });
    expect(cli(['add', 'sf003', '赵雷', 'boss'], 'Start2026\n').code).toBe(1);
    expect(cli(['unlock', 'nobody'])).toMatchObject({ code: 1, err: '没有工号为 nobody 的操作员\n' });
    expect(cli(['list']).out).toBe('尚无操作员\n');
  });
});
