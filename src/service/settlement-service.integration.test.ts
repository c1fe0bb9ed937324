/**
 * The settlement service on real HTTP over a real training station (issue 16, items 1 and 3): its SQLite, the
 * simulated centre, HIS's ward and the message gateway; the mobile-pay port is the test double. A nurse admitted
 * 黄志强 at the centre; his phone (a signed app) reads the pending fees, the shares, settles in one step behind the
 * security checks, reads the result and the guidance, and applies for the refund. Also: signatures refused when
 * wrong, replayed or stale; idempotency keys; the per-app rate; /openapi.json against the routes.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createStationFromConfig, type ComposedStation } from '../app/compose';
import { TRAINING_PASSWORD } from '../station/auth/training-operators';
import type { PatientView } from '../shared/domain';
import { ServiceConfigSchema } from './config';
import { startSettlementService, type SettlementService } from './settlement-service';
import { MobilePayDouble } from './testing/mobile-pay-double';
import { signedClient, type Answer } from './testing/signed-client';
import { requestHash, SqliteRequestBooks } from './request-books';
import { SettlementsRepo } from './settlements-repo';

/** 黄志强: resident scheme, in HIS and the centre's population; no personal account, so a cash part. */
const RESIDENT = { hisId: 'P000103', idNo: '350211195203054010' };
const WARD = 'W0301';
const APP = { appId: 'wx-oa-test', name: '医院公众号', secret: 'a1'.repeat(32), ratePerMinute: 1000 };
const SLOW_APP = { appId: 'kiosk-slow', name: '自助机', secret: 'b2'.repeat(32), ratePerMinute: 2 };
/** Inside the training geofence (its centre), and a point 5 km away. */
const AT_HOSPITAL = { latitude: 24.4798, longitude: 118.0894, accuracyMeters: 30 };
const DOWNTOWN = { latitude: 24.5249, longitude: 118.0894, accuracyMeters: 30 };
const PHONE = { wallet: 'wechat' as const, toUser: 'oPatient0001abcdefghijklmnop' };

let dataDir: string;
let station: ComposedStation;
let service: SettlementService;
let pay: MobilePayDouble;
let call: ReturnType<typeof signedClient>;
let iptNo: string;
/** Every answer must be a deliberate one: no request of these tests may end in INTERNAL. */
let internalErrors: string[];

async function admittedStay(): Promise<string> {
  const ward = station.training!.his.control.ward;
  const ipt = ward.admit({ patientId: RESIDENT.hisId, wardCode: WARD });
  // Items only before the discharge order: HIS times lines to the second, so a drug charged in the order's second
  // would count as taken home (the guidance's rule), and this test must not depend on the clock.
  ward.charge({ iptNo: ipt, day: '2026-12-01', lines: [{ hospCode: 'F0003', quantity: '2' }] });
  ward.charge({ iptNo: ipt, lines: [{ hospCode: 'F0002', quantity: '1' }] });
  const session = station.core.openSession('ws');
  const op = async <T>(name: string, input: unknown): Promise<T> => {
    const r = (await station.core.dispatch(session, name, input)) as { ok: true; value: T } | { ok: false; error: { message: string } };
    if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
    return r.value;
  };
  await op('login', { login: 'hs001', password: TRAINING_PASSWORD });
  const patient = await op<PatientView>('identifyPatient', { method: 'idcard', certNo: RESIDENT.idNo });
  await op('admitStay', { iptNo: ipt, identificationId: patient.identificationId });
  return ipt;
}

const faceJustNow = () => ({ passed: true, certifyId: 'FACE0001', verifiedAt: new Date().toISOString() });
const settleBody = (location = AT_HOSPITAL) => ({ payAuthNo: 'AUTH20261204000001', security: { face: faceJustNow(), location } });
const body = <T>(a: Answer) => a.body as T;

beforeEach(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'settlement-service-'));
  station = await createStationFromConfig({
    dataDir,
    training: true,
    shell: 'browser',
    kdfCost: { N: 2 ** 14, r: 8, p: 1 },
    nhsaTimeoutMs: 3000,
  });
  pay = new MobilePayDouble();
  internalErrors = [];
  service = await startSettlementService({
    db: station.db,
    inpatient: station.inpatient,
    pay,
    messages: station.messages,
    apps: () => [APP, SLOW_APP],
    config: ServiceConfigSchema.parse({ port: 0, messagesEveryMs: 600_000 }),
    phonePageDir: path.join(dataDir, 'no-phone-page'),
    onError: (what, e) => internalErrors.push(`${what}: ${String(e)}`),
  });
  call = signedClient(service.url, APP);
  iptNo = await admittedStay();
});
afterEach(async () => {
  await service.close();
  await station.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  expect(internalErrors).toEqual([]);
});

describe('signed requests', () => {
  it('answers a well-signed request and refuses a wrong secret, an unknown app, a stale time and a replayed nonce', async () => {
    const path = `/v1/inpatient/stays/${iptNo}`;
    expect((await call({ method: 'GET', path })).status).toBe(200);

    const wrong = await call({ method: 'GET', path, secret: 'c3'.repeat(32) });
    expect(wrong).toMatchObject({ status: 401, body: { error: { code: 'BAD_SIGNATURE' } } });
    const stranger = await signedClient(service.url, { appId: 'not-registered', secret: APP.secret })({ method: 'GET', path });
    expect(stranger).toMatchObject({ status: 401, body: { error: { code: 'UNKNOWN_APP' } } });
    const stale = await call({ method: 'GET', path, timestamp: Date.now() - 6 * 60_000 });
    expect(stale).toMatchObject({ status: 401, body: { error: { code: 'STALE_REQUEST' } } });

    const nonce = 'n0nce0000000000000001';
    expect((await call({ method: 'GET', path, nonce })).status).toBe(200);
    expect(await call({ method: 'GET', path, nonce })).toMatchObject({ status: 401, body: { error: { code: 'REPLAYED_REQUEST' } } });

    const unsigned = await fetch(service.url + path);
    expect(unsigned.status).toBe(401);
    expect(await unsigned.json()).toMatchObject({ error: { code: 'BAD_SIGNATURE' } });
  });

  it('refuses a body changed after signing', async () => {
    const timestamp = String(Date.now());
    const { signRequest } = await import('./signing');
    const nonce = 'tamper00000000000001';
    const signed = JSON.stringify({ wallet: 'wechat', toUser: 'oPatient0001abcdefghijklmnop' });
    const signature = signRequest(APP.secret, {
      method: 'POST',
      pathAndQuery: `/v1/inpatient/stays/${iptNo}/subscriptions`,
      appId: APP.appId,
      timestamp,
      nonce,
      body: signed,
    });
    const res = await fetch(`${service.url}/v1/inpatient/stays/${iptNo}/subscriptions`, {
      method: 'POST',
      headers: {
        'x-app-id': APP.appId,
        'x-timestamp': timestamp,
        'x-nonce': nonce,
        'x-signature': signature,
        'idempotency-key': 'tamper-key-01',
      },
      body: JSON.stringify({ wallet: 'wechat', toUser: 'oSomeoneElse0001abcdefghijkl' }),
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 'BAD_SIGNATURE' } });
  });

  it('limits each app to its rate: 429 with Retry-After, the other app unaffected', async () => {
    const slow = signedClient(service.url, SLOW_APP);
    const path = `/v1/inpatient/stays/${iptNo}/discharge-guidance`;
    expect((await slow({ method: 'GET', path })).status).toBe(200);
    expect((await slow({ method: 'GET', path })).status).toBe(200);
    const third = await slow({ method: 'GET', path });
    expect(third).toMatchObject({ status: 429, body: { error: { code: 'RATE_LIMITED' } } });
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await call({ method: 'GET', path })).status).toBe(200);
  });
});

describe('idempotency keys', () => {
  it('the same key and body get the first answer again (one 2303); another body 409; a POST without a key 400', async () => {
    const path = `/v1/inpatient/stays/${iptNo}/pre-settlement`;
    const centre = station.training!.centre.control;
    const priced = () => centre.requests().filter((r) => r.infno === '2303').length;
    const first = await call({ method: 'POST', path, body: {}, idempotencyKey: 'presettle-0001' });
    expect(first.status).toBe(200);
    const again = await call({ method: 'POST', path, body: {}, idempotencyKey: 'presettle-0001' });
    expect(again).toMatchObject({ status: 200, body: first.body });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(priced()).toBe(1);

    const sub = `/v1/inpatient/stays/${iptNo}/subscriptions`;
    expect((await call({ method: 'POST', path: sub, body: PHONE, idempotencyKey: 'subscribe-0001' })).status).toBe(201);
    const other = await call({
      method: 'POST',
      path: sub,
      body: { ...PHONE, toUser: 'oSomeoneElse0001abcdefghijkl' },
      idempotencyKey: 'subscribe-0001',
    });
    expect(other).toMatchObject({ status: 409, body: { error: { code: 'IDEMPOTENCY_KEY_REUSED' } } });
    expect(await call({ method: 'POST', path, body: {} })).toMatchObject({
      status: 400,
      body: { error: { code: 'IDEMPOTENCY_KEY_REQUIRED' } },
    });
  });

  it('refuses input out of its schema with the fields named, before anything is done', async () => {
    const bad = await call({
      method: 'POST',
      path: `/v1/inpatient/stays/${iptNo}/subscriptions`,
      body: { wallet: 'paypal' },
      idempotencyKey: 'bad-input-001',
    });
    expect(bad).toMatchObject({ status: 400, body: { error: { code: 'INVALID_INPUT' } } });
    expect(body<{ error: { issues: string[] } }>(bad).error.issues.join(' ')).toMatch(/wallet/);
  });
});

describe('the inpatient’s phone', () => {
  it('pending fees → shares → settle behind the checks → result → messages → guidance → refund', async () => {
    const ward = station.training!.his.control.ward;
    const fees = body<{ lines: { amountFen: number }[]; pendingFen: number; dischargeOrdered: boolean; patientName: string }>(
      await call({ method: 'GET', path: `/v1/inpatient/stays/${iptNo}` }),
    );
    expect(fees).toMatchObject({ dischargeOrdered: false, patientName: '黄*强' });
    expect(fees.lines).toHaveLength(2);
    expect(fees.lines.reduce((s, l) => s + l.amountFen, 0)).toBe(fees.pendingFen);

    expect(
      body(await call({ method: 'POST', path: `/v1/inpatient/stays/${iptNo}/subscriptions`, body: PHONE, idempotencyKey: 'sub-00000001' })),
    ).toMatchObject({ queued: [] });
    // Not discharged yet: the phone cannot settle.
    const early = await call({
      method: 'POST',
      path: `/v1/inpatient/stays/${iptNo}/settlements`,
      body: settleBody(),
      idempotencyKey: 'settle-early-01',
    });
    expect(early).toMatchObject({ status: 409, body: { error: { code: 'NOT_DISCHARGE_ORDERED' } } });

    ward.orderDischarge(iptNo);
    ward.charge({ iptNo, lines: [{ hospCode: 'Y0002', quantity: '2' }] }); // 出院带药
    const ordered = await call({ method: 'GET', path: `/v1/inpatient/stays/${iptNo}` });
    expect(ordered.body).toMatchObject({ dischargeOrdered: true, hisState: 'discharge-ordered' });

    const outside = await call({
      method: 'POST',
      path: `/v1/inpatient/stays/${iptNo}/settlements`,
      body: settleBody(DOWNTOWN),
      idempotencyKey: 'settle-far-0001',
    });
    expect(outside).toMatchObject({ status: 403, body: { error: { code: 'SECURITY_CHECK_FAILED' } } });
    const noFace = { ...settleBody(), security: { face: { ...faceJustNow(), passed: false }, location: AT_HOSPITAL } };
    expect(
      (await call({ method: 'POST', path: `/v1/inpatient/stays/${iptNo}/settlements`, body: noFace, idempotencyKey: 'settle-face-001' }))
        .status,
    ).toBe(403);
    expect(pay.calls).toEqual([]);

    const settled = await call({
      method: 'POST',
      path: `/v1/inpatient/stays/${iptNo}/settlements`,
      body: settleBody(),
      idempotencyKey: 'settle-0000001',
    });
    expect(settled.status).toBe(201);
    const s = body<{ settlementId: string; state: string; medfeeFen: number; fundFen: number; acctFen: number; cashFen: number }>(settled);
    expect(s.state).toBe('paid');
    expect(s.fundFen + s.acctFen + s.cashFen).toBe(s.medfeeFen);
    expect(s.medfeeFen).toBe(body<{ pendingFen: number }>(ordered).pendingFen);
    const shares = body<{ medfeeFen: number; discharge: boolean }>(
      await call({ method: 'POST', path: `/v1/inpatient/stays/${iptNo}/pre-settlement`, body: {}, idempotencyKey: 'presettle-after1' }),
    );
    expect(shares).toMatchObject({ medfeeFen: s.medfeeFen, discharge: true });
    const order = [...pay.orders.values()][0]!;
    expect(order).toMatchObject({ payments: 1, order: { medfeeFen: s.medfeeFen, cashFen: s.cashFen, payAuthNo: 'AUTH20261204000001' } });

    const result = await call({ method: 'GET', path: `/v1/inpatient/settlements/${s.settlementId}` });
    expect(result).toMatchObject({ status: 200, body: { state: 'paid', settlementId: s.settlementId } });
    const twice = await call({
      method: 'POST',
      path: `/v1/inpatient/stays/${iptNo}/settlements`,
      body: settleBody(),
      idempotencyKey: 'settle-0000002',
    });
    expect(twice).toMatchObject({ status: 409, body: { error: { code: 'CONFLICT' } } });

    expect(await service.messages.drain(Date.now)).toEqual({ sent: 2, failed: 0 });
    expect(station.training!.messages.control.inbox(PHONE.toUser).map((m) => m.template_id)).toEqual(['AWAITING_SETTLEMENT', 'SETTLED']);
    expect(await service.messages.drain(Date.now)).toEqual({ sent: 0, failed: 0 });

    const guidance = body<{ drugs: { name: string; quantity: string }[]; leaving: string[] }>(
      await call({ method: 'GET', path: `/v1/inpatient/stays/${iptNo}/discharge-guidance` }),
    );
    expect(guidance.drugs.map((d) => d.quantity)).toEqual(['2']);
    expect(guidance.leaving.length).toBeGreaterThan(0);

    const refund = await call({
      method: 'POST',
      path: `/v1/inpatient/settlements/${s.settlementId}/refund-applications`,
      body: { reason: '结算后发现费用有误' },
      idempotencyKey: 'refund-000001',
    });
    expect(refund).toMatchObject({ status: 201, body: { state: 'refunded', settlementId: s.settlementId } });
    expect(order.refunded).toBe(true);
    expect((await call({ method: 'GET', path: `/v1/inpatient/settlements/${s.settlementId}` })).body).toMatchObject({
      state: 'refunded',
      refunds: [{ state: 'refunded', reason: '结算后发现费用有误' }],
    });
  });

  it('a pay answer lost is settled by asking (paid once), never by paying again', async () => {
    station.training!.his.control.ward.orderDischarge(iptNo);
    pay.script('lose-answer');
    const settled = await call({
      method: 'POST',
      path: `/v1/inpatient/stays/${iptNo}/settlements`,
      body: settleBody(),
      idempotencyKey: 'settle-lost-01',
    });
    expect(settled).toMatchObject({ status: 201, body: { state: 'unknown' } });
    const id = body<{ settlementId: string }>(settled).settlementId;
    expect((await call({ method: 'GET', path: `/v1/inpatient/settlements/${id}` })).body).toMatchObject({ state: 'paid' });
    expect(pay.calls.filter((c) => c.startsWith('pay '))).toHaveLength(1);
    expect([...pay.orders.values()][0]!.payments).toBe(1);
  });

  it('a pay call that throws after paying leaves the settlement unknown, and asking settles it as paid', async () => {
    station.training!.his.control.ward.orderDischarge(iptNo);
    pay.script('throw-after-paying');
    const settled = await call({
      method: 'POST',
      path: `/v1/inpatient/stays/${iptNo}/settlements`,
      body: settleBody(),
      idempotencyKey: 'settle-throw-1',
    });
    expect(settled).toMatchObject({ status: 201, body: { state: 'unknown', detail: 'Error: socket hang up' } });
    const id = body<{ settlementId: string }>(settled).settlementId;
    expect((await call({ method: 'GET', path: `/v1/inpatient/settlements/${id}` })).body).toMatchObject({ state: 'paid' });
    expect([...pay.orders.values()][0]!.payments).toBe(1);
  });

  it('a refund whose answer is lost is asked again with the same application when the result is read: refunded once', async () => {
    station.training!.his.control.ward.orderDischarge(iptNo);
    const settled = await call({
      method: 'POST',
      path: `/v1/inpatient/stays/${iptNo}/settlements`,
      body: settleBody(),
      idempotencyKey: 'settle-rf-0001',
    });
    const id = body<{ settlementId: string }>(settled).settlementId;
    pay.scriptRefund('lose-answer');
    const applied = await call({
      method: 'POST',
      path: `/v1/inpatient/settlements/${id}/refund-applications`,
      body: { reason: '费用有误申请退费' },
      idempotencyKey: 'refund-lost-01',
    });
    expect(applied).toMatchObject({ status: 201, body: { state: 'unknown' } });
    const read = await call({ method: 'GET', path: `/v1/inpatient/settlements/${id}` });
    expect(read.body).toMatchObject({ state: 'refunded', refunds: [{ state: 'refunded' }] });
    expect(pay.calls.filter((c) => c.startsWith('refund '))).toHaveLength(2);
    expect([...pay.orders.values()][0]!.refunds).toBe(1);
  });

  it('a settlement left preparing by a stopped service (never paid) is failed when asked, so the stay can settle again', async () => {
    const stay = station.inpatient.stays.byIptNo(iptNo)!;
    const shares = { medfeeFen: 100, fundFen: 0, acctFen: 0, cashFen: 100 };
    const checks = settleBody().security;
    new SettlementsRepo(station.db).insert({
      id: 'abandoned01',
      appId: APP.appId,
      stayId: stay.id,
      iptNo,
      shares,
      checks,
      at: Date.now() - 3 * 60_000,
    });
    const asked = await call({ method: 'GET', path: '/v1/inpatient/settlements/abandoned01' });
    expect(asked.body).toMatchObject({ state: 'failed', detail: '办理中断，未扣费，请重新结算' });
    station.training!.his.control.ward.orderDischarge(iptNo);
    const settled = await call({
      method: 'POST',
      path: `/v1/inpatient/stays/${iptNo}/settlements`,
      body: settleBody(),
      idempotencyKey: 'settle-after-01',
    });
    expect(settled).toMatchObject({ status: 201, body: { state: 'paid' } });
    expect(pay.calls.filter((c) => c.startsWith('pay '))).toHaveLength(1);
  });

  it('a service killed mid-settle: the next one fails the unpaid settlement and frees its key at start; the app finds the stay’s settlement', async () => {
    const stay = station.inpatient.stays.byIptNo(iptNo)!;
    const checks = settleBody().security;
    const repo = new SettlementsRepo(station.db);
    repo.insert({
      id: 'killed01',
      appId: APP.appId,
      stayId: stay.id,
      iptNo,
      shares: { medfeeFen: 100, fundFen: 0, acctFen: 0, cashFen: 100 },
      checks,
      at: Date.now(),
    });
    const live = await call({ method: 'GET', path: `/v1/inpatient/stays/${iptNo}/settlement` });
    expect(live).toMatchObject({ status: 200, body: { settlement: { settlementId: 'killed01', state: 'preparing' } } });
    // The settle whose service was killed: its key left running.
    const key = 'settle-killed-01';
    const settle = settleBody();
    const settleUrl = `/v1/inpatient/stays/${iptNo}/settlements`;
    new SqliteRequestBooks(station.db).claim(APP.appId, key, requestHash('POST', settleUrl, JSON.stringify(settle)), Date.now());

    await service.close();
    service = await startSettlementService({
      db: station.db,
      inpatient: station.inpatient,
      pay,
      messages: station.messages,
      apps: () => [APP],
      config: ServiceConfigSchema.parse({ port: 0, messagesEveryMs: 600_000 }),
      phonePageDir: path.join(dataDir, 'no-phone-page'),
      onError: (what, e) => internalErrors.push(`${what}: ${String(e)}`),
    });
    call = signedClient(service.url, APP);
    expect(repo.get('killed01')).toMatchObject({ state: 'failed', detail: '办理中断，未扣费，请重新结算' });
    expect(await call({ method: 'GET', path: `/v1/inpatient/stays/${iptNo}/settlement` })).toMatchObject({ body: { settlement: null } });
    station.training!.his.control.ward.orderDischarge(iptNo);
    const again = await call({ method: 'POST', path: settleUrl, body: settle, idempotencyKey: key });
    expect(again).toMatchObject({ status: 201, body: { state: 'paid' } });
    expect(pay.calls.filter((c) => c.startsWith('pay '))).toHaveLength(1);
  });

  it('two phones settling one stay at once: one pays, the other is refused (409), one pay order', async () => {
    station.training!.his.control.ward.orderDischarge(iptNo);
    const other = signedClient(service.url, SLOW_APP);
    const path = `/v1/inpatient/stays/${iptNo}/settlements`;
    const answers = await Promise.all([
      call({ method: 'POST', path, body: settleBody(), idempotencyKey: 'phone-a-000001' }),
      other({ method: 'POST', path, body: settleBody(), idempotencyKey: 'phone-b-000001' }),
    ]);
    expect(answers.map((a) => a.status).sort(), JSON.stringify(answers.map((a) => a.body))).toEqual([201, 409]);
    expect(pay.orders.size).toBe(1);
    expect([...pay.orders.values()][0]!.payments).toBe(1);
  });

  it('tells a subscribed phone its stay awaits settlement once the doctor orders the discharge, once (HM-13)', async () => {
    const sub = await call({
      method: 'POST',
      path: `/v1/inpatient/stays/${iptNo}/subscriptions`,
      body: PHONE,
      idempotencyKey: 'sub-await-001',
    });
    expect(sub).toMatchObject({ status: 201, body: { queued: [] } });
    await service.tick();
    const inbox = () => station.training!.messages.control.inbox(PHONE.toUser);
    expect(inbox()).toEqual([]);
    station.training!.his.control.ward.orderDischarge(iptNo);
    await service.tick();
    await service.tick();
    expect(inbox().map((m) => [m.template_id, m.data.order_no])).toEqual([['AWAITING_SETTLEMENT', iptNo]]);
  });

  it('a stay not admitted at the centre is said so', async () => {
    const other = station.training!.his.control.ward.admit({ patientId: 'P000101', wardCode: WARD });
    const r = await call({
      method: 'POST',
      path: `/v1/inpatient/stays/${other}/pre-settlement`,
      body: {},
      idempotencyKey: 'not-admitted1',
    });
    expect(r).toMatchObject({ status: 404, body: { error: { code: 'NOT_ADMITTED' } } });
  });
});

describe('/openapi.json', () => {
  it('describes exactly the routes served, each refusing an unsigned call (not 404), each POST with its Idempotency-Key', async () => {
    const res = await fetch(`${service.url}/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      openapi: string;
      paths: Record<string, Record<string, { parameters: { name: string }[]; requestBody?: unknown }>>;
    };
    expect(doc.openapi).toMatch(/^3\./);
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
    const routes = service.routes.map((r) => `${r.method} ${r.path}`);
    expect(documented.sort()).toEqual(routes.sort());
    for (const [p, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const concrete = p.replace('{iptNo}', iptNo).replace('{settlementId}', 'abc123');
        const r = await fetch(service.url + concrete, { method: method.toUpperCase(), ...(method === 'post' ? { body: '{}' } : {}) });
        expect(r.status, `${method} ${p}`).toBe(401);
        if (method === 'post') {
          expect(op.parameters.map((x) => x.name)).toContain('Idempotency-Key');
          expect(op.requestBody).toBeDefined();
        }
      }
    }
  });
});
