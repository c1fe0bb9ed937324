// The simulated platform driven by a hand-made merchant (its own signing, written here), so that a mistake
// shared by the simulator and the station's client cannot hide.
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { channelOfAuthCode } from './platform';
import { startPayChannel, type PayChannelSimulator } from './server';

const MCH = 'M100';
const KEY = 'K'.repeat(32);
let now = Date.parse('2026-11-22T02:15:30Z');
let sim: PayChannelSimulator;

function signed(fields: Record<string, string | number>, key = KEY): Record<string, string | number> {
  const all: Record<string, string | number> = { mch_id: MCH, nonce_str: 'N'.repeat(32), sign_type: 'HMAC-SHA256', ...fields };
  const base =
    Object.keys(all)
      .sort()
      .filter((k) => all[k] !== '')
      .map((k) => `${k}=${all[k]}`)
      .join('&') + `&key=${key}`;
  return { ...all, sign: createHmac('sha256', key).update(base).digest('hex').toUpperCase() };
}

function verifies(answer: Record<string, unknown>, key = KEY): boolean {
  const base =
    Object.keys(answer)
      .sort()
      .filter((k) => k !== 'sign' && answer[k] !== '')
      .map((k) => `${k}=${String(answer[k])}`)
      .join('&') + `&key=${key}`;
  return answer.sign === createHmac('sha256', key).update(base).digest('hex').toUpperCase();
}

async function post(op: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${sim.url}/${op}`, { method: 'POST', body: JSON.stringify(body) });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

async function control(body: unknown): Promise<unknown> {
  const res = await fetch(`${sim.url}/__control`, { method: 'POST', body: JSON.stringify(body) });
  return res.json();
}

beforeEach(async () => {
  now = Date.parse('2026-11-22T02:15:30Z');
  sim = await startPayChannel({
    merchants: [{ mchId: MCH, key: KEY }],
    seed: 7,
    now: () => new Date(now),
    rules: { minReverseAgeMs: 0, minCloseAgeMs: 0 },
  });
});
afterEach(async () => {
  await sim.close();
});

describe('the gate', () => {
  it('refuses an unknown merchant without a signature (it has no key to sign with)', async () => {
    const answer = await post('orderquery', { ...signed({ out_trade_no: 'A' }), mch_id: 'NOBODY' });
    expect(answer).toEqual({ return_code: 'FAIL', return_msg: '商户号不存在', mch_id: 'NOBODY', out_trade_no: 'A' });
  });

  it('refuses a bad signature with a signed answer and records nothing', async () => {
    const answer = await post(
      'micropay',
      signed({ out_trade_no: 'A', total_fee: 1, body: 'x', auth_code: '134567890123456789' }, 'x'.repeat(32)),
    );
    expect(answer).toMatchObject({ return_code: 'FAIL', return_msg: '签名错误' });
    expect(verifies(answer)).toBe(true);
    expect(sim.control.trades()).toEqual([]);
    expect(sim.control.requests()).toEqual([{ op: 'micropay', outTradeNo: 'A', verified: false }]);
  });

  it('names the fields it cannot accept', async () => {
    const answer = await post('precreate', signed({ out_trade_no: 'A', total_fee: 0, body: 'x', time_expire: '2026' }));
    expect(answer).toMatchObject({ return_code: 'SUCCESS', result_code: 'FAIL', err_code: 'PARAM_ERROR' });
    expect(answer.err_code_des).toContain('total_fee');
    expect(answer.err_code_des).toContain('time_expire');
  });

  it('refuses nested values (they cannot be signed)', async () => {
    const answer = await post('orderquery', { ...signed({ out_trade_no: 'A' }), extra: { a: 1 } });
    expect(answer).toMatchObject({ return_code: 'FAIL', return_msg: '请求不是平铺的JSON对象' });
  });
});

describe('wallets and the patient, through the control endpoint', () => {
  it('issues codes of each vendor format and pays a QR from them', async () => {
    const wx = (await control({ op: 'wallet', channel: 'WECHAT', balanceFen: 500 })) as { authCode: string };
    const ali = (await control({ op: 'wallet', channel: 'ALIPAY', balanceFen: 500 })) as { authCode: string };
    expect(channelOfAuthCode(wx.authCode)).toBe('WECHAT');
    expect(channelOfAuthCode(ali.authCode)).toBe('ALIPAY');
    const order = await post(
      'precreate',
      signed({ out_trade_no: 'Q1', total_fee: 300, body: '挂号', time_expire: '20261122103000', channel: 'ALIPAY' }),
    );
    expect(verifies(order)).toBe(true);
    expect(await control({ op: 'payQr', codeUrl: order.code_url, authCode: wx.authCode })).toEqual({
      paid: false,
      reason: 'WRONG_CHANNEL',
    });
    expect(await control({ op: 'payQr', codeUrl: order.code_url, authCode: ali.authCode })).toEqual({ paid: true, outTradeNo: 'Q1' });
    expect(await control({ op: 'totals', day: '20261122' })).toEqual({ payments: 1, paidFen: 300, refundedFen: 0, netFen: 300 });
  });

  it('the same seed gives the same codes', async () => {
    const first = sim.control.wallet({ channel: 'WECHAT', balanceFen: 1 });
    await sim.close();
    sim = await startPayChannel({ merchants: [{ mchId: MCH, key: KEY }], seed: 7, now: () => new Date(now) });
    expect(sim.control.wallet({ channel: 'WECHAT', balanceFen: 1 })).toEqual(first);
  });

  it('faults are injected over HTTP too', async () => {
    await control({ op: 'inject', rule: { op: 'orderquery', fault: { kind: 'http-500' }, times: 1 } });
    const res = await fetch(`${sim.url}/orderquery`, { method: 'POST', body: JSON.stringify(signed({ out_trade_no: 'A' })) });
    expect(res.status).toBe(500);
    expect((await post('orderquery', signed({ out_trade_no: 'A' }))).err_code).toBe('ORDERNOTEXIST');
  });
});

describe('the books', () => {
  it('show every trade as of now with what was refunded; a refuse fault is a signed refusal that records nothing', async () => {
    const rich = sim.control.wallet({ channel: 'WECHAT', balanceFen: 10_000 });
    const other = sim.control.wallet({ channel: 'ALIPAY', balanceFen: 10_000 });
    sim.control.inject({ op: 'micropay', fault: { kind: 'refuse', code: 'AUTHCODEEXPIRE', msg: '付款码已过期' }, times: 1 });
    const refused = await post('micropay', signed({ out_trade_no: 'P0', total_fee: 100, body: 'x', auth_code: rich.authCode }));
    expect(refused).toMatchObject({ result_code: 'FAIL', err_code: 'AUTHCODEEXPIRE', err_code_des: '付款码已过期' });
    expect(verifies(refused)).toBe(true);
    expect(sim.control.books()).toEqual({ trades: [], refunds: [] });
    expect(await post('micropay', signed({ out_trade_no: 'P1', total_fee: 600, body: 'x', auth_code: rich.authCode }))).toMatchObject({
      result_code: 'SUCCESS',
    });
    expect(await post('micropay', signed({ out_trade_no: 'P2', total_fee: 300, body: 'x', auth_code: other.authCode }))).toMatchObject({
      result_code: 'SUCCESS',
    });
    expect(await post('reverse', signed({ out_trade_no: 'P2' }))).toMatchObject({ result_code: 'SUCCESS', reverse_action: 'REFUND' });
    expect(await post('refund', signed({ out_trade_no: 'P1', out_refund_no: 'R1', total_fee: 600, refund_fee: 200 }))).toMatchObject({
      result_code: 'SUCCESS',
    });
    expect(sim.control.books()).toEqual({
      trades: [
        { out_trade_no: 'P1', trade_type: 'MICROPAY', channel: 'WECHAT', total_fee: 600, state: 'SUCCESS', reverse_action: null },
        { out_trade_no: 'P2', trade_type: 'MICROPAY', channel: 'ALIPAY', total_fee: 300, state: 'REVOKED', reverse_action: 'REFUND' },
      ],
      refunds: [{ out_refund_no: 'R1', out_trade_no: 'P1', refund_fee: 200, state: 'SUCCESS' }],
    });
  });
});

describe('a file-backed platform', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paysim-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps its ledger across a restart and resumes pending notifications', async () => {
    await sim.close();
    const dbPath = path.join(dir, 'platform.sqlite');
    const opts = { merchants: [{ mchId: MCH, key: KEY }], dbPath, now: () => new Date(now), notifyScheduleMs: [60_000] };
    sim = await startPayChannel(opts);
    const wallet = sim.control.wallet({ channel: 'WECHAT', balanceFen: 1000 });
    const received: string[] = [];
    const station = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push(body);
        res.end(received.length === 1 ? '{"return_code":"FAIL"}' : '{"return_code":"SUCCESS"}');
      });
    });
    await new Promise<void>((resolve) => station.listen(0, '127.0.0.1', resolve));
    const notifyUrl = `http://127.0.0.1:${(station.address() as AddressInfo).port}/n`;
    try {
      await post('micropay', signed({ out_trade_no: 'P1', total_fee: 600, body: 'x', auth_code: wallet.authCode, notify_url: notifyUrl }));
      // The refusal recorded as the first attempt (the station's answer reached the platform), then the platform
      // restarts: the retry is a minute away. Closing on the request alone could drop the attempt in flight.
      while (sim.control.notifications()[0]?.attempts !== 1) await new Promise((resolve) => setTimeout(resolve, 10));
      await sim.close();
      sim = await startPayChannel(opts);
      while (received.length < 2) await new Promise((resolve) => setTimeout(resolve, 10));
      while (sim.control.notifications()[0]!.state === 'pending') await new Promise((resolve) => setTimeout(resolve, 10));
      expect(sim.control.trade('P1')).toMatchObject({ state: 'SUCCESS', total_fee: 600 });
      expect(sim.control.balance(wallet.authCode)).toBe(400);
      expect(sim.control.notifications()[0]).toMatchObject({ state: 'acked', attempts: 2 });
      expect(received[0]).toBe(received[1]);
    } finally {
      station.closeAllConnections();
      station.close();
    }
  });
});
