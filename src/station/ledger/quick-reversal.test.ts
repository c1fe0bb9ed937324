/**
 * The administrator's quick reversal (HX-37, HX-43) over a real station database, real operators and the real
 * sign-in check: a completed bill goes to the refund saga, an unsettled registration to the full undo, anything
 * else is refused; with the second-person setting on, the request needs another administrator's 工号 + password —
 * the requester's own, a wrong password, or a cashier's are refused — and request and approval are each audited
 * under their own names, refusals too. The sagas themselves are the cashier's (tested with them): here they only
 * record that they were asked.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OperatorView, OrderState, OrderView, SignedInOperator } from '../../shared/domain';
import { StationError } from '../../shared/result';
import { LoginService } from '../auth';
import { FieldCipher, hashPassword, loadOrCreateDataKeys } from '../security';
import { PHONE_ROW_NOTICE } from '../../shared/finance-lists';
import { seedMobile, seedMobileOrders } from './testing/seed-mobile';
import { AuditRepo, OperatorsRepo, openDatabase, type Db } from '../store';
import { QuickReversal } from './quick-reversal';

const COST = { N: 2 ** 14, r: 8, p: 1 };
const NOW = new Date('2026-12-04T04:00:00.000Z');
const admin1: SignedInOperator = { id: 'admin1', name: '陈立', role: 'admin', roles: ['admin'], mustChangePassword: false };

let dir: string;
let db: Db;
let audit: AuditRepo;
let calls: string[];
let reversal: QuickReversal;
const states = new Map<string, OrderState>([
  ['o-done', 'completed'],
  ['o-reg', 'previewed'],
  ['o-open', 'open'],
  ['o-refunded', 'refunded'],
]);

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quick-reversal-'));
  db = openDatabase(path.join(dir, 'station.db'));
  const operators = new OperatorsRepo(db);
  audit = new AuditRepo(db, 'W01');
  for (const [id, name, role] of [
    ['admin1', '陈立', 'admin'],
    ['admin2', '林审', 'admin'],
    ['sf001', '张敏', 'cashier'],
  ] as const)
    operators.insert({ id, name, roles: [role], passwordHash: await hashPassword('Right2026', COST) }, NOW);
  operators.insert(
    { id: 'admin3', name: '王新', roles: ['admin'], passwordHash: await hashPassword('Right2026', COST), mustChangePassword: true },
    NOW,
  );
  calls = [];
  const saga = (name: string, state: OrderState) => (operator: OperatorView, orderId: string, why?: string) => {
    calls.push(`${name} ${orderId} by ${operator.id}: ${why ?? ''}`);
    return Promise.resolve({ id: orderId, state } as OrderView);
  };
  reversal = new QuickReversal({
    db,
    audit,
    now: () => NOW,
    login: new LoginService(operators, audit, { maxAttempts: 5, lockMinutes: 15 }, COST, () => NOW, 'Asia/Shanghai'),
    orders: { get: (id) => (states.has(id) ? { state: states.get(id)! } : undefined) },
    outpatient: { refundOrder: saga('refund', 'refunding'), cancelSettlement: saga('cancel', 'open') },
  });
});
afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function refusal(p: Promise<unknown>): Promise<StationError> {
  const e = await p.then(
    () => new Error('reversed'),
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(StationError);
  return e as StationError;
}
const trail = () =>
  audit
    .list(50)
    .filter((e) => e.action.startsWith('ledger.reversal'))
    .map((e) => `${e.operatorId} ${e.action} ${e.outcome}`)
    .reverse();

describe('quick reversal', () => {
  it('without the setting: a completed bill is refunded, an unsettled registration undone, other states refused', async () => {
    expect(reversal.settings()).toEqual({ approvalRequired: false });
    expect((await reversal.reverse(admin1, { orderId: 'o-done', reason: '收费错误' })).state).toBe('refunding');
    expect((await reversal.reverse(admin1, { orderId: 'o-reg', reason: '患者离开' })).state).toBe('open');
    expect((await refusal(reversal.reverse(admin1, { orderId: 'o-open', reason: 'x' }))).code).toBe('CONFLICT');
    expect((await refusal(reversal.reverse(admin1, { orderId: 'o-refunded', reason: 'x' }))).code).toBe('CONFLICT');
    expect((await refusal(reversal.reverse(admin1, { orderId: 'o-none', reason: 'x' }))).code).toBe('NOT_FOUND');
    expect(calls).toEqual(['refund o-done by admin1: 收费错误', 'cancel o-reg by admin1: 患者离开']);
    expect(trail()).toEqual([
      'admin1 ledger.reversal ok',
      'admin1 ledger.reversal ok',
      'admin1 ledger.reversal denied',
      'admin1 ledger.reversal denied',
      'admin1 ledger.reversal denied',
    ]);
  });

  it('with the setting: no approver, self-approval, a wrong password and a cashier are refused; another admin approves', async () => {
    expect(reversal.setSettings(admin1, { approvalRequired: true })).toEqual({ approvalRequired: true });
    const ask = (approver?: { id: string; password: string }) =>
      reversal.reverse(admin1, { orderId: 'o-done', reason: '收费错误', approver });

    expect((await refusal(ask())).message).toContain('第二人审批');
    const self = await refusal(ask({ id: 'admin1', password: 'Right2026' }));
    expect([self.code, self.message]).toEqual(['CONFLICT', '不能审批自己的撤销申请，请另一位管理员审批']);
    const wrong = await refusal(ask({ id: 'admin2', password: 'Wrong2026' }));
    expect(wrong.code).toBe('BAD_CREDENTIALS');
    expect(wrong.message).toContain('工号或密码错误');
    expect((await refusal(ask({ id: 'sf001', password: 'Right2026' }))).message).toBe('审批人须为系统管理员');
    // a password admin1 set for admin3 is known to admin1: no second person until admin3 changes it
    expect((await refusal(ask({ id: 'admin3', password: 'Right2026' }))).message).toContain('修改管理员设置的初始密码');
    expect(calls).toEqual([]);

    expect((await ask({ id: 'admin2', password: 'Right2026' })).state).toBe('refunding');
    expect(calls).toEqual(['refund o-done by admin1: 收费错误']);
    expect(trail()).toEqual([
      'admin1 ledger.reversal.setting ok',
      'admin1 ledger.reversal denied', // no approver
      'admin1 ledger.reversal denied', // self
      'admin1 ledger.reversal.approve denied',
      'admin1 ledger.reversal denied', // wrong password
      'admin2 ledger.reversal.approve denied',
      'admin1 ledger.reversal denied', // a cashier
      'sf001 ledger.reversal.approve denied',
      'admin1 ledger.reversal denied', // admin3's password is still the one admin1 set
      'admin3 ledger.reversal.approve denied',
      'admin2 ledger.reversal.approve ok',
      'admin1 ledger.reversal ok',
    ]);
    const approved = audit.list(50).find((e) => e.action === 'ledger.reversal' && e.outcome === 'ok')!;
    expect(approved.detail).toContain('approved by admin2');
  });

  it('a phone’s order (医保移动支付) on the lists is refused with where it is undone, audited; no saga is called', async () => {
    const phone = seedMobile(1, NOW);
    seedMobileOrders(db, new FieldCipher(loadOrCreateDataKeys(path.join(dir, 'keys'))), [phone]);
    const refused = await refusal(reversal.reverse(admin1, { orderId: phone.id, reason: '收费错误' }));
    expect([refused.code, refused.message]).toEqual(['CONFLICT', PHONE_ROW_NOTICE]);
    expect(calls).toEqual([]);
    expect(trail()).toEqual(['admin1 ledger.reversal denied']);
  });

  it('the setting survives a restart of the service (it lives in the station database)', () => {
    reversal.setSettings(admin1, { approvalRequired: true });
    const again = new QuickReversal({
      db,
      audit,
      now: () => NOW,
      login: { login: () => Promise.reject(new Error('unused')) },
      orders: { get: () => undefined },
      outpatient: { refundOrder: () => Promise.reject(new Error('unused')), cancelSettlement: () => Promise.reject(new Error('unused')) },
    });
    expect(again.settings()).toEqual({ approvalRequired: true });
  });
});
