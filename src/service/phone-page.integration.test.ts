/**
 * The patient's page on the service (issue 16 item 3), on real HTTP over a training station: the signed app mints
 * a short-lived session for one stay; the page's /m/api calls carry only that token and reach only that stay
 * (fees → shares → settle → result → refund → guidance); a wrong, missing or expired token is refused; the page's
 * files are served under /m/ with the strict CSP and nothing outside their folder.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { AT_HOSPITAL, RIG_APP, startServiceRig, type ServiceRig } from './testing/service-rig';
import { SERVICE_KEYS_FILE } from './app-keys';
import { mintPhoneLink } from './phone-link';
import { PHONE_SESSION_MINUTES } from './phone-sessions';
import { PHONE_RATE_PER_MINUTE } from './server';

const RESIDENT = { hisId: 'P000103', idNo: '350211195203054010' };
const OTHER = { hisId: 'P000101', idNo: '350203196804122036' };

let rig: ServiceRig;
let pageDir: string;

beforeEach(async () => {
  pageDir = fs.mkdtempSync(path.join(os.tmpdir(), 'phone-page-'));
  fs.mkdirSync(path.join(pageDir, 'assets'));
  fs.writeFileSync(path.join(pageDir, 'index.html'), '<!doctype html><title>出院结算</title>');
  fs.writeFileSync(path.join(pageDir, 'assets', 'page.js'), 'export {};');
  fs.writeFileSync(path.join(path.dirname(pageDir), `${path.basename(pageDir)}-secret.txt`), 'not served');
  rig = await startServiceRig({ phonePageDir: pageDir });
});
afterEach(async () => {
  await rig.close();
  fs.rmSync(pageDir, { recursive: true, force: true });
  fs.rmSync(path.join(path.dirname(pageDir), `${path.basename(pageDir)}-secret.txt`), { force: true });
  expect(rig.internalErrors).toEqual([]);
});

async function mint(iptNo: string): Promise<string> {
  const r = await rig.call({ method: 'POST', path: '/v1/phone-sessions', body: { iptNo }, idempotencyKey: `mint-${iptNo}-${Date.now()}` });
  expect(r.status).toBe(201);
  const { token, pageUrl } = r.body as { token: string; pageUrl: string };
  expect(pageUrl).toBe(`/m/#t=${token}`);
  return token;
}

/** The page's own fetch: the session token, and an Idempotency-Key on each POST. */
function page(token: string) {
  let n = 0;
  const call = async (method: 'GET' | 'POST', p: string, body?: unknown) => {
    const res = await fetch(rig.service.url + p, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        ...(method === 'POST' ? { 'idempotency-key': `page-key-${++n}-${token.slice(0, 8)}` } : {}),
      },
      ...(method === 'POST' ? { body: JSON.stringify(body ?? {}) } : {}),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  return Object.assign(call, { token });
}

const settleBody = () => ({
  payAuthNo: 'AUTH20261204000009',
  security: { face: { passed: true, certifyId: 'FACE0009', verifiedAt: new Date().toISOString() }, location: AT_HOSPITAL },
});

describe('the patient page’s session', () => {
  it('settles and refunds one stay with the token only: fees → shares → settle → result → refund → guidance', async () => {
    const iptNo = await rig.admitStay(RESIDENT);
    const ward = rig.station.training!.his.control.ward;
    ward.charge({ iptNo, day: '2026-12-01', lines: [{ hospCode: 'F0003', quantity: '2' }] });
    ward.orderDischarge(iptNo);
    const m = page(await mint(iptNo));

    const fees = await m('GET', '/m/api/stay');
    expect(fees).toMatchObject({ status: 200, body: { iptNo, dischargeOrdered: true, patientName: '黄*强' } });
    const shares = await m('POST', '/m/api/pre-settlement');
    expect(shares).toMatchObject({ status: 200, body: { iptNo, medfeeFen: fees.body.pendingFen } });

    expect(await m('GET', '/m/api/settlement')).toMatchObject({ status: 200, body: { settlement: null } });
    const settled = await m('POST', '/m/api/settlements', settleBody());
    expect(settled).toMatchObject({ status: 201, body: { iptNo, state: 'paid', medfeeFen: fees.body.pendingFen } });
    const id = settled.body.settlementId as string;
    expect(await m('GET', '/m/api/settlement')).toMatchObject({ status: 200, body: { settlement: { settlementId: id, state: 'paid' } } });
    expect([...rig.pay.orders.values()].map((o) => [o.order.iptNo, o.payments])).toEqual([[iptNo, 1]]);
    expect(await m('GET', `/m/api/settlements/${id}`)).toMatchObject({ status: 200, body: { state: 'paid' } });

    const refund = await m('POST', `/m/api/settlements/${id}/refund-applications`, { reason: '费用有疑问' });
    expect(refund).toMatchObject({ status: 201, body: { state: 'refunded', settlementId: id } });
    expect([...rig.pay.orders.values()][0]!.refunds).toBe(1);
    expect((await m('GET', '/m/api/discharge-guidance')).body).toMatchObject({ iptNo });
  });

  it('reaches only its own stay: another stay’s settlement is not found to it', async () => {
    const iptNo = await rig.admitStay(RESIDENT);
    rig.station.training!.his.control.ward.charge({ iptNo, day: '2026-12-01', lines: [{ hospCode: 'F0003', quantity: '1' }] });
    rig.station.training!.his.control.ward.orderDischarge(iptNo);
    const mine = page(await mint(iptNo));
    const settled = await mine('POST', '/m/api/settlements', settleBody());
    expect(settled).toMatchObject({ status: 201, body: { state: 'paid' } });
    const id = settled.body.settlementId as string;

    const otherIpt = rig.station.training!.his.control.ward.admit({ patientId: OTHER.hisId, wardCode: 'W0301' });
    const theirs = page(await mint(otherIpt));
    expect(await theirs('GET', `/m/api/settlements/${id}`)).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND' } } });
    expect(await theirs('POST', `/m/api/settlements/${id}/refund-applications`, { reason: '不是我的' })).toMatchObject({ status: 404 });
    expect([...rig.pay.orders.values()][0]!.refunds).toBe(0);
    expect((await theirs('GET', '/m/api/stay')).body).toMatchObject({ iptNo: otherIpt });
  });

  it('refuses a missing, a made-up and an expired token; an unknown stay gets no session', async () => {
    const iptNo = await rig.admitStay(RESIDENT);
    expect(await page('')('GET', '/m/api/stay')).toMatchObject({ status: 401, body: { error: { code: 'SESSION_INVALID' } } });
    expect(await page('x'.repeat(43))('GET', '/m/api/stay')).toMatchObject({ status: 401, body: { error: { code: 'SESSION_INVALID' } } });
    const m = page(await mint(iptNo));
    expect((await m('GET', '/m/api/stay')).status).toBe(200);
    rig.skew.ms = PHONE_SESSION_MINUTES * 60_000 + 1000;
    expect(await m('GET', '/m/api/stay')).toMatchObject({ status: 401, body: { error: { code: 'SESSION_INVALID' } } });

    const unknown = await rig.call({
      method: 'POST',
      path: '/v1/phone-sessions',
      body: { iptNo: 'ZY-NOPE-1' },
      idempotencyKey: 'mint-unknown-1',
    });
    expect(unknown).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND' } } });
    const unsigned = await fetch(`${rig.service.url}/v1/phone-sessions`, { method: 'POST', body: JSON.stringify({ iptNo }) });
    expect(unsigned.status).toBe(401);
  });
});

describe('the page’s rate', () => {
  it('limits each stay’s page to a person’s rate (429 with Retry-After); another stay’s page is unaffected', async () => {
    await rig.close();
    const frozen = Date.now();
    rig = await startServiceRig({ phonePageDir: pageDir, clock: () => frozen });
    const iptNo = await rig.admitStay(RESIDENT);
    const otherIpt = rig.station.training!.his.control.ward.admit({ patientId: OTHER.hisId, wardCode: 'W0301' });
    const mine = page(await mint(iptNo));
    const theirs = page(await mint(otherIpt));
    for (let i = 0; i < PHONE_RATE_PER_MINUTE; i++) expect((await mine('GET', '/m/api/settlements/none')).status).toBe(404);
    const over = await fetch(`${rig.service.url}/m/api/settlements/none`, { headers: { authorization: `Bearer ${mine.token}` } });
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await theirs('GET', '/m/api/settlements/none')).status).toBe(404);
  });
});

describe('npm run station -- service phone-link', () => {
  it('prints the page’s address for a stay, minted as the registered app; the token in it reaches that stay', async () => {
    const iptNo = await rig.admitStay(RESIDENT);
    const keysDir = fs.mkdtempSync(path.join(os.tmpdir(), 'phone-link-'));
    try {
      fs.writeFileSync(path.join(keysDir, SERVICE_KEYS_FILE), JSON.stringify({ apps: [RIG_APP] }), { mode: 0o600 });
      const root = path.resolve(import.meta.dirname, '..', '..');
      const cli = (...args: string[]) =>
        promisify(execFile)(
          process.execPath,
          [
            path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
            'src/host/cli/index.ts',
            'service',
            'phone-link',
            ...args,
            '--data-dir',
            keysDir,
          ],
          { cwd: root, encoding: 'utf8' },
        );
      const { stdout } = await cli(iptNo, '--app', RIG_APP.appId, '--url', rig.service.url);
      const url = stdout.trim().split('\n').at(-1)!;
      expect(url.startsWith(`${rig.service.url}/m/#t=`)).toBe(true);
      const token = url.split('#t=')[1]!;
      expect((await page(token)('GET', '/m/api/stay')).body).toMatchObject({ iptNo });
      await expect(cli(iptNo, '--app', 'not-registered', '--url', rig.service.url)).rejects.toMatchObject({
        code: 1,
        stderr: expect.stringContaining('未登记'),
      });
    } finally {
      fs.rmSync(keysDir, { recursive: true, force: true });
    }
  }, 60_000);

  it('says why when the service refuses: a wrong secret', async () => {
    const iptNo = await rig.admitStay(RESIDENT);
    await expect(mintPhoneLink(rig.service.url, { ...RIG_APP, secret: 'c3'.repeat(32) }, iptNo)).rejects.toThrow(/BAD_SIGNATURE/);
  });
});

describe('the page’s files under /m/', () => {
  it('serves the page and its assets with the strict CSP, nothing outside the folder, no other method', async () => {
    const home = await fetch(`${rig.service.url}/m/`);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('出院结算');
    const csp = home.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toContain('unsafe');
    expect(home.headers.get('content-type')).toMatch(/^text\/html/);
    expect((await fetch(`${rig.service.url}/m/assets/page.js`)).headers.get('content-type')).toMatch(/^text\/javascript/);
    const escape = `/m/..%2F${path.basename(pageDir)}-secret.txt`;
    expect((await fetch(rig.service.url + escape)).status).toBe(404);
    expect((await fetch(`${rig.service.url}/m/missing.js`)).status).toBe(404);
    expect((await fetch(`${rig.service.url}/m/`, { method: 'POST' })).status).toBe(405);
  });
});
