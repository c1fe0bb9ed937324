// The simulated mobile-payment centre on its own: its prices are the NHSA simulator's policy, its refusals, and
// its callbacks retried until acknowledged. Requests are sealed here with sm-crypto-v2 directly, as a hospital
// would, so nothing of the station's client is involved.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sm2, sm4 } from 'sm-crypto-v2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CATALOGUE, POPULATION, TRAINING_POLICY, seedInsured, syntheticInsured, tablesFor } from '../nhsa';
import { parseDecimal } from '../nhsa/money';
import { feeLineResult, inpatientSplit } from '../nhsa/policy';
import { startMobilePayCentre, type MobilePayCentre } from './server';

const hospital = sm2.generateKeyPairHex();
const centre = sm2.generateKeyPairHex();
const APP = { appId: 'SIMTESTAPPID00000000000000000001', appSecret: 'SIMTESTSECRET0000000000000000001', userId: '1234567812345678' };
const PERSON = POPULATION[0]!;
/** 黄志强, resident scheme without a personal account: his personal part comes from the wallet. */
const RESIDENT = POPULATION.find((p) => p.idNo === '350211195203054010')!;
const utf8 = (t: string) => new Uint8Array(Buffer.from(t, 'utf8'));

let sim: MobilePayCentre;
let hook: http.Server;
let answers: number[];
let received: string[];

/** The hospital's side of the envelope, from the recipe (protocol-research.md §3.3). */
async function call(path: string, data: Record<string, unknown>): Promise<{ code: number; data?: Record<string, unknown> }> {
  const key = utf8(
    Buffer.from(sm4.encrypt(utf8(APP.appSecret), utf8(APP.appId.slice(0, 16)), { output: 'array' }))
      .toString('hex')
      .toUpperCase()
      .slice(0, 16),
  );
  const timestamp = String(Date.now());
  const sorted = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sorted)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, sorted((v as Record<string, unknown>)[k])]),
          )
        : String(v);
  const text = `appId=${APP.appId}&data=${JSON.stringify(sorted(data))}&encType=SM4&signType=SM2&timestamp=${timestamp}&version=2.0.1&key=${APP.appSecret}`;
  const body = {
    appId: APP.appId,
    encType: 'SM4',
    signType: 'SM2',
    timestamp,
    version: '2.0.1',
    encData: Buffer.from(sm4.encrypt(utf8(JSON.stringify(data)), key, { output: 'array' }))
      .toString('hex')
      .toUpperCase(),
    signData: Buffer.from(sm2.doSignature(utf8(text), hospital.privateKey, { hash: true, der: false, userId: APP.userId }), 'hex').toString(
      'base64',
    ),
  };
  const res = await fetch(`${sim.url}/${path}`, { method: 'POST', body: JSON.stringify(body) });
  const answer = (await res.json()) as { code: number; encData?: string };
  if (answer.code !== 0) return { code: answer.code };
  const plain = sm4.decrypt(new Uint8Array(Buffer.from(answer.encData!, 'hex')), key, { output: 'array' });
  return { code: 0, data: JSON.parse(Buffer.from(plain).toString('utf8')) as Record<string, unknown> };
}

const LINES = [
  { feedetlSn: '1', medListCodg: 'XJ01DCC047A001010102934', cnt: '10', pric: '30.00', detItemFeeSumamt: '300.00' },
  { feedetlSn: '2', medListCodg: '002501000010000', cnt: '10', pric: '20.00', detItemFeeSumamt: '200.00' },
];
const upload = (payAuthNo: string, medOrgOrd: string, lines = LINES, sum = '500.00', who = PERSON) =>
  call('uldFeeInfo', { medOrgOrd, payAuthNo, idNo: who.idNo, userName: who.name, medType: '21', medfeeSumamt: sum, feedetailList: lines });

beforeEach(async () => {
  answers = [];
  received = [];
  hook = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push(Buffer.concat(chunks).toString('utf8'));
      const code = answers.shift() ?? 0;
      res.writeHead(200).end(JSON.stringify({ code }));
    });
  });
  await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
  sim = await startMobilePayCentre({
    channel: { ...APP, centrePrivateKeyHex: centre.privateKey, hospitalPublicKeyHex: hospital.publicKey },
    orgCode: 'H35020300001',
    notifyUrl: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/notify`,
    notifyScheduleMs: [5, 5, 5],
  });
});
afterEach(async () => {
  await sim.close();
  hook.closeAllConnections();
  await new Promise((resolve) => hook.close(resolve));
});

function settledCallback(payOrdId: string, state: string): Promise<void> {
  return new Promise((resolve) => {
    const look = () => (sim.control.ledger.callback(payOrdId)?.state === state ? resolve() : setImmediate(look));
    look();
  });
}

describe('mobile-payment centre simulator', () => {
  it('prices an upload with the NHSA simulator policy: the same split as its inpatient settlement', async () => {
    const up = await upload(sim.control.authorise(PERSON.idNo), 'O1');
    const totals = { medfee_sumamt: 0, fulamt_ownpay_amt: 0, overlmt_selfpay: 0, preselfpay_amt: 0, inscp_scp_amt: 0 };
    for (const l of LINES) {
      const item = CATALOGUE.find((i) => i.med_list_codg === l.medListCodg)!;
      const amount = Math.round(Number(l.detItemFeeSumamt) * 100);
      const r = feeLineResult(TRAINING_POLICY, item, parseDecimal(l.cnt)!, parseDecimal(l.pric)!, amount);
      totals.medfee_sumamt += amount;
      totals.fulamt_ownpay_amt += r.fulamt_ownpay_amt;
      totals.overlmt_selfpay += r.overlmt_amt;
      totals.preselfpay_amt += r.preselfpay_amt;
      totals.inscp_scp_amt += r.inscp_scp_amt;
    }
    const insurance = PERSON.insurances[0]!;
    const split = inpatientSplit(
      tablesFor(TRAINING_POLICY, insurance.insuplcAdmdvs),
      totals,
      {
        insutype: insurance.insutype,
        psnType: insurance.psnType,
        civilServant: false,
        accountBalance: Math.round(Number(insurance.balc) * 100),
        useAccount: true,
      },
      { admissionDeductible: 0, yearPooled: 0, yearSeriousIllnessBase: 0 },
    );
    const row = sim.control.ledger.order(String(up.data!.payOrdId))!;
    expect([row.fee_sumamt, row.fund_pay, row.psn_acct_pay, row.own_pay_amt]).toEqual([
      50_000,
      split.fund_pay_sumamt,
      split.acct_pay,
      split.psn_cash_pay,
    ]);
    expect(split.preselfpay_amt).toBeGreaterThan(0); // class B lines: the split is not trivial
  });

  it('prices an outpatient bill (medType 11) by the outpatient rule: the annual deductible applies, not the admission one', async () => {
    const a = sim.control.authorise(PERSON.idNo);
    const inpatient = (await upload(a, 'O9')).data!.extData as Record<string, string>;
    const outpatient = (
      await call('uldFeeInfo', {
        medOrgOrd: 'O10',
        payAuthNo: a,
        idNo: PERSON.idNo,
        userName: PERSON.name,
        medType: '11',
        medfeeSumamt: '500.00',
        feedetailList: LINES,
      })
    ).data!.extData as Record<string, string>;
    expect(outpatient.feeSumamt).toBe('500.00');
    expect(outpatient.fundPay).not.toBe(inpatient.fundPay);
  });

  it('refuses other lines under a used order number, an unknown authorisation and a total that does not add up', async () => {
    const payAuthNo = sim.control.authorise(PERSON.idNo);
    expect((await upload(payAuthNo, 'O2')).code).toBe(0);
    expect((await upload(payAuthNo, 'O2', LINES.slice(0, 1), '300.00')).code).toBe(2001);
    expect((await upload('AUTH-FORGED', 'O3')).code).toBe(2003);
    expect((await upload(payAuthNo, 'O4', LINES, '499.99')).code).toBe(2005);
    expect(sim.control.ledger.orders()).toHaveLength(1);
  });

  it('refuses a pay the wallet cannot cover, and a partial refund', async () => {
    const poor = sim.control.authorise(RESIDENT.idNo, 1);
    const up = (await upload(poor, 'O5', LINES, '500.00', RESIDENT)).data!;
    const pay = { payAuthNo: poor, payOrdId: up.payOrdId, payToken: up.payToken, acctUsedFlag: '1' };
    expect((await call('pay_order', pay)).code).toBe(3003);
    const rich = sim.control.authorise(PERSON.idNo);
    const up2 = (await upload(rich, 'O6')).data!;
    const paid = (await call('pay_order', { payAuthNo: rich, payOrdId: up2.payOrdId, payToken: up2.payToken, acctUsedFlag: '1' })).data!;
    const refund = {
      payOrdId: up2.payOrdId,
      appRefdSn: 'R6',
      totlRefdAmt: '1.00',
      psnAcctRefdAmt: '0.00',
      fundRefdAmt: '0.00',
      cashRefdAmt: '1.00',
      refdType: 'CASH',
    };
    expect((await call('refund_Order', refund)).code).toBe(5004);
    expect(paid.ordStas).toBe('4');
    expect(sim.control.ledger.refunds()).toHaveLength(0);
  });

  it('calls back until acknowledged, and gives up after its schedule', async () => {
    answers = [1, 1, 0];
    const a = sim.control.authorise(PERSON.idNo);
    const up = (await upload(a, 'O7')).data!;
    await call('pay_order', { payAuthNo: a, payOrdId: up.payOrdId, payToken: up.payToken });
    await settledCallback(String(up.payOrdId), 'acked');
    expect(sim.control.ledger.callback(String(up.payOrdId))).toMatchObject({ attempts: 3, deliveries: 3 });
    expect(JSON.parse(received[0]!)).toMatchObject({ payOrdId: up.payOrdId, medOrgOrd: 'O7', ordStas: '4', callType: 'SETL' });

    answers = [1, 1, 1, 1, 1];
    const b = sim.control.authorise(PERSON.idNo);
    const up2 = (await upload(b, 'O8')).data!;
    await call('pay_order', { payAuthNo: b, payOrdId: up2.payOrdId, payToken: up2.payToken });
    await settledCallback(String(up2.payOrdId), 'gave-up');
    expect(sim.control.ledger.callback(String(up2.payOrdId))).toMatchObject({ attempts: 4 });
  });

  it('sends a callback `copies` times on the duplicate fault, to a person of the seeded synthetic population', async () => {
    const [synthetic] = syntheticInsured(1, 90_000);
    expect(() => sim.control.authorise(synthetic!.idNo)).toThrow(/no insured person/);
    seedInsured([synthetic!]);
    sim.control.inject({ op: 'notify', fault: { kind: 'duplicate-notify', copies: 3 }, times: 1 });
    const a = sim.control.authorise(synthetic!.idNo);
    const up = (await upload(a, 'O9', LINES, '500.00', synthetic)).data!;
    await call('pay_order', { payAuthNo: a, payOrdId: up.payOrdId, payToken: up.payToken });
    await settledCallback(String(up.payOrdId), 'acked');
    expect(sim.control.ledger.callback(String(up.payOrdId))).toMatchObject({ attempts: 1, deliveries: 3 });
    expect(received.map((r) => (JSON.parse(r) as { medOrgOrd: string }).medOrgOrd)).toEqual(['O9', 'O9', 'O9']);
  });
});
