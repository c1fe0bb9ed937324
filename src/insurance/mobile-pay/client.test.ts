// The mobile-payment client against the simulated centre over real HTTP on 127.0.0.1: every transaction, the
// centre's ledger after each, and how lost, busy and forged answers come out.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startMobilePayCentre, type MobilePayCentre } from '../../simulators/mobile-pay';
import { POPULATION } from '../../simulators/nhsa';
import { sm2GenerateKeyPair } from '../crypto';
import { MobilePayClient, type UploadInput } from './client';
import { MobilePayConfigSchema } from './config';

const hospital = sm2GenerateKeyPair();
const centreKeys = sm2GenerateKeyPair();
const APP = { appId: 'TESTAPPID0000000000000000000001X', appSecret: 'TESTSECRET00000000000000000000XY', userId: '1234567812345678' };
const PATIENT = POPULATION[0]!;

let sim: MobilePayCentre;
let client: MobilePayClient;

beforeEach(async () => {
  sim = await startMobilePayCentre({
    channel: { ...APP, centrePrivateKeyHex: centreKeys.privateKeyHex, hospitalPublicKeyHex: hospital.publicKeyHex },
    orgCode: 'H35020300001',
  });
  const config = MobilePayConfigSchema.parse({
    baseUrl: sim.url,
    ...APP,
    orgCodg: 'H35020300001',
    privateKeyHex: hospital.privateKeyHex,
    centrePublicKeyHex: centreKeys.publicKeyHex,
    timeoutMs: 2000,
  });
  client = new MobilePayClient(config);
});
afterEach(async () => {
  await sim.close();
});

function bill(payAuthNo: string, medOrgOrd = 'ZY0001-1'): UploadInput {
  return {
    medOrgOrd,
    payAuthNo,
    idNo: PATIENT.idNo,
    idType: '01',
    userName: PATIENT.name,
    psnNo: PATIENT.psnNo,
    insutype: '310',
    medType: '21',
    iptOtpNo: 'ZY0001',
    deptCode: 'A03',
    deptName: '内科',
    chrgBchno: medOrgOrd,
    begntime: '2026-12-01 08:00:00',
    acctUsedFlag: '1',
    lines: [
      { feedetlSn: '1', medListCodg: 'XJ01CAA040A001010100005', medinsListCodg: 'YP001', cnt: '4', pric: '20.00', amountFen: 8000 },
      { feedetlSn: '2', medListCodg: '002501000010000', medinsListCodg: 'JC001', cnt: '1', pric: '20.00', amountFen: 2000 },
    ],
  };
}

describe('mobile-payment client', () => {
  it('uploads, pays, queries and refunds one bill; the centre ledger agrees at each step', async () => {
    const payAuthNo = sim.control.authorise(PATIENT.idNo, 50_000);
    const up = await client.upload(bill(payAuthNo));
    if (up.kind !== 'ok') throw new Error(JSON.stringify(up));
    const { extData } = up.value;
    expect(extData.feeSumamt).toBe(10_000);
    expect(extData.fundPay + extData.psnAcctPay + extData.ownPayAmt).toBe(10_000);

    const again = await client.upload(bill(payAuthNo));
    expect(again).toEqual(up);

    const ids = { payOrdId: up.value.payOrdId, payToken: up.value.payToken };
    const pay = { ...ids, payAuthNo, mdtrtId: extData.mdtrtId, chrgBchno: 'ZY0001-1', acctUsedFlag: '1' as const };
    const paid = await client.pay(pay);
    expect(paid).toMatchObject({ kind: 'ok', value: { ordStas: '4', feeSumamt: 10_000, fundPay: extData.fundPay } });
    // A second 6202 (after a lost answer) is answered with the same order and pays nothing more.
    expect(await client.pay(pay)).toEqual(paid);
    expect(sim.control.ledger.auth(payAuthNo)!.wallet_fen).toBe(50_000 - extData.ownPayAmt);

    const who = { ...ids, idNo: PATIENT.idNo, userName: PATIENT.name, idType: '01' };
    expect(await client.query(who)).toMatchObject({ kind: 'ok', value: { ordStas: '4' } });
    expect(await client.revoke(who)).toMatchObject({ kind: 'rejected', code: '6001' });

    const refund = {
      payOrdId: ids.payOrdId,
      appRefdSn: 'R1',
      payAuthNo,
      totlFen: 10_000,
      fundFen: extData.fundPay,
      acctFen: extData.psnAcctPay,
      cashFen: extData.ownPayAmt,
    };
    expect(await client.refund(refund)).toMatchObject({ kind: 'ok', value: { refStatus: 'SUCC' } });
    expect(await client.refund(refund)).toMatchObject({ kind: 'ok', value: { refStatus: 'SUCC' } });
    expect(sim.control.ledger.refunds()).toHaveLength(1);
    expect(sim.control.ledger.auth(payAuthNo)!.wallet_fen).toBe(50_000);
    expect(await client.query(who)).toMatchObject({ kind: 'ok', value: { ordStas: '8', refunds: [{ appRefdSn: 'R1' }] } });
  });

  it('cancels an unpaid upload (6401); the order can then not be paid', async () => {
    const payAuthNo = sim.control.authorise(PATIENT.idNo);
    const up = await client.upload(bill(payAuthNo));
    if (up.kind !== 'ok') throw new Error(JSON.stringify(up));
    const who = { payOrdId: up.value.payOrdId, payToken: up.value.payToken, idNo: PATIENT.idNo, userName: PATIENT.name, idType: '01' };
    expect(await client.revoke(who)).toMatchObject({ kind: 'ok' });
    expect(sim.control.ledger.order(up.value.payOrdId)!.ord_stas).toBe('7');
    const pay = {
      payOrdId: up.value.payOrdId,
      payToken: up.value.payToken,
      payAuthNo,
      mdtrtId: up.value.extData.mdtrtId,
      chrgBchno: 'x',
      acctUsedFlag: '1' as const,
    };
    expect(await client.pay(pay)).toMatchObject({ kind: 'rejected' });
  });

  it('a lost answer, a busy centre and a forged signature are unknown; a refusal is rejected', async () => {
    const payAuthNo = sim.control.authorise(PATIENT.idNo);
    sim.control.inject({ op: 'uldFeeInfo', fault: { kind: 'drop-response' }, times: 1 });
    expect(await client.upload(bill(payAuthNo))).toMatchObject({ kind: 'unknown', reason: 'network' });
    expect(sim.control.ledger.orders()).toHaveLength(1); // processed, only the answer was lost
    sim.control.inject({ op: 'uldFeeInfo', fault: { kind: 'system-error' }, times: 1 });
    expect(await client.upload(bill(payAuthNo))).toMatchObject({ kind: 'unknown', reason: 'busy' });
    sim.control.inject({ op: 'uldFeeInfo', fault: { kind: 'bad-signature' }, times: 1 });
    expect(await client.upload(bill(payAuthNo))).toMatchObject({ kind: 'unknown', reason: 'signature' });
    expect(await client.upload({ ...bill('AUTH-NOT-ISSUED', 'ZY0001-2') })).toMatchObject({ kind: 'rejected', code: '2003' });
  });

  it('the centre refuses a request signed with another key', async () => {
    const stranger = new MobilePayClient(
      MobilePayConfigSchema.parse({
        baseUrl: sim.url,
        ...APP,
        orgCodg: 'H35020300001',
        privateKeyHex: sm2GenerateKeyPair().privateKeyHex,
        centrePublicKeyHex: centreKeys.publicKeyHex,
      }),
    );
    expect(await stranger.upload(bill(sim.control.authorise(PATIENT.idNo)))).toMatchObject({ kind: 'rejected', code: '1001' });
    expect(sim.control.ledger.orders()).toHaveLength(0);
  });
});
