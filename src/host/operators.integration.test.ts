/**
 * Issue 11 through the real core (SQLite file, NHSA simulator on 127.0.0.1): a live-like first run refuses
 * everything until its first administrator exists; an admin-set password must be changed before anything else;
 * a locked window answers only its operator's password or a sign-out; a sign-in ends after its lifetime; a
 * sign-out ends the day's 9001 at the centre with 9002.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createStationFromConfig, type ComposedStation } from '../app/compose';
import { TRAINING_PASSWORD } from '../station/auth/training-operators';
import { POPULATION } from '../simulators/nhsa';
import type { StationEventName } from '../shared/api';
import { AuditRepo } from '../station/store';
import { FieldCipher, loadOrCreateDataKeys } from '../station/security';

const KDF = { N: 2 ** 14, r: 8, p: 1 };

/** The 9002 audit rows as the admin reads them (the centre's words sealed in the file, opened with the data key). */
function signOutRows(db: Database.Database): { outcome: string; detail: string }[] {
  const raw = db.prepare("SELECT detail FROM audit_log WHERE action = 'nhsa.signOut'").all() as { detail: string }[];
  for (const r of raw) expect(r.detail).not.toMatch(/中心业务繁忙/);
  const audit = new AuditRepo(db, 'test', new FieldCipher(loadOrCreateDataKeys(path.join(dataDir, 'keys'))));
  return audit
    .list(1000)
    .filter((r) => r.action === 'nhsa.signOut')
    .map(({ outcome, detail }) => ({ outcome, detail }));
}

let dataDir: string;
let station: ComposedStation | undefined;
let offsetMs = 0;

async function open(opts: { liveLikeFirstRun?: boolean; sweepEveryMs?: number } = {}) {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'station-operators-'));
  offsetMs = 0;
  const clock = { now: () => new Date(Date.now() + offsetMs), timeZone: 'Asia/Shanghai' };
  station = await createStationFromConfig({ dataDir, training: true, shell: 'browser', kdfCost: KDF, nhsaTimeoutMs: 3000, clock, ...opts });
  return station;
}
afterEach(async () => {
  await station?.close();
  station = undefined;
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function client(s: ComposedStation) {
  const session = s.core.openSession('ws');
  const events: StationEventName[] = [];
  const endedFor: string[] = [];
  s.core.subscribe(session, (event, payload) => {
    events.push(event);
    if (event === 'sessionEnded') endedFor.push((payload as { reason: string }).reason);
  });
  const call = (op: string, input: unknown = {}) => s.core.dispatch(session, op, input);
  return { call, events, endedFor };
}

describe('the centre sign-in of a day (AQ-09)', () => {
  it('an operator who never signed out is signed out at the centre (9002) once the day is over', async () => {
    const s = await open({ sweepEveryMs: 100 });
    const w = client(s);
    await w.call('login', { login: 'sf001', password: TRAINING_PASSWORD });
    expect(await w.call('identifyPatient', { method: 'idcard', certNo: POPULATION[0]!.idNo })).toMatchObject({ ok: true }); // 9001 today
    const db = new Database(path.join(dataDir, 'station.db'), { readonly: true });
    try {
      const open = () => db.prepare('SELECT count(*) AS n FROM nhsa_sign_ins WHERE signed_out_at IS NULL').get() as { n: number };
      expect(open()).toEqual({ n: 1 });
      offsetMs = 24 * 3_600_000; // the window was left open overnight
      await vi.waitFor(() => expect(open()).toEqual({ n: 0 }), { timeout: 10_000 });
      expect(s.training!.centre.control.messages().filter((m) => m.infno === '9002')).toHaveLength(1);
    } finally {
      db.close();
    }
  });
});

describe('a live station', () => {
  it('refuses every call until the first administrator exists; then an admin-set password must be changed first', async () => {
    const s = await open({ liveLikeFirstRun: true });
    const it1 = client(s);
    expect(await it1.call('stationInfo')).toMatchObject({ ok: true, value: { trainingMode: false, needsSetup: true } });
    expect(await it1.call('login', { login: 'sf001', password: TRAINING_PASSWORD })).toMatchObject({
      ok: false,
      error: { code: 'SETUP_REQUIRED' },
    });
    expect(await it1.call('setUpFirstAdmin', { id: 'it01', name: '周工', password: 'short1' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', message: '密码至少 8 位' },
    });
    expect(await it1.call('setUpFirstAdmin', { id: 'it01', name: '周工', password: 'Admin2026' })).toEqual({ ok: true, value: null });
    expect(await it1.call('stationInfo')).toMatchObject({ ok: true, value: { needsSetup: false } });
    expect(await it1.call('setUpFirstAdmin', { id: 'it02', name: '吴工', password: 'Admin2026' })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });

    expect(await it1.call('login', { login: 'it01', password: 'Admin2026' })).toMatchObject({ ok: true, value: { roles: ['admin'] } });
    expect(await it1.call('addOperator', { id: 'sf002', name: '刘洋', roles: ['cashier'], password: 'Start2026' })).toMatchObject({
      ok: true,
      value: { id: 'sf002', mustChangePassword: true },
    });

    const cashier = client(s);
    expect(await cashier.call('login', { login: 'sf002', password: 'Start2026' })).toMatchObject({
      ok: true,
      value: { mustChangePassword: true },
    });
    expect(await cashier.call('listTodayOrders')).toMatchObject({ ok: false, error: { code: 'PASSWORD_CHANGE_REQUIRED' } });
    expect(await cashier.call('addOperator', { id: 'x2', name: 'x', roles: ['admin'], password: 'Start2026' })).toMatchObject({
      ok: false,
      error: { code: 'PASSWORD_CHANGE_REQUIRED' },
    });
    expect(await cashier.call('changePassword', { current: 'Start2026', next: 'Mine2026x' })).toMatchObject({
      ok: true,
      value: { mustChangePassword: false },
    });
    expect(await cashier.call('listTodayOrders')).toEqual({ ok: true, value: [] });
    expect(await cashier.call('listOperators')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    // resetting a signed-in operator's password ends their session: the old password keeps no window open
    expect(await it1.call('resetOperatorPassword', { id: 'sf002', password: 'Reset2026' })).toMatchObject({ ok: true });
    expect(cashier.endedFor).toEqual(['password-reset']);
    expect(await cashier.call('currentOperator')).toEqual({ ok: true, value: null });
    expect(await it1.call('currentOperator')).toMatchObject({ ok: true, value: { id: 'it01' } });
    expect(await cashier.call('login', { login: 'sf002', password: 'Mine2026x' })).toMatchObject({ ok: false });
    expect(await cashier.call('login', { login: 'sf002', password: 'Reset2026' })).toMatchObject({ ok: true });

    // disabling a signed-in operator ends their session at once
    expect(await it1.call('disableOperator', { id: 'sf002' })).toMatchObject({ ok: true, value: { disabled: true } });
    expect(cashier.endedFor).toEqual(['password-reset', 'disabled']);
    expect(await cashier.call('currentOperator')).toEqual({ ok: true, value: null });
  });
});

describe('sessions', () => {
  it('a locked window answers only its operator’s password (or a sign-out); a sign-in ends after its lifetime', async () => {
    const s = await open();
    const w = client(s);
    await w.call('login', { login: 'sf001', password: TRAINING_PASSWORD });
    expect(await w.call('lockSession')).toEqual({ ok: true, value: null });
    expect(await w.call('listTodayOrders')).toMatchObject({ ok: false, error: { code: 'SESSION_LOCKED' } });
    expect(await w.call('unlockSession', { password: 'Wrong2026' })).toMatchObject({
      ok: false,
      error: { code: 'BAD_CREDENTIALS', message: '工号或密码错误，还可尝试 4 次' },
    });
    expect(await w.call('listTodayOrders')).toMatchObject({ ok: false, error: { code: 'SESSION_LOCKED' } });
    expect(await w.call('unlockSession', { password: TRAINING_PASSWORD })).toMatchObject({ ok: true, value: { id: 'sf001' } });
    expect(await w.call('listTodayOrders')).toMatchObject({ ok: true });

    offsetMs = 12 * 3_600_000 + 60_000;
    expect(await w.call('listTodayOrders')).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED', message: '登录已超过 12 小时，请重新登录' },
    });
    expect(w.events).toContain('sessionEnded');
    expect(await w.call('currentOperator')).toEqual({ ok: true, value: null });
  });

  it('another operator may sign out a locked window', async () => {
    const s = await open();
    const w = client(s);
    await w.call('login', { login: 'sf001', password: TRAINING_PASSWORD });
    await w.call('lockSession');
    expect(await w.call('logout')).toEqual({ ok: true, value: null });
    expect(await w.call('login', { login: 'hs001', password: TRAINING_PASSWORD })).toMatchObject({ ok: true, value: { id: 'hs001' } });
    expect(await w.call('listTodayOrders')).toMatchObject({ ok: true });
  });

  it('signing out sends 9002 for the day’s 9001 sign-in, and audits it', async () => {
    const s = await open();
    const w = client(s);
    await w.call('login', { login: 'sf001', password: TRAINING_PASSWORD });
    expect(await w.call('identifyPatient', { method: 'idcard', certNo: POPULATION[0]!.idNo })).toMatchObject({ ok: true });
    expect(await w.call('logout')).toEqual({ ok: true, value: null });
    const db = new Database(path.join(dataDir, 'station.db'), { readonly: true });
    try {
      await vi.waitFor(() => expect(signOutRows(db)).toEqual([{ outcome: 'ok', detail: '医保签退（9002）' }]));
      expect(db.prepare("SELECT count(*) AS n FROM nhsa_sign_ins WHERE operator_id = 'sf001' AND signed_out_at IS NOT NULL").get()).toEqual(
        {
          n: 1,
        },
      );
    } finally {
      db.close();
    }
  });

  it('a 9002 the centre refuses does not keep the window signed in, and is audited as failed', async () => {
    const s = await open();
    const w = client(s);
    await w.call('login', { login: 'sf001', password: TRAINING_PASSWORD });
    expect(await w.call('identifyPatient', { method: 'idcard', certNo: POPULATION[0]!.idNo })).toMatchObject({ ok: true });
    s.training!.centre.control.inject({ infno: '9002', fault: { kind: 'business-error', errMsg: '中心业务繁忙' } });
    expect(await w.call('logout')).toEqual({ ok: true, value: null });
    expect(await w.call('currentOperator')).toEqual({ ok: true, value: null });
    const db = new Database(path.join(dataDir, 'station.db'), { readonly: true });
    try {
      await vi.waitFor(() => expect(signOutRows(db)).toEqual([{ outcome: 'failed', detail: 'NHSA_SIGN_OUT 医保签退失败：中心业务繁忙' }]));
      expect(db.prepare('SELECT count(*) AS n FROM nhsa_sign_ins WHERE signed_out_at IS NULL').get()).toEqual({ n: 1 });
    } finally {
      db.close();
    }
  });
});
