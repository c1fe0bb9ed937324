// PayChannelClient against the simulated platform over real HTTP on 127.0.0.1: every operation, its error
// classes, idempotency and signatures. What goes on the wire is checked with a hand-written HMAC, not the
// client's signer.
import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startPayChannel, type PayChannelSimulator } from '../../simulators/pay-channel';
import { fen } from '../../shared/money';
import { sign } from './sign';
import { MCH_ID, MCH_KEY, recordingClient, simDefaults, virtualClock, type VirtualClock } from './testing/platform-fixture';

let clock: VirtualClock;
let sim: PayChannelSimulator;

beforeEach(async () => {
  clock = virtualClock();
  sim = await startPayChannel(simDefaults(clock));
});
afterEach(async () => {
  await sim.close();
});

const micropay = (outTradeNo: string, authCode: string, amount = 1230) => ({
  outTradeNo,
  totalFee: fen(amount),
  subject: '门诊缴费',
  authCode,
});

describe('the request on the wire', () => {
  it('is flat JSON in sorted key order, signed as the merchant guide says', async () => {
    const { client, sent } = recordingClient(sim.url);
    await client.query('MZ0001');
    expect(sent[0]!.url).toBe(`${sim.url}/orderquery`);
    const body = JSON.parse(sent[0]!.body) as Record<string, string>;
    expect(Object.keys(body)).toEqual(['mch_id', 'nonce_str', 'out_trade_no', 'sign', 'sign_type']);
    const base = `mch_id=${MCH_ID}&nonce_str=${body.nonce_str}&out_trade_no=MZ0001&sign_type=HMAC-SHA256&key=${MCH_KEY}`;
    expect(body.sign).toBe(createHmac('sha256', MCH_KEY).update(base).digest('hex').toUpperCase());
    expect(body.nonce_str).toMatch(/^[0-9A-F]{32}$/);
  });

  it('is byte-identical on a retry, and the platform charges once', async () => {
    const wallet = sim.control.wallet({ channel: 'WECHAT', balanceFen: 10_000 });
    const { client, sent } = recordingClient(sim.url);
    const first = await client.micropay(micropay('MZ0002', wallet.authCode));
    const second = await client.micropay(micropay('MZ0002', wallet.authCode));
    expect(sent[0]!.body).toBe(sent[1]!.body);
    expect(first).toEqual(second);
    expect(first).toMatchObject({
      kind: 'ok',
      value: { status: 'paid', payment: { outTradeNo: 'MZ0002', totalFee: 1230, wallet: 'wechat' } },
    });
    expect(sim.control.balance(wallet.authCode)).toBe(10_000 - 1230);
  });

  it('differs when anything differs (the nonce follows the request)', async () => {
    const { client, sent } = recordingClient(sim.url);
    await client.query('MZ0003');
    await client.query('MZ0004');
    expect(JSON.parse(sent[0]!.body).nonce_str).not.toBe(JSON.parse(sent[1]!.body).nonce_str);
  });
});

describe('precreate (merchant-presented QR)', () => {
  const request = (amount = 5630) => ({
    outTradeNo: 'QR0001',
    totalFee: fen(amount),
    subject: '门诊缴费',
    expiresAt: new Date(clock.now + 5 * 60_000),
  });

  it('returns the QR and its expiry; a replay returns the same QR', async () => {
    const { client } = recordingClient(sim.url);
    const first = await client.precreate(request());
    expect(first).toMatchObject({ kind: 'ok', value: { outTradeNo: 'QR0001', totalFee: 5630, expiresAt: '2026-11-22T02:20:30.000Z' } });
    expect(await client.precreate(request())).toEqual(first);
    expect(sim.control.trades()).toHaveLength(1);
  });

  it('refuses the same out_trade_no with another amount', async () => {
    const { client } = recordingClient(sim.url);
    await client.precreate(request());
    expect(await client.precreate(request(5631))).toMatchObject({ kind: 'rejected', code: 'OUT_TRADE_NO_USED' });
    expect(sim.control.trade('QR0001')!.total_fee).toBe(5630);
  });

  it('is paid by the patient scanning it, with the wallet the patient chose', async () => {
    const { client } = recordingClient(sim.url);
    const order = await client.precreate(request());
    if (order.kind !== 'ok') throw new Error('precreate failed');
    const alipay = sim.control.wallet({ channel: 'ALIPAY', balanceFen: 6000 });
    expect(sim.control.payQr(order.value.codeUrl, alipay.authCode)).toEqual({ paid: true, outTradeNo: 'QR0001' });
    expect(await client.query('QR0001')).toMatchObject({
      kind: 'ok',
      value: { state: 'paid', tradeType: 'qr', payment: { wallet: 'alipay', payerId: alipay.payerId, totalFee: 5630 } },
    });
  });

  it('closes by itself when it expires unpaid', async () => {
    const { client } = recordingClient(sim.url);
    const order = await client.precreate(request());
    clock.advance(5 * 60_000);
    expect(await client.query('QR0001')).toMatchObject({ kind: 'ok', value: { state: 'closed' } });
    const wallet = sim.control.wallet({ channel: 'WECHAT', balanceFen: 9000 });
    expect(sim.control.payQr(order.kind === 'ok' ? order.value.codeUrl : '', wallet.authCode)).toEqual({
      paid: false,
      reason: 'ORDERCLOSED',
    });
  });
});

describe('micropay (customer-presented code)', () => {
  it('refuses when the balance is short, and the replay says the same', async () => {
    const wallet = sim.control.wallet({ channel: 'ALIPAY', balanceFen: 1000 });
    const { client } = recordingClient(sim.url);
    expect(await client.micropay(micropay('MZ0010', wallet.authCode))).toMatchObject({ kind: 'rejected', code: 'NOTENOUGH' });
    expect(await client.micropay(micropay('MZ0010', wallet.authCode))).toMatchObject({ kind: 'rejected', code: 'NOTENOUGH' });
    expect(sim.control.balance(wallet.authCode)).toBe(1000);
  });

  it('refuses an unknown code and a used one', async () => {
    const wallet = sim.control.wallet({ channel: 'WECHAT', balanceFen: 10_000 });
    const { client } = recordingClient(sim.url);
    expect(await client.micropay(micropay('MZ0011', '134567890123456789'))).toMatchObject({ kind: 'rejected', code: 'AUTH_CODE_INVALID' });
    await client.micropay(micropay('MZ0012', wallet.authCode));
    expect(await client.micropay(micropay('MZ0013', wallet.authCode))).toMatchObject({ kind: 'rejected', code: 'AUTHCODEEXPIRE' });
  });

  it('answers user-paying while the patient confirms, then the query finds it paid', async () => {
    const wallet = sim.control.wallet({ channel: 'WECHAT', balanceFen: 50_000, password: true });
    const { client } = recordingClient(sim.url);
    expect(await client.micropay(micropay('MZ0014', wallet.authCode, 30_000))).toEqual({ kind: 'ok', value: { status: 'user-paying' } });
    expect(await client.query('MZ0014')).toMatchObject({ kind: 'ok', value: { state: 'user-paying' } });
    expect(sim.control.enterPassword('MZ0014')).toBe('SUCCESS');
    expect(await client.query('MZ0014')).toMatchObject({ kind: 'ok', value: { state: 'paid', payment: { totalFee: 30_000 } } });
  });

  it('refuses the same out_trade_no with another amount, and charges nothing more', async () => {
    const wallet = sim.control.wallet({ channel: 'WECHAT', balanceFen: 10_000 });
    const { client } = recordingClient(sim.url);
    await client.micropay(micropay('MZ0015', wallet.authCode, 1230));
    expect(await client.micropay(micropay('MZ0015', wallet.authCode, 1231))).toMatchObject({ kind: 'rejected', code: 'OUT_TRADE_NO_USED' });
    expect(sim.control.balance(wallet.authCode)).toBe(10_000 - 1230);
  });
});

describe('query, reverse and close', () => {
  it('query of an order the platform never saw is a definite ORDERNOTEXIST', async () => {
    const { client } = recordingClient(sim.url);
    expect(await client.query('NOPE')).toMatchObject({ kind: 'rejected', code: 'ORDERNOTEXIST' });
  });

  it('reverse refunds a paid order and closes an unpaid one; repeating it answers the same', async () => {
    const paid = sim.control.wallet({ channel: 'WECHAT', balanceFen: 5000 });
    const paying = sim.control.wallet({ channel: 'ALIPAY', balanceFen: 5000, password: true });
    const { client } = recordingClient(sim.url);
    await client.micropay(micropay('MZ0020', paid.authCode));
    await client.micropay(micropay('MZ0021', paying.authCode));
    expect(await client.reverse('MZ0020')).toEqual({ kind: 'ok', value: { outTradeNo: 'MZ0020', action: 'refunded' } });
    expect(await client.reverse('MZ0020')).toEqual({ kind: 'ok', value: { outTradeNo: 'MZ0020', action: 'refunded' } });
    expect(sim.control.balance(paid.authCode)).toBe(5000);
    expect(await client.reverse('MZ0021')).toEqual({ kind: 'ok', value: { outTradeNo: 'MZ0021', action: 'closed' } });
    expect(sim.control.enterPassword('MZ0021')).toBe('REVOKED'); // too late: the patient cannot pay it any more
    expect(sim.control.balance(paying.authCode)).toBe(5000);
  });

  it('reverse of an order that never arrived bars it: the late request is refused', async () => {
    const wallet = sim.control.wallet({ channel: 'WECHAT', balanceFen: 5000 });
    const { client } = recordingClient(sim.url);
    expect(await client.reverse('MZ0022')).toEqual({ kind: 'ok', value: { outTradeNo: 'MZ0022', action: 'nothing-to-undo' } });
    expect(await client.micropay(micropay('MZ0022', wallet.authCode))).toMatchObject({ kind: 'rejected', code: 'ORDERREVERSED' });
    expect(sim.control.balance(wallet.authCode)).toBe(5000);
  });

  it('reverse keeps the vendor minimum age when configured', async () => {
    await sim.close();
    sim = await startPayChannel({ ...simDefaults(clock), rules: { minReverseAgeMs: 15_000, minCloseAgeMs: 0 } });
    const wallet = sim.control.wallet({ channel: 'WECHAT', balanceFen: 5000, password: true });
    const { client } = recordingClient(sim.url);
    await client.micropay(micropay('MZ0023', wallet.authCode));
    clock.advance(14_999);
    expect(await client.reverse('MZ0023')).toMatchObject({ kind: 'rejected', code: 'REVERSE_TOO_EARLY' });
    clock.advance(1);
    expect(await client.reverse('MZ0023')).toMatchObject({ kind: 'ok', value: { action: 'closed' } });
  });

  it('close stops an unpaid QR; a paid one answers ORDERPAID', async () => {
    const { client } = recordingClient(sim.url);
    const expiresAt = new Date(clock.now + 600_000);
    await client.precreate({ outTradeNo: 'QR0030', totalFee: fen(100), subject: '挂号', expiresAt });
    const paid = await client.precreate({ outTradeNo: 'QR0031', totalFee: fen(100), subject: '挂号', expiresAt });
    sim.control.payQr(paid.kind === 'ok' ? paid.value.codeUrl : '', sim.control.wallet({ channel: 'ALIPAY', balanceFen: 100 }).authCode);
    expect(await client.close('QR0030')).toEqual({ kind: 'ok', value: { outTradeNo: 'QR0030' } });
    expect(await client.query('QR0030')).toMatchObject({ kind: 'ok', value: { state: 'closed' } });
    expect(await client.close('QR0031')).toMatchObject({ kind: 'rejected', code: 'ORDERPAID' });
  });
});

describe('refunds', () => {
  async function paidOrder(client: ReturnType<typeof recordingClient>['client'], amount: number) {
    const wallet = sim.control.wallet({ channel: 'WECHAT', balanceFen: amount });
    await client.micropay(micropay('MZ0040', wallet.authCode, amount));
    return wallet;
  }
  const refund = (outRefundNo: string, amount: number) => ({
    outTradeNo: 'MZ0040',
    outRefundNo,
    totalFee: fen(8800),
    refundFee: fen(amount),
  });

  it('refund partially, up to what was paid; over-refund is refused', async () => {
    const { client } = recordingClient(sim.url);
    const wallet = await paidOrder(client, 8800);
    expect(await client.refund(refund('RF1', 3000))).toMatchObject({
      kind: 'ok',
      value: { outRefundNo: 'RF1', refundFee: 3000, state: 'succeeded' },
    });
    expect(await client.refund(refund('RF2', 5801))).toMatchObject({ kind: 'rejected', code: 'REFUND_FEE_INVALID' });
    expect(await client.refund(refund('RF2', 5800))).toMatchObject({ kind: 'ok', value: { refundFee: 5800 } });
    expect(await client.refund(refund('RF3', 1))).toMatchObject({ kind: 'rejected', code: 'REFUND_FEE_INVALID' });
    expect(sim.control.balance(wallet.authCode)).toBe(8800);
    expect(await client.query('MZ0040')).toMatchObject({ kind: 'ok', value: { state: 'paid', refundedFee: 8800 } });
  });

  it('a repeated refund answers the same refund; the same out_refund_no with another amount is refused', async () => {
    const { client } = recordingClient(sim.url);
    const wallet = await paidOrder(client, 8800);
    const first = await client.refund(refund('RF1', 1000));
    expect(await client.refund(refund('RF1', 1000))).toEqual(first);
    expect(await client.refund(refund('RF1', 2000))).toMatchObject({ kind: 'rejected', code: 'OUT_REFUND_NO_USED' });
    expect(sim.control.balance(wallet.authCode)).toBe(1000);
  });

  it('refusing refunds of unpaid or unknown orders, and of the wrong order amount', async () => {
    const { client } = recordingClient(sim.url);
    expect(await client.refund(refund('RF1', 100))).toMatchObject({ kind: 'rejected', code: 'ORDERNOTEXIST' });
    await paidOrder(client, 8800);
    expect(await client.refund({ ...refund('RF1', 100), totalFee: fen(8801) })).toMatchObject({ kind: 'rejected', code: 'PARAM_ERROR' });
  });

  it('a refund still processing is seen by refund query until it completes', async () => {
    await sim.close();
    sim = await startPayChannel({ ...simDefaults(clock), rules: { minReverseAgeMs: 0, minCloseAgeMs: 0, refunds: 'manual' } });
    const { client } = recordingClient(sim.url);
    const wallet = await paidOrder(client, 8800);
    expect(await client.refund(refund('RF1', 800))).toMatchObject({ kind: 'ok', value: { state: 'processing' } });
    expect(await client.refundQuery('RF1')).toMatchObject({ kind: 'ok', value: { state: 'processing' } });
    clock.advance(60_000);
    sim.control.completeRefund('RF1', 'SUCCESS');
    expect(await client.refundQuery('RF1')).toMatchObject({
      kind: 'ok',
      value: { state: 'succeeded', succeededAt: '2026-11-22T02:16:30.000Z' },
    });
    expect(sim.control.balance(wallet.authCode)).toBe(800);
    expect(await client.refundQuery('RF9')).toMatchObject({ kind: 'rejected', code: 'REFUNDNOTEXIST' });
  });

  it('a bounced refund can be refunded again', async () => {
    await sim.close();
    sim = await startPayChannel({ ...simDefaults(clock), rules: { minReverseAgeMs: 0, minCloseAgeMs: 0, refunds: 'manual' } });
    const { client } = recordingClient(sim.url);
    await paidOrder(client, 8800);
    await client.refund(refund('RF1', 8800));
    sim.control.completeRefund('RF1', 'CHANGE');
    expect(await client.refundQuery('RF1')).toMatchObject({ kind: 'ok', value: { state: 'failed' } });
    expect(await client.refund(refund('RF2', 8800))).toMatchObject({ kind: 'ok', value: { state: 'processing' } });
  });
});

describe('error classes', () => {
  async function paying(outTradeNo: string) {
    const wallet = sim.control.wallet({ channel: 'WECHAT', balanceFen: 10_000 });
    return { wallet, request: micropay(outTradeNo, wallet.authCode) };
  }

  it.each([
    ['drop-request', 'network', false],
    ['drop-response', 'network', true],
    ['http-500', 'http-status', false],
    ['malformed-json', 'unparsable', true],
    ['bad-signature', 'bad-signature', true],
    ['system-error', 'platform-busy', false],
  ] as const)('%s is unknown (%s); the platform %s', async (kind, reason, committed) => {
    const { wallet, request } = await paying('MZ0050');
    const { client } = recordingClient(sim.url);
    sim.control.inject({ op: 'micropay', fault: { kind }, times: 1 });
    expect(await client.micropay(request)).toMatchObject({ kind: 'unknown', reason });
    expect(sim.control.balance(wallet.authCode)).toBe(committed ? 10_000 - 1230 : 10_000);
    // The query tells what happened, and a byte-identical retry never charges twice.
    expect(await client.query('MZ0050')).toMatchObject(
      committed ? { kind: 'ok', value: { state: 'paid' } } : { kind: 'rejected', code: 'ORDERNOTEXIST' },
    );
    expect(await client.micropay(request)).toMatchObject({ kind: 'ok', value: { status: 'paid' } });
    expect(sim.control.balance(wallet.authCode)).toBe(10_000 - 1230);
  });

  it('an answer later than the timeout is unknown (timeout), though the platform acted', async () => {
    const { wallet, request } = await paying('MZ0051');
    const { client } = recordingClient(sim.url, { timeoutMs: 200 });
    sim.control.inject({ op: 'micropay', fault: { kind: 'delay', ms: 600 }, times: 1 });
    expect(await client.micropay(request)).toMatchObject({ kind: 'unknown', reason: 'timeout' });
    expect(sim.control.balance(wallet.authCode)).toBe(10_000 - 1230);
  });

  it('a request altered on the way is refused by the platform, and nothing happens', async () => {
    const { wallet, request } = await paying('MZ0052');
    const tamper: typeof fetch = (url, init) =>
      fetch(url, { ...init, body: String(init?.body).replace('"total_fee":1230', '"total_fee":1') });
    const { client } = recordingClient(sim.url, { fetch: tamper });
    expect(await client.micropay(request)).toEqual({ kind: 'rejected', code: 'REQUEST_REFUSED', message: '签名错误' });
    expect(sim.control.balance(wallet.authCode)).toBe(10_000);
    expect(sim.control.trades()).toEqual([]);
  });

  it('a client with the wrong key cannot verify the answer: unknown, not a refusal', async () => {
    const { client } = recordingClient(sim.url, { key: 'WRONGKEY0123456789ABCDEFGHIJKLMN' });
    expect(await client.query('MZ0053')).toMatchObject({ kind: 'unknown', reason: 'bad-signature' });
  });

  it('a genuine answer about another order (replayed) is a mismatch', async () => {
    const { client: honest } = recordingClient(sim.url);
    await honest.query('OTHER');
    let replay = '';
    const capture: typeof fetch = async (url, init) => {
      const response = await fetch(url, init);
      replay ||= await response.clone().text();
      return response;
    };
    await recordingClient(sim.url, { fetch: capture }).client.query('OTHER');
    const replaying: typeof fetch = async () => new Response(replay, { status: 200 });
    const { client } = recordingClient(sim.url, { fetch: replaying });
    expect(await client.query('MZ0054')).toMatchObject({ kind: 'unknown', reason: 'mismatch' });
  });

  it('an unreachable platform is unknown (network)', async () => {
    await sim.close();
    const { client } = recordingClient(sim.url);
    expect(await client.query('MZ0055')).toMatchObject({ kind: 'unknown', reason: 'network' });
    sim = await startPayChannel(simDefaults(clock));
  });
});

describe('statement', () => {
  it('lists every money event of the day and adds up to the ledger, per wallet and in total', async () => {
    const { client } = recordingClient(sim.url);
    const wx = sim.control.wallet({ channel: 'WECHAT', balanceFen: 100_000 });
    const ali = sim.control.wallet({ channel: 'ALIPAY', balanceFen: 100_000 });
    const ali2 = sim.control.wallet({ channel: 'ALIPAY', balanceFen: 100_000 });
    await client.micropay(micropay('D1', wx.authCode, 1230));
    await client.micropay(micropay('D2', ali.authCode, 4500));
    await client.micropay(micropay('D3', ali2.authCode, 999));
    await client.refund({ outTradeNo: 'D2', outRefundNo: 'D2R1', totalFee: fen(4500), refundFee: fen(500) });
    await client.reverse('D3');
    const qr = await client.precreate({
      outTradeNo: 'D4',
      totalFee: fen(2000),
      subject: '药费, "甲类"',
      expiresAt: new Date(clock.now + 60_000),
    });
    sim.control.payQr(qr.kind === 'ok' ? qr.value.codeUrl : '', sim.control.wallet({ channel: 'WECHAT', balanceFen: 2000 }).authCode);

    const all = await client.statement('20261122');
    if (all.kind !== 'ok') throw new Error(JSON.stringify(all));
    const totals = sim.control.totals('20261122');
    expect({ paid: all.value.paymentsFen, refunded: all.value.refundsFen, net: all.value.netFen }).toEqual({
      paid: totals.paidFen,
      refunded: totals.refundedFen,
      net: totals.netFen,
    });
    expect(totals).toEqual({ payments: 4, paidFen: 1230 + 4500 + 999 + 2000, refundedFen: 500 + 999, netFen: 1230 + 4000 + 2000 });
    expect(all.value.rows.map((r) => [r.outTradeNo, r.kind])).toEqual([
      ['D1', 'payment'],
      ['D2', 'payment'],
      ['D2', 'refund'],
      ['D3', 'payment'],
      ['D3', 'reversal'],
      ['D4', 'payment'],
    ]);
    expect(all.value.rows.find((r) => r.outTradeNo === 'D4')?.subject).toBe('药费, "甲类"');

    const wechat = await client.statement('20261122', 'wechat');
    expect(wechat).toMatchObject({ kind: 'ok', value: { paymentsFen: sim.control.totals('20261122', 'WECHAT').paidFen, refundsFen: 0 } });
    expect(await client.statement('20261121')).toMatchObject({ kind: 'ok', value: { rows: [], netFen: 0 } });
  });

  it('a statement whose rows do not add up is not trusted', async () => {
    const { client: honest } = recordingClient(sim.url);
    const wx = sim.control.wallet({ channel: 'WECHAT', balanceFen: 100_000 });
    await honest.micropay(micropay('D1', wx.authCode, 1230));
    // Rewrite the bill and re-sign it with the merchant key: a consistent signature over inconsistent money.
    const forging: typeof fetch = async (url, init) => {
      const answer = (await (await fetch(url, init)).json()) as Record<string, string>;
      answer.bill = answer.bill!.replace(',12.30,', ',12.31,');
      answer.sign = sign(answer, MCH_KEY);
      return new Response(JSON.stringify(answer), { status: 200 });
    };
    const { client } = recordingClient(sim.url, { fetch: forging });
    expect(await client.statement('20261122')).toMatchObject({ kind: 'unknown', reason: 'schema' });
  });
});
