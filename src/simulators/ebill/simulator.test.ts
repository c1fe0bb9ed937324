// The simulated e-bill gateway's own checks, driven by raw envelopes built here (not the station's client) over
// HTTP on 127.0.0.1: the appid and sign, Base64, required fields and the bill's sums, refused in the platform's words.
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEBillSimulator, type EBillSimulator } from './index';

const APP_ID = 'HOSP001';
const KEY = 'SIMKEY-0123456789';
let gateway: EBillSimulator;

beforeEach(async () => {
  gateway = await startEBillSimulator({ apps: [{ appId: APP_ID, appKey: KEY }], seed: 3 });
});
afterEach(() => gateway.close());

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const unb64 = (text: string) => Buffer.from(text, 'base64').toString('utf8');
const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex').toUpperCase();
const signOf = (appid: string, data: string, noise: string, key: string) =>
  md5(`appid=${appid}&data=${data}&noise=${noise}&key=${key}&version=1.0`);

/** Posts an envelope; answers the decoded {result, message} and whether the answer's sign verifies with KEY. */
async function post(service: string, data: string, opts: { appid?: string; key?: string } = {}) {
  const appid = opts.appid ?? APP_ID;
  const noise = 'a6c1c7a0-3f3e-4f0b-8a53-8b0f3c1d2e4f';
  const body = JSON.stringify({ appid, data, noise, version: '1.0', sign: signOf(appid, data, noise, opts.key ?? KEY) });
  const response = await fetch(`${gateway.url}/medical-web/api/medical/${service}`, { method: 'POST', body });
  const answer = (await response.json()) as { appid: string; data: string; noise: string; sign: string };
  const inner = JSON.parse(unb64(answer.data)) as { result: string; message: string };
  return {
    result: inner.result,
    message: unb64(inner.message),
    verified: answer.sign === signOf(answer.appid, answer.data, answer.noise, KEY),
  };
}

function bill(overrides: Record<string, unknown> = {}) {
  return {
    busNo: 'MZ1',
    busType: '02',
    payer: '陈建国',
    busDateTime: '20261122101530123',
    placeCode: 'WIN01',
    payee: '张收费',
    author: '张收费',
    totalAmt: '50.00',
    payChannelDetail: [
      { payChannelCode: 'YBTCJJ', payChannelValue: '30.00' },
      { payChannelCode: 'XJ', payChannelValue: '20.00' },
    ],
    chargeDetail: [{ chargeCode: 'JCF', chargeName: '检查费', amt: '50.00', selfAmt: '0.00' }],
    listDetail: [
      { chargeCode: 'JCF', code: 'J001', name: '血常规', number: '1', amt: '20.00', selfAmt: '0.00' },
      { chargeCode: 'JCF', code: 'J002', name: '尿常规', number: '1', amt: '30.00', selfAmt: '0.00' },
    ],
    ...overrides,
  };
}

const issue = (payload: object, opts?: { appid?: string; key?: string }) =>
  post('invoiceEBillOutpatient', b64(JSON.stringify(payload)), opts);

describe('the envelope', () => {
  it('a well-signed bill is issued, and the answer is signed with the app key', async () => {
    const answer = await issue(bill());
    expect(answer).toMatchObject({ result: 'S0000', verified: true });
    expect(JSON.parse(answer.message)).toMatchObject({
      busNo: 'MZ1',
      billBatchCode: '35010226',
      billNo: '0000000001',
      random: expect.stringMatching(/^\d{6}$/),
      totalAmt: '50.00',
    });
    expect(gateway.control.bills()).toHaveLength(1);
  });

  it('a wrong sign is refused and books nothing', async () => {
    expect(await issue(bill(), { key: 'NOT-THE-KEY-0000' })).toEqual({ result: 'E0002', message: '签名验证失败', verified: true });
    expect(gateway.control.bills()).toEqual([]);
  });

  it('an unknown appid is refused', async () => {
    expect(await issue(bill(), { appid: 'OTHER' })).toMatchObject({ result: 'E0001', message: '应用账号不存在' });
  });

  it('data that is not Base64 JSON is refused', async () => {
    expect(await post('invoiceEBillOutpatient', '%%%not-base64%%%')).toMatchObject({ result: 'E0003', message: 'data参数解析失败' });
    expect(await post('invoiceEBillOutpatient', b64('[1,2]'))).toMatchObject({ result: 'E0003' });
  });
});

describe("the bill's checks", () => {
  it('required fields are named', async () => {
    const { payee: _payee, ...noPayee } = bill();
    expect(await issue({ ...noPayee, totalAmt: '50' })).toMatchObject({ result: 'E0004', message: '参数校验失败：payee,totalAmt' });
  });

  it('payment channels that do not add up to the total are refused', async () => {
    const answer = await issue(bill({ payChannelDetail: [{ payChannelCode: 'XJ', payChannelValue: '49.99' }] }));
    expect(answer).toMatchObject({ result: 'E1001', message: '缴费渠道金额合计与票据总金额不一致' });
    expect(gateway.control.bills()).toEqual([]);
  });

  it('a charge group its items do not add up to is refused', async () => {
    const answer = await issue(bill({ chargeDetail: [{ chargeCode: 'JCF', chargeName: '检查费', amt: '50.01', selfAmt: '0.00' }] }));
    expect(answer).toMatchObject({ result: 'E1002', message: '收费项目JCF金额与明细合计不一致' });
    expect(gateway.control.bills()).toEqual([]);
  });

  it('an inpatient bill at the outpatient service is refused', async () => {
    expect(await issue(bill({ busType: '01' }))).toMatchObject({ result: 'E1003' });
  });

  it('numbers run per bill type', async () => {
    await issue(bill({ busNo: 'MZ1' }));
    await issue(bill({ busNo: 'MZ2' }));
    await post('invEBillHospitalized', b64(JSON.stringify(bill({ busNo: 'ZY1', busType: '01' }))));
    expect(gateway.control.bills().map((b) => [b.busNo, b.billBatchCode, b.billNo])).toEqual([
      ['MZ1', '35010226', '0000000001'],
      ['MZ2', '35010226', '0000000002'],
      ['ZY1', '35010126', '0000000001'],
    ]);
  });
});
