// The e-bill client against the simulated gateway over HTTP on 127.0.0.1: the envelope and its signature, the
// wire forms, answers that cannot be trusted, and the sums checked before anything is sent.
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEBillSimulator, type EBillSimulator } from '../../simulators/ebill';
import { fen } from '../../shared/money';
import { EBillClient } from './client';
import { sampleBill } from './testing/sample-bill';

const APP = { appId: 'HOSP001', appKey: 'SIMKEY-0123456789' };
const NOISE = '3f1c2b9e-7a41-4d2e-9c55-0e8a7b6d4f21';
let gateway: EBillSimulator;

beforeEach(async () => {
  gateway = await startEBillSimulator({ apps: [APP], seed: 7, now: () => new Date('2026-11-22T02:15:31.456Z') });
});
afterEach(() => gateway.close());

/** A client whose requests and answers pass through `tamper`, with every request body kept. */
function client(tamper: (answer: string) => string = (a) => a) {
  const sent: string[] = [];
  const ebill = new EBillClient(
    { baseUrl: gateway.url, ...APP, timeoutMs: 2_000 },
    {
      noise: () => NOISE,
      fetch: async (url, init) => {
        sent.push(String(init?.body));
        const response = await fetch(url, init);
        return new Response(tamper(await response.text()), { status: response.status });
      },
    },
  );
  return { ebill, sent };
}

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const unb64 = (text: string) => Buffer.from(text, 'base64').toString('utf8');
const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex').toUpperCase();

describe('the envelope', () => {
  it('matches a vector worked out by hand, and the gateway accepts it', async () => {
    const { ebill, sent } = client();
    const outcome = await ebill.byBusNo('MZ20261122001', '2026-11-22T02:15:30.123Z');
    // data = Base64('{"busNo":"MZ20261122001","busDateTime":"20261122101530123"}'); sign = UPPER(MD5(
    // 'appid=HOSP001&data=<data>&noise=<noise>&key=SIMKEY-0123456789&version=1.0')).
    expect(JSON.parse(sent[0] ?? '')).toEqual({
      appid: 'HOSP001',
      data: 'eyJidXNObyI6Ik1aMjAyNjExMjIwMDEiLCJidXNEYXRlVGltZSI6IjIwMjYxMTIyMTAxNTMwMTIzIn0=',
      noise: NOISE,
      version: '1.0',
      sign: 'EB2080191EFD33A6B96F3107B2A9D8A1',
    });
    expect(outcome).toEqual({ kind: 'ok', value: null });
  });

  it('writes the bill in yuan with two decimals, Beijing time and the three detail lists', async () => {
    const { ebill, sent } = client();
    expect(await ebill.issue(sampleBill())).toMatchObject({ kind: 'ok', value: { busNo: 'MZ20261122001', totalFen: 12345 } });
    const data = JSON.parse(unb64((JSON.parse(sent[0] ?? '') as { data: string }).data)) as Record<string, unknown>;
    expect(data).toMatchObject({
      busNo: 'MZ20261122001',
      busType: '02',
      busDateTime: '20261122101530123',
      totalAmt: '123.45',
      fundPay: '60.00',
      accountPay: '20.00',
      ownPay: '10.00',
      payChannelDetail: [
        { payChannelCode: 'YBTCJJ', payChannelValue: '60.00' },
        { payChannelCode: 'YBK', payChannelValue: '20.00' },
        { payChannelCode: 'WX', payChannelValue: '43.45' },
      ],
      chargeDetail: [
        { sortNo: 1, chargeCode: 'XYF', chargeName: '西药费', amt: '83.45', selfAmt: '10.00' },
        { sortNo: 2, chargeCode: 'JCF', chargeName: '检查费', amt: '40.00', selfAmt: '0.00' },
      ],
    });
    expect(data.listDetail).toEqual([
      expect.objectContaining({ chargeCode: 'XYF', code: 'Y001', std: '23.45', number: '2', amt: '46.90', medicalCareType: '乙类' }),
      expect.objectContaining({ chargeCode: 'XYF', code: 'Y002', amt: '36.55' }),
      expect.objectContaining({ chargeCode: 'JCF', code: 'J001', amt: '40.00' }),
    ]);
  });
});

/** The answer replaced by a success carrying `message`, correctly signed with the app key. */
function resigned(answer: string, message: object | string, result = 'S0000'): string {
  const { appid, noise } = JSON.parse(answer) as { appid: string; noise: string };
  const text = typeof message === 'string' ? message : JSON.stringify(message);
  const data = b64(JSON.stringify({ result, message: b64(text) }));
  return JSON.stringify({
    appid,
    data,
    noise,
    version: '1.0',
    sign: md5(`appid=${appid}&data=${data}&noise=${noise}&key=${APP.appKey}&version=1.0`),
  });
}

describe('the inpatient bill', () => {
  it('goes to invEBillHospitalized with the stay, its deposits and Beijing dates across midnight', async () => {
    const { ebill, sent } = client();
    const stay = {
      admittedAt: '2026-11-15T16:30:00.000Z',
      dischargedAt: '2026-11-22T01:00:00.000Z',
      depositFen: fen(20000),
      collectedFen: fen(0),
      refundedFen: fen(7655),
    };
    const bill = sampleBill({
      busNo: 'ZY1',
      busType: '01',
      busTime: '2026-11-22T16:00:00.000Z',
      visit: { ...sampleBill().visit, visitNo: 'ZY0001', stay },
    });
    expect(await ebill.issue(bill)).toMatchObject({ kind: 'ok', value: { busNo: 'ZY1', billCode: '35010126' } });
    expect(gateway.control.calls()).toEqual([{ service: 'invEBillHospitalized', result: 'S0000' }]);
    const data = JSON.parse(unb64((JSON.parse(sent[0] ?? '') as { data: string }).data)) as Record<string, unknown>;
    expect(data).toMatchObject({
      busType: '01',
      busDateTime: '20261123000000000',
      hospitalNo: 'ZY0001',
      inHospitalDate: '2026-11-16',
      outHospitalDate: '2026-11-22',
      cashPay: '200.00',
      cashRecharge: '0.00',
      cashRefund: '76.55',
    });
  });
});

describe('answers that cannot be trusted are unknown', () => {
  it('an answer whose data was changed after signing', async () => {
    const forged = b64(JSON.stringify({ result: 'E3001', message: b64('已冲销，不能冲销开票') }));
    const { ebill } = client((answer) => JSON.stringify({ ...(JSON.parse(answer) as object), data: forged }));
    expect(await ebill.issue(sampleBill())).toMatchObject({ kind: 'unknown', reason: 'bad-signature' });
  });

  it('a signed answer whose message is not a bill', async () => {
    const { ebill } = client((answer) => resigned(answer, { billNo: '1' }));
    expect(await ebill.issue(sampleBill())).toMatchObject({ kind: 'unknown', reason: 'schema' });
  });

  it('a signed status of another bill', async () => {
    const { ebill } = client((answer) =>
      resigned(answer, { billBatchCode: '35010226', billNo: '0000000002', state: '1', isScarlet: '0', isReimbursed: '0' }),
    );
    expect(await ebill.status('35010226', '0000000001')).toMatchObject({
      kind: 'unknown',
      reason: 'schema',
      detail: expect.stringContaining('0000000002'),
    });
  });

  it('an answer signed with another key', async () => {
    const other = new EBillClient({ baseUrl: gateway.url, appId: APP.appId, appKey: 'ANOTHER-KEY-0000', timeoutMs: 2_000 });
    // The gateway refuses the request's signature; its answer, signed with the real key, does not verify for us.
    expect(await other.status('35010226', '0000000001')).toMatchObject({ kind: 'unknown', reason: 'bad-signature' });
  });
});

describe('refusals', () => {
  it('"no bill for this busNo" is no bill; any other refusal of byBusNo stays a refusal', async () => {
    const notFound = client((answer) => resigned(answer, '未查询到业务流水号对应的电子票据', 'E2001'));
    expect(await notFound.ebill.byBusNo('MZ1', '2026-11-22T02:15:30.123Z')).toEqual({ kind: 'ok', value: null });
    const unknownApp = client((answer) => resigned(answer, '应用账号不存在', 'E0001'));
    expect(await unknownApp.ebill.byBusNo('MZ1', '2026-11-22T02:15:30.123Z')).toEqual({
      kind: 'rejected',
      code: 'E0001',
      message: '应用账号不存在',
    });
  });
});

describe('the bill is checked before anything is sent', () => {
  it('payments that do not add up to the total', async () => {
    const { ebill, sent } = client();
    const bill = sampleBill({ payments: [{ channel: 'WX', amountFen: fen(12344) }] });
    await expect(ebill.issue(bill)).rejects.toThrow('payments add up to 12344 fen, the total is 12345 fen');
    expect(sent).toEqual([]);
  });

  it('a charge group its items do not add up to', async () => {
    const { ebill, sent } = client();
    const good = sampleBill();
    const bill = sampleBill({ items: good.items.map((i) => (i.code === 'J001' ? { ...i, amountFen: fen(3999) } : i)) });
    await expect(ebill.issue(bill)).rejects.toThrow('charge group JCF is 4000 fen, its items add up to 3999 fen');
    expect(sent).toEqual([]);
    expect(gateway.control.calls()).toEqual([]);
  });
});
