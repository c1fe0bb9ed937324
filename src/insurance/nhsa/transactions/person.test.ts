import smCrypto from 'sm-crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { POPULATION, startCentreWithFreshKeys, TRAINING_VOUCHERS, type CentreFixture } from '../../../simulators/nhsa';
import { decodeVoucher } from '../../ec/voucher-client';
import { NhsaClient } from '../client';
import { MemoryMsgIdAllocator } from '../msgid';
import type { CallContext } from '../outcome';
import { personInfo } from './person';
import { signIn } from './sign';

const { sm4: refSm4 } = smCrypto;

const CODE = 'H35020300001';
const NOW = new Date('2026-11-22T02:15:30Z');

let fx: CentreFixture;
let client: NhsaClient;
let ctx: CallContext;
let wireInputs: unknown[];

beforeEach(async () => {
  fx = await startCentreWithFreshKeys({ now: () => NOW });
  wireInputs = [];
  const key = Buffer.from(fx.clientId, 'latin1');
  client = new NhsaClient(
    {
      baseUrl: fx.centre.url,
      urlStyle: 'per-infno',
      profile: 'sm',
      institution: { code: CODE, name: '厦门市模拟医院', admdvs: '350200' },
      centreRegion: fx.region,
      recerSysCode: 'SIM',
      timeoutMs: 2_000,
      clientId: fx.clientId,
      stationPrivateKeyHex: fx.station.privateKeyHex,
      centrePublicKeyHex: fx.centrePublicKeyHex,
    },
    {
      msgids: new MemoryMsgIdAllocator(CODE),
      now: () => NOW,
      fetch: async (url, init) => {
        const { input } = JSON.parse(String(init?.body)) as { input: string };
        const plain = refSm4.decrypt(Buffer.from(input, 'base64'), key, { output: 'array' }) as number[];
        wireInputs.push(JSON.parse(Buffer.from(plain).toString('utf8')));
        return fetch(url, init);
      },
    },
  );
  const operator = { opter: 'sf001', opterName: '收费员甲', opterType: '1' } as const;
  const signedIn = await signIn(client, { operator }, { opterNo: 'sf001', mac: '', ip: '10.1.2.3' });
  if (signedIn.kind !== 'ok') throw new Error('sign-in failed');
  ctx = { operator, signNo: signedIn.output.signNo };
  wireInputs = [];
});
afterEach(async () => {
  await fx.centre.close();
});

describe('1101 person info', () => {
  it('by ID card: sends the national data node and returns typed output with the balance in fen', async () => {
    const outcome = await personInfo(client, ctx, { certType: '02', certNo: '350203196804122036' });
    expect(wireInputs).toEqual([
      {
        data: {
          mdtrt_cert_type: '02',
          mdtrt_cert_no: '350203196804122036',
          card_sn: '',
          begntime: '',
          psn_cert_type: '01',
          certno: '350203196804122036',
          psn_name: '',
        },
      },
    ]);
    expect(outcome).toEqual({
      kind: 'ok',
      msgid: expect.stringMatching(/^H35020300001\d{18}$/) as unknown,
      infRefmsgid: expect.stringMatching(/^350200\d{24}$/) as unknown,
      warnMsg: '',
      output: {
        baseinfo: {
          psn_no: '35020000000000000101',
          psn_cert_type: '01',
          certno: '350203196804122036',
          psn_name: '陈建国',
          gend: '1',
          naty: '01',
          brdy: '1968-04-12',
          age: 58,
        },
        insuinfo: [
          {
            balanceFen: 325678,
            insutype: '310',
            psn_type: '11',
            cvlserv_flag: '0',
            insuplc_admdvs: '350200',
            emp_name: '厦门鹭江机械制造有限公司',
            psn_insu_stas: '1',
            psn_insu_date: '1992-07-01',
            paus_insu_date: '',
          },
        ],
        idetinfo: [],
      },
    });
  });

  it('converts every balance exactly (no float drift) and reports the insured region for cross-region patients', async () => {
    for (const person of POPULATION) {
      const outcome = await personInfo(client, ctx, { certType: '02', certNo: person.idNo });
      if (outcome.kind !== 'ok') throw new Error(`${person.name}: ${outcome.kind}`);
      const [insurance] = outcome.output.insuinfo;
      const [yuan = '', cents = ''] = person.insurances[0]!.balc.split('.');
      expect(insurance?.balanceFen).toBe(Number(yuan) * 100 + Number(cents));
      expect(insurance?.insuplc_admdvs).toBe(person.insurances[0]!.insuplcAdmdvs);
      expect(outcome.output.baseinfo.psn_name).toBe(person.name); // includes 周𠮷安 (4-byte UTF-8)
    }
  });

  it('by e-voucher: decode the QR, then 1101 with cert type 01 and the ecToken', async () => {
    const voucher = TRAINING_VOUCHERS.find((v) => v.region === '440300')!;
    const decoded = await decodeVoucher(
      fx.centre.voucherUrl,
      { orgId: CODE, businessType: '01101', operatorId: 'sf001', operatorName: '收费员甲', qrCode: voucher.qr },
      { timeoutMs: 2_000 },
    );
    if (decoded.kind !== 'ok') throw new Error(`decode: ${decoded.kind}`);
    const outcome = await personInfo(client, ctx, { certType: '01', certNo: decoded.ecToken });
    expect(wireInputs[0]).toMatchObject({ data: { mdtrt_cert_type: '01', mdtrt_cert_no: decoded.ecToken, certno: '' } });
    expect(outcome).toMatchObject({
      kind: 'ok',
      output: {
        baseinfo: { psn_no: voucher.psnNo, psn_name: voucher.name },
        insuinfo: [{ insutype: voucher.insutype, insuplc_admdvs: '440300' }],
      },
    });
  });

  it('by social-security card, which needs the card_sn', async () => {
    const person = POPULATION[4]!;
    const outcome = await personInfo(client, ctx, { certType: '03', certNo: person.cardNo, cardSn: person.cardSn });
    expect(wireInputs[0]).toMatchObject({ data: { mdtrt_cert_type: '03', mdtrt_cert_no: person.cardNo, card_sn: person.cardSn } });
    expect(outcome).toMatchObject({ kind: 'ok', output: { baseinfo: { psn_no: person.psnNo } } });
    await expect(personInfo(client, ctx, { certType: '03', certNo: person.cardNo })).rejects.toBeInstanceOf(ZodError);
  });

  it('passes the suspended-insurance warning and identity records through', async () => {
    const suspended = await personInfo(client, ctx, { certType: '02', certNo: '350205196001012514' });
    expect(suspended).toMatchObject({
      kind: 'ok',
      warnMsg: '该人员存在暂停参保的险种',
      output: { insuinfo: [{ psn_insu_stas: '2', paus_insu_date: '2026-06-30' }] },
    });
    const withIdentity = await personInfo(client, ctx, { certType: '02', certNo: '350211195203054010' });
    expect(withIdentity).toMatchObject({ kind: 'ok', output: { idetinfo: [{ memo: '优抚对象', emp_name: '' }] } });
  });

  it('an unknown person is a rejection with the centre message', async () => {
    expect(await personInfo(client, ctx, { certType: '02', certNo: '110101199003070000' })).toMatchObject({
      kind: 'rejected',
      infcode: -1,
      errMsg: '未查询到人员参保信息',
    });
  });

  it('an expired or foreign e-voucher token is a rejection', async () => {
    expect(await personInfo(client, ctx, { certType: '01', certNo: 'A'.repeat(32) })).toMatchObject({
      kind: 'rejected',
      errMsg: '电子凭证令牌无效或已过期',
    });
  });

  it('refuses invalid input before sending', async () => {
    await expect(personInfo(client, ctx, { certType: '04' as '01', certNo: 'x' })).rejects.toBeInstanceOf(ZodError);
    await expect(personInfo(client, ctx, { certType: '02', certNo: '  ' })).rejects.toBeInstanceOf(ZodError);
    expect(wireInputs).toEqual([]);
  });

  it('each transport failure is unknown, never a rejection', async () => {
    const faults = [
      { kind: 'http-500' },
      { kind: 'malformed-json' },
      { kind: 'bad-signature' },
      { kind: 'wrong-refmsgid' },
      { kind: 'drop-response' },
    ] as const;
    for (const fault of faults) {
      fx.centre.control.inject({ infno: '1101', fault, times: 1 });
      const outcome = await personInfo(client, ctx, { certType: '02', certNo: '350203196804122036' });
      expect(outcome.kind, fault.kind).toBe('unknown');
    }
  });
});
