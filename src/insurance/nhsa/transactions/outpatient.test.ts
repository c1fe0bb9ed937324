// Outpatient settlement end to end: the station's client against the simulated centre over HTTP, every request
// decrypted and its signature checked with `sm-crypto` (independent of both), every split checked to the fen.
import smCrypto from 'sm-crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { POPULATION, startCentreWithFreshKeys, type CentreFixture } from '../../../simulators/nhsa';
import { fen } from '../../../shared/money';
import { NhsaClient } from '../client';
import { MemoryMsgIdAllocator } from '../msgid';
import type { CallContext, NhsaOutcome } from '../outcome';
import {
  cancelOutpatientFees,
  cancelOutpatientRegistration,
  cancelOutpatientSettlement,
  preSettleOutpatient,
  registerOutpatient,
  settleOutpatient,
  treatmentCheck,
  uploadOutpatientFees,
  uploadOutpatientVisit,
  type OutpatientFeeLineInput,
} from './outpatient';
import { personInfo } from './person';
import { reconcileTotals } from './reconciliation';
import { reverseTransaction } from './reversal';
import { splitDiscrepancies, type Settlement } from './settlement-output';
import { signIn } from './sign';

const { sm2: refSm2, sm4: refSm4 } = smCrypto;
const CODE = 'H35020300001';
const operator = { opter: 'sf001', opterName: '收费员甲', opterType: '1' } as const;

const chen = POPULATION.find((p) => p.name === '陈建国')!; // 310 employee, in service, Xiamen, account 3256.78
const lin = POPULATION.find((p) => p.name === '林美华')!; // 310 employee, civil servant, account 12890.50
const huang = POPULATION.find((p) => p.name === '黄志强')!; // 390 resident, Xiamen
const zhang = POPULATION.find((p) => p.name === '张伟')!; // 310, suspended

let clock: Date;
let fx: CentreFixture;
let client: NhsaClient;
let ctx: CallContext;
/** Every request's decrypted input, with whether its signature verified in sm-crypto. */
let wire: { infno: string; input: Record<string, unknown>; signed: boolean }[];

beforeEach(async () => {
  clock = new Date('2026-11-22T02:15:30Z'); // 10:15:30 Beijing
  fx = await startCentreWithFreshKeys({ now: () => clock });
  wire = [];
  const key = Buffer.from(fx.clientId, 'latin1');
  client = new NhsaClient(fx.stationConfig(), {
    msgids: new MemoryMsgIdAllocator(CODE),
    now: () => clock,
    fetch: async (url, init) => {
      const body = JSON.parse(String(init?.body)) as { infno: string; input: string; cainfo: string };
      const plain = Buffer.from(refSm4.decrypt(Buffer.from(body.input, 'base64'), key, { output: 'array' }) as number[]);
      const signed = refSm2.doVerifySignature(plain, Buffer.from(body.cainfo, 'base64').toString('hex'), fx.station.publicKeyHex, {
        hash: true,
        der: false,
      });
      wire.push({ infno: body.infno, input: JSON.parse(plain.toString('utf8')) as Record<string, unknown>, signed });
      return fetch(url, init);
    },
  });
  const signedIn = await signIn(client, { operator }, { opterNo: 'sf001', mac: '', ip: '10.1.2.3' });
  if (signedIn.kind !== 'ok') throw new Error('sign-in failed');
  ctx = { operator, signNo: signedIn.output.signNo };
});
afterEach(async () => {
  await fx.centre.close();
});

function expectOk<T>(outcome: NhsaOutcome<T>): T {
  if (outcome.kind !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(outcome)}`);
  return outcome.output;
}

const at = (beijing: string) => new Date(`${beijing.replace(' ', 'T')}+08:00`);
const time = () => new Date(clock.getTime() + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
let serial = 0;

function line(
  med_list_codg: string,
  cnt: string,
  pric: string,
  amount: number,
  extra: Partial<OutpatientFeeLineInput> = {},
): Omit<OutpatientFeeLineInput, 'mdtrt_id' | 'psn_no' | 'chrg_bchno'> {
  serial += 1;
  return {
    feedetl_sn: `FD${String(serial).padStart(6, '0')}`,
    fee_ocur_time: time(),
    med_list_codg,
    medins_list_codg: `H${serial}`,
    det_item_fee_sumamt: amount,
    cnt,
    pric,
    bilg_dept_codg: '0301',
    bilg_dept_name: '呼吸内科门诊',
    bilg_dr_codg: 'D350200001',
    bilg_dr_name: '林医生',
    ...extra,
  };
}

/** A visit's lines priced under the training policy (docs/nhsa-policy.md, example 1): total 157.10. */
const TYPICAL_LINES = () => [
  line('001102000010000', '1', '10.00', 1000), // 普通门诊诊察费, class A
  line('XJ01CAA040A001010100005', '2', '18.60', 3720), // 阿莫西林, class A
  line('XJ01DCC047A001010102934', '1', '35.00', 3500), // 头孢克洛, class B drug, 3.00 over the 32.00 limit
  line('002501000010000', '1', '20.00', 2000), // 血常规, class A
  line('002503010120000', '1', '25.00', 2500), // CRP, class B service
  line('ZA04AAS0157010109527', '1', '29.90', 2990), // 蒲地蓝, class C
];

interface Visit {
  psn_no: string;
  insuplc: string;
  mdtrt_id: string;
  ipt_otp_no: string;
  chrg_bchno: string;
  cert: { mdtrt_cert_type: '02'; mdtrt_cert_no: string };
}

async function registerAndUpload(person: (typeof POPULATION)[number], lines = TYPICAL_LINES()): Promise<Visit> {
  const insurance = person.insurances[0]!;
  const pctx = { ...ctx, insuplcAdmdvs: insurance.insuplcAdmdvs };
  serial += 1;
  const cert = { mdtrt_cert_type: '02' as const, mdtrt_cert_no: person.idNo };
  const registration = expectOk(
    await registerOutpatient(client, pctx, {
      psn_no: person.psnNo,
      insutype: insurance.insutype,
      begntime: time(),
      ...cert,
      ipt_otp_no: `MZ${serial}`,
      atddr_no: 'D350200001',
      dr_name: '林医生',
      dept_code: '0301',
      dept_name: '呼吸内科门诊',
      caty: 'A03',
    }),
  );
  const visit: Visit = {
    psn_no: person.psnNo,
    insuplc: insurance.insuplcAdmdvs,
    mdtrt_id: registration.mdtrt_id,
    ipt_otp_no: registration.ipt_otp_no,
    chrg_bchno: `CB${serial}`,
    cert,
  };
  expectOk(
    await uploadOutpatientVisit(client, pctx, {
      mdtrtinfo: {
        mdtrt_id: visit.mdtrt_id,
        psn_no: person.psnNo,
        med_type: '11',
        begntime: time(),
        dise_codg: 'J06.900',
        dise_name: '急性上呼吸道感染',
      },
      diseinfo: [
        {
          diag_type: '1',
          diag_srt_no: 1,
          diag_code: 'J06.900',
          diag_name: '急性上呼吸道感染',
          diag_dept: '呼吸内科',
          dise_dor_no: 'D350200001',
          dise_dor_name: '林医生',
          diag_time: time(),
        },
      ],
    }),
  );
  expectOk(
    await uploadOutpatientFees(client, pctx, {
      feedetail: lines.map((l) => ({ ...l, mdtrt_id: visit.mdtrt_id, psn_no: person.psnNo, chrg_bchno: visit.chrg_bchno })),
    }),
  );
  return visit;
}

function settlementInput(visit: Visit, total: number, acct: '0' | '1' = '1') {
  return {
    psn_no: visit.psn_no,
    ...visit.cert,
    med_type: '11',
    medfee_sumamt: total,
    psn_setlway: '01',
    mdtrt_id: visit.mdtrt_id,
    chrg_bchno: visit.chrg_bchno,
    insutype: POPULATION.find((p) => p.psnNo === visit.psn_no)!.insurances[0]!.insutype,
    acct_used_flag: acct,
  };
}

const vctx = (visit: Visit): CallContext => ({ ...ctx, insuplcAdmdvs: visit.insuplc });

async function settle(visit: Visit, total: number, acct: '0' | '1' = '1'): Promise<Settlement & { msgid: string }> {
  const outcome = await settleOutpatient(client, vctx(visit), settlementInput(visit, total, acct));
  return { ...expectOk(outcome), msgid: outcome.msgid };
}

function expectAddsUp(s: Settlement['setlinfo']): void {
  expect(splitDiscrepancies(s)).toEqual([]);
  expect(s.fund_pay_sumamt + s.acct_pay + s.psn_cash_pay).toBe(s.medfee_sumamt);
}

describe('the full outpatient sequence', () => {
  it('9001 → 1101 → 2201 → 2203 → 2204 → 2206 → 2207 → 3201: the split adds up and 3201 balances with the sum of settlements', async () => {
    const person = expectOk(await personInfo(client, ctx, { certType: '02', certNo: chen.idNo }));
    expect(person.insuinfo[0]).toMatchObject({ insutype: '310', balanceFen: 325678, insuplc_admdvs: '350200' });

    const first = await registerAndUpload(chen);
    const preview = expectOk(await preSettleOutpatient(client, vctx(first), settlementInput(first, 15710)));
    expect(preview.setlinfo).toMatchObject({ setl_id: '', medfee_sumamt: 15710 });
    const one = await settle(first, 15710);
    // The pre-settlement showed the patient exactly what the settlement booked.
    expect({ ...one.setlinfo, setl_id: '', setl_time: '', medins_setl_id: '' }).toEqual(preview.setlinfo);
    expect(one.setlinfo).toMatchObject({
      medfee_sumamt: 15710,
      fulamt_ownpay_amt: 2990,
      overlmt_selfpay: 300,
      preselfpay_amt: 820,
      inscp_scp_amt: 11600,
      act_pay_dedc: 11600, // the first visit of the year: all of it goes to the 200.00 deductible
      hifp_pay: 0,
      fund_pay_sumamt: 0,
      acct_pay: 15710,
      psn_cash_pay: 0,
      balc: 325678 - 15710,
      medins_setl_id: one.msgid,
      clr_type: '11',
    });
    expectAddsUp(one.setlinfo);

    // A second visit the same day: 84.00 of deductible left, then 70 % of the rest.
    const second = await registerAndUpload(chen);
    const two = await settle(second, 15710, '0');
    expect(two.setlinfo).toMatchObject({ act_pay_dedc: 8400, hifp_pay: 2240, fund_pay_sumamt: 2240, acct_pay: 0, psn_cash_pay: 13470 });
    expectAddsUp(two.setlinfo);

    const totals = [one, two].reduce(
      (t, s) => ({
        medfee_sumamt: t.medfee_sumamt + s.setlinfo.medfee_sumamt,
        fund_pay_sumamt: t.fund_pay_sumamt + s.setlinfo.fund_pay_sumamt,
        acct_pay: t.acct_pay + s.setlinfo.acct_pay,
      }),
      { medfee_sumamt: 0, fund_pay_sumamt: 0, acct_pay: 0 },
    );
    const period = {
      insutype: '310',
      clr_type: '11',
      setl_optins: '350200',
      stmt_begndate: '2026-11-22',
      stmt_enddate: '2026-11-22',
    } as const;
    const balanced = expectOk(await reconcileTotals(client, ctx, { ...period, ...totals, fixmedins_setl_cnt: 2 }));
    expect(balanced).toMatchObject({ balanced: true, stmt_rslt: '0' });
    const off = expectOk(
      await reconcileTotals(client, ctx, { ...period, ...totals, acct_pay: fen(totals.acct_pay + 1), fixmedins_setl_cnt: 2 }),
    );
    expect(off).toMatchObject({ balanced: false, stmt_rslt: '1' });
    expect(off.stmt_rslt_dscr).toContain('个人账户支付157.10');

    // The account the centre debited shows in 1101.
    expect(expectOk(await personInfo(client, ctx, { certType: '02', certNo: chen.idNo })).insuinfo[0]?.balanceFen).toBe(325678 - 15710);
    expect(wire.every((w) => w.signed)).toBe(true);
  });

  it.each([
    ['2208 cancel', 'cancel'],
    ['2601 reversal of the 2207', 'reverse'],
  ] as const)('%s leaves the net totals at zero and gives back the deductible and the account', async (_label, how) => {
    const visit = await registerAndUpload(chen);
    const booked = await settle(visit, 15710);
    if (how === 'cancel') {
      const twin = expectOk(
        await cancelOutpatientSettlement(client, vctx(visit), {
          setl_id: booked.setlinfo.setl_id,
          mdtrt_id: visit.mdtrt_id,
          psn_no: chen.psnNo,
        }),
      );
      expect(twin.setlinfo).toMatchObject({ medfee_sumamt: -15710, act_pay_dedc: -11600, acct_pay: -15710, balc: 325678 });
      expect(twin.setlinfo.setl_id).not.toBe(booked.setlinfo.setl_id);
      expectAddsUp(twin.setlinfo);
    } else {
      expectOk(await reverseTransaction(client, vctx(visit), { psn_no: chen.psnNo, omsgid: booked.msgid, oinfno: '2207' }));
    }
    const period = {
      insutype: '310',
      clr_type: '11',
      setl_optins: '350200',
      stmt_begndate: '2026-11-22',
      stmt_enddate: '2026-11-22',
    } as const;
    const zero = { medfee_sumamt: fen(0), fund_pay_sumamt: fen(0), acct_pay: fen(0), fixmedins_setl_cnt: 0 };
    expect(expectOk(await reconcileTotals(client, ctx, { ...period, ...zero }))).toMatchObject({ balanced: true });
    // Without refunds the forward settlement alone is counted.
    expect(
      expectOk(
        await reconcileTotals(client, ctx, {
          ...period,
          refd_setl_flag: '0',
          medfee_sumamt: fen(15710),
          fund_pay_sumamt: fen(0),
          acct_pay: fen(15710),
          fixmedins_setl_cnt: 1,
        }),
      ),
    ).toMatchObject({ balanced: true });

    // Everything consumed came back: the same fee lines settle again exactly as the first time.
    const again = await settle(visit, 15710);
    expect(again.setlinfo).toMatchObject({ act_pay_dedc: 11600, acct_pay: 15710, balc: 325678 - 15710 });
  });
});

describe('policy at the centre, seen through the client', () => {
  it('charges the deductible per calendar year in China time: 31 Dec and 1 Jan are different years, and a cancel gives back to the right year', async () => {
    clock = at('2026-12-31 23:59:00');
    const ctxDec = { ...ctx, signNo: expectOk(await signIn(client, { operator }, { opterNo: 'sf001', mac: '', ip: '10.1.2.3' })).signNo };
    ctx = ctxDec;
    const december = await registerAndUpload(chen);
    const dec = await settle(december, 15710, '0');
    expect(dec.setlinfo.act_pay_dedc).toBe(11600);

    clock = at('2027-01-01 00:00:30'); // 16:00:30 UTC on 31 Dec: still 2026 in UTC, 2027 in China
    ctx = { ...ctx, signNo: expectOk(await signIn(client, { operator }, { opterNo: 'sf001', mac: '', ip: '10.1.2.3' })).signNo };
    // The December settlement is cancelled in January: it gives back 2026's deductible, not 2027's.
    expectOk(
      await cancelOutpatientSettlement(client, vctx(december), {
        setl_id: dec.setlinfo.setl_id,
        mdtrt_id: december.mdtrt_id,
        psn_no: chen.psnNo,
      }),
    );
    const january = await registerAndUpload(chen, [...TYPICAL_LINES(), line('002202030010000', '1', '200.00', 20000)]); // + CT, class B
    const jan = await settle(january, 35710, '0');
    // A fresh year: the full 200.00 deductible, no more (a twin booked in 2027 would have made it 316.00).
    expect(jan.setlinfo.act_pay_dedc).toBe(20000);
    expect(jan.setlinfo.inscp_scp_amt).toBe(11600 + 16000);
    expect(jan.setlinfo.hifp_pay).toBe(5320); // 70 % of 76.00
    expectAddsUp(jan.setlinfo);
  });

  it('rounds the pooled-fund ratio half up once per settlement, and the parts still add to the fen', async () => {
    // A resident (50 %): the deductible (100.00) first, then 3 x 6.35 + 1 x 0.01-odd in-scope lines.
    const first = await registerAndUpload(huang, [line('002501000010000', '5', '20.00', 10000)]);
    expect((await settle(first, 10000, '0')).setlinfo).toMatchObject({ act_pay_dedc: 10000, hifp_pay: 0 });
    const odd = await registerAndUpload(huang, [
      line('XN02BEA011A001010104061', '3', '6.35', 1905), // class A
      line('XN02BEA011A001010104061', '1', '6.35', 635),
      line('001204000010000', '1', '5.99', 599),
    ]);
    const s = (await settle(odd, 3139, '0')).setlinfo;
    // 50 % of 31.39 = 15.695 -> 15.70 (half up, once); per-line rounding would give 9.53 + 3.18 + 3.00 = 15.71.
    expect(s).toMatchObject({ inscp_scp_amt: 3139, act_pay_dedc: 0, hifp_pay: 1570, psn_cash_pay: 1569 });
    expectAddsUp(s);
  });

  it('tops up a civil servant (320) with half of what the employee insurance left in scope', async () => {
    const first = await registerAndUpload(lin, [line('002202030010000', '2', '200.00', 40000)]); // CT x 2, class B service
    const s = (await settle(first, 40000, '1')).setlinfo;
    // in scope 320.00; deductible 200.00; 70 % of 120.00 = 84.00; civil servant 50 % of (320.00 - 84.00) = 118.00
    expect(s).toMatchObject({ inscp_scp_amt: 32000, act_pay_dedc: 20000, hifp_pay: 8400, cvlserv_pay: 11800, fund_pay_sumamt: 20200 });
    expect(s.acct_pay).toBe(40000 - 20200);
    expectAddsUp(s);
  });
});

describe('outpatient requests on the wire', () => {
  it('use the national field names, amounts as yuan text, every optional text present', async () => {
    const visit = await registerAndUpload(chen, [line('XJ01CAA040A001010100005', '2', '18.60', 3720)]);
    await settle(visit, 3720);
    const byInfno = (infno: string) => wire.find((w) => w.infno === infno)!.input;
    expect(Object.keys((byInfno('2201') as { data: object }).data).sort()).toEqual(
      [
        'psn_no',
        'insutype',
        'begntime',
        'mdtrt_cert_type',
        'mdtrt_cert_no',
        'ipt_otp_no',
        'atddr_no',
        'dr_name',
        'dept_code',
        'dept_name',
        'caty',
      ].sort(),
    );
    expect(Object.keys((byInfno('2203') as { mdtrtinfo: object }).mdtrtinfo).sort()).toEqual(
      [
        'mdtrt_id',
        'psn_no',
        'med_type',
        'begntime',
        'main_cond_dscr',
        'dise_codg',
        'dise_name',
        'birctrl_type',
        'birctrl_matn_date',
      ].sort(),
    );
    const feeLine = (byInfno('2204') as { feedetail: Record<string, unknown>[] }).feedetail[0]!;
    expect(feeLine).toMatchObject({
      det_item_fee_sumamt: '37.20',
      cnt: '2',
      pric: '18.60',
      hosp_appr_flag: '1',
      rx_circ_flag: '0',
      etip_flag: '',
    });
    for (const key of [
      'feedetl_sn',
      'mdtrt_id',
      'psn_no',
      'chrg_bchno',
      'fee_ocur_time',
      'med_list_codg',
      'medins_list_codg',
      'bilg_dept_codg',
      'bilg_dr_name',
      'dise_codg',
      'rxno',
      'sin_dos_dscr',
      'matn_fee_flag',
    ]) {
      expect(feeLine).toHaveProperty(key);
    }
    expect((byInfno('2207') as { data: object }).data).toEqual({
      psn_no: chen.psnNo,
      mdtrt_cert_type: '02',
      mdtrt_cert_no: chen.idNo,
      med_type: '11',
      medfee_sumamt: '37.20',
      psn_setlway: '01',
      mdtrt_id: visit.mdtrt_id,
      chrg_bchno: visit.chrg_bchno,
      insutype: '310',
      acct_used_flag: '1',
      invono: '',
    });
    expect(wire.every((w) => w.signed)).toBe(true);
  });

  it('refuse bad input before a msgid is spent', async () => {
    const sent = wire.length;
    const visit: Visit = {
      psn_no: chen.psnNo,
      insuplc: '350200',
      mdtrt_id: 'M',
      ipt_otp_no: 'MZ',
      chrg_bchno: 'C',
      cert: { mdtrt_cert_type: '02', mdtrt_cert_no: 'X' },
    };
    await expect(settleOutpatient(client, ctx, settlementInput(visit, -1))).rejects.toThrow(ZodError);
    await expect(
      uploadOutpatientFees(client, ctx, {
        feedetail: [{ ...line('X', '1.00001', '1.00', 100), mdtrt_id: 'M', psn_no: 'P', chrg_bchno: 'C' }],
      }),
    ).rejects.toThrow(ZodError);
    const dup = line('XJ01CAA040A001010100005', '1', '18.60', 1860);
    await expect(
      uploadOutpatientFees(client, ctx, { feedetail: [dup, dup].map((l) => ({ ...l, mdtrt_id: 'M', psn_no: 'P', chrg_bchno: 'C' })) }),
    ).rejects.toThrow(/unique/);
    expect(wire.length).toBe(sent);
  });
});

describe('2204 per-line results', () => {
  it('price each line by charge level, price limit and pre-self-pay ratio; each line adds up', async () => {
    const person = chen;
    const pctx = { ...ctx, insuplcAdmdvs: '350200' };
    const reg = expectOk(
      await registerOutpatient(client, pctx, {
        psn_no: person.psnNo,
        insutype: '310',
        begntime: time(),
        mdtrt_cert_type: '02',
        mdtrt_cert_no: person.idNo,
        ipt_otp_no: 'MZ-LINES',
        atddr_no: 'D1',
        dr_name: '林医生',
        dept_code: '0301',
        dept_name: '呼吸内科门诊',
        caty: 'A03',
      }),
    );
    const lines = TYPICAL_LINES().map((l) => ({ ...l, mdtrt_id: reg.mdtrt_id, psn_no: person.psnNo, chrg_bchno: 'CB-LINES' }));
    const { result } = expectOk(await uploadOutpatientFees(client, pctx, { feedetail: lines }));
    expect(
      result.map((r) => [
        r.chrgitm_lv,
        r.selfpay_prop,
        r.pric_uplmt_amt,
        r.fulamt_ownpay_amt,
        r.overlmt_amt,
        r.preselfpay_amt,
        r.inscp_scp_amt,
      ]),
    ).toEqual([
      ['01', '0', '10', 0, 0, 0, 1000],
      ['01', '0', '25', 0, 0, 0, 3720],
      ['02', '0.1', '32', 0, 300, 320, 2880],
      ['01', '0', '20', 0, 0, 0, 2000],
      ['02', '0.2', '25', 0, 0, 500, 2000],
      ['03', '1', '', 2990, 0, 0, 0],
    ]);
    for (const r of result) expect(r.fulamt_ownpay_amt + r.overlmt_amt + r.preselfpay_amt + r.inscp_scp_amt).toBe(r.det_item_fee_sumamt);
  });
});

describe('outpatient refusals and cancels', () => {
  it('2001 says whether benefits apply; a suspended insurance cannot register', async () => {
    const check = (p: typeof chen) =>
      treatmentCheck(
        client,
        { ...ctx, insuplcAdmdvs: p.insurances[0]!.insuplcAdmdvs },
        { psn_no: p.psnNo, insutype: '310', med_type: '11', begntime: time() },
      );
    expect(expectOk(await check(chen)).trtinfo[0]).toMatchObject({ trt_enjymnt_flag: '1' });
    expect(expectOk(await check(zhang)).trtinfo[0]).toMatchObject({
      trt_enjymnt_flag: '0',
      trt_chk_rslt: expect.stringContaining('暂停参保') as unknown,
    });
    expect(wire.at(-1)?.input).toMatchObject({ data: { fixmedins_code: CODE } });
    await expect(registerAndUpload(zhang)).rejects.toThrow(/暂停参保/);
  });

  it('the centre refuses what does not fit its ledger, with its own message', async () => {
    const visit = await registerAndUpload(chen, [line('XJ01CAA040A001010100005', '2', '18.60', 3720)]);
    const v = vctx(visit);
    expect(await settleOutpatient(client, v, settlementInput(visit, 3721))).toMatchObject({
      kind: 'rejected',
      errMsg: '医疗费总额与上传的费用明细总额不符',
    });
    expect(await settleOutpatient(client, { ...v, insuplcAdmdvs: '440300' }, settlementInput(visit, 3720))).toMatchObject({
      kind: 'rejected',
      errMsg: '参保地医保区划与人员参保信息不符',
    });
    expect(
      await uploadOutpatientFees(client, v, {
        feedetail: [
          { ...line('XJ01CAA040A001010100005', '2', '18.60', 3730), mdtrt_id: visit.mdtrt_id, psn_no: chen.psnNo, chrg_bchno: 'X' },
        ],
      }),
    ).toMatchObject({ kind: 'rejected', errMsg: expect.stringContaining('明细金额与数量、单价不符') as unknown });
    expect(
      await uploadOutpatientFees(client, v, {
        feedetail: [{ ...line('NOT-IN-CATALOGUE', '1', '1.00', 100), mdtrt_id: visit.mdtrt_id, psn_no: chen.psnNo, chrg_bchno: 'X' }],
      }),
    ).toMatchObject({ kind: 'rejected', errMsg: '医保目录编码不存在：NOT-IN-CATALOGUE' });

    const booked = await settle(visit, 3720);
    const cancelRef = { mdtrt_id: visit.mdtrt_id, chrg_bchno: visit.chrg_bchno, psn_no: chen.psnNo };
    expect(await cancelOutpatientFees(client, v, cancelRef)).toMatchObject({ kind: 'rejected', errMsg: '费用明细已结算，请先撤销结算' });
    const registrationRef = { psn_no: chen.psnNo, mdtrt_id: visit.mdtrt_id, ipt_otp_no: visit.ipt_otp_no };
    expect(await cancelOutpatientRegistration(client, v, registrationRef)).toMatchObject({
      kind: 'rejected',
      errMsg: '存在未撤销的费用明细，不能撤销挂号',
    });

    // Undo in order: 2208, 2205, 2202; a second 2208 is refused.
    const setlRef = { setl_id: booked.setlinfo.setl_id, mdtrt_id: visit.mdtrt_id, psn_no: chen.psnNo };
    expectOk(await cancelOutpatientSettlement(client, v, setlRef));
    expect(await cancelOutpatientSettlement(client, v, setlRef)).toMatchObject({ kind: 'rejected', errMsg: '结算已撤销，不能重复撤销' });
    expectOk(await cancelOutpatientFees(client, v, cancelRef));
    expectOk(await cancelOutpatientRegistration(client, v, registrationRef));
    expect(await settleOutpatient(client, v, settlementInput(visit, 3720))).toMatchObject({
      kind: 'rejected',
      errMsg: '就诊状态不允许结算',
    });
  });

  it.each(['2204', '2207'] as const)('%s: a lost answer retried with the same msgid books nothing twice', async (infno) => {
    const visit = await registerAndUpload(chen, [line('XJ01CAA040A001010100005', '2', '18.60', 3720)]);
    fx.centre.control.inject({ infno, fault: { kind: 'drop-response' }, times: 1 });
    // A client whose allocator repeats the msgid it is given: a retry of the same message.
    let fixed = '';
    const retrying = new NhsaClient(fx.stationConfig(), {
      now: () => clock,
      msgids: { next: (now) => (fixed ||= new MemoryMsgIdAllocator('H35020300001').next(new Date(now.getTime() + 3_600_000))) },
    });
    // The very same message each time: a retry carries the input it first carried.
    const feeLine = {
      ...line('001102000010000', '1', '10.00', 1000),
      mdtrt_id: visit.mdtrt_id,
      psn_no: chen.psnNo,
      chrg_bchno: 'CB-RETRY',
    };
    const send = () =>
      infno === '2207'
        ? settleOutpatient(retrying, vctx(visit), settlementInput(visit, 3720))
        : uploadOutpatientFees(retrying, vctx(visit), { feedetail: [feeLine] });
    expect(await send()).toMatchObject({ kind: 'unknown', reason: 'network' });
    const answered = await send();
    expect(answered.kind).toBe('ok');
    expect(fx.centre.control.messages().filter((m) => m.msgid === fixed)).toHaveLength(1);
    expect(fx.centre.control.requests().at(-1)).toMatchObject({ msgid: fixed, replayed: true });
    if (infno === '2207') {
      // Booked once: the account was debited once.
      expect(expectOk(await personInfo(client, ctx, { certType: '02', certNo: chen.idNo })).insuinfo[0]?.balanceFen).toBe(325678 - 3720);
    }
  });
});

describe('settlement answers that do not add up', () => {
  const rewriting =
    (mutate: (setlinfo: Record<string, unknown>) => void): typeof fetch =>
    async (url, init) => {
      const response = await fetch(url, init);
      const body = JSON.parse(await response.text()) as { output?: { setlinfo?: Record<string, unknown> } };
      if (body.output?.setlinfo) mutate(body.output.setlinfo);
      return new Response(JSON.stringify(body), { status: response.status, headers: response.headers });
    };

  it.each([
    ['fund + account + cash != total', (s: Record<string, unknown>) => (s.psn_cash_pay = Number(s.psn_cash_pay) + 0.01), 'medfee_sumamt'],
    ['psn_part_amt != account + cash', (s: Record<string, unknown>) => (s.psn_part_amt = Number(s.psn_part_amt) - 0.01), 'psn_part_amt'],
    ['an amount with three decimals', (s: Record<string, unknown>) => (s.acct_pay = '1.001'), 'setlinfo.acct_pay'],
    ['no setl_id on a settlement', (s: Record<string, unknown>) => (s.setl_id = ''), 'setlinfo.setl_id'],
  ])('are unknown (schema), never ok: %s', async (_label, mutate, detail) => {
    const plain = await startCentreWithFreshKeys({ profile: 'plain', now: () => clock });
    try {
      const msgids = new MemoryMsgIdAllocator(CODE);
      const good = new NhsaClient(plain.stationConfig(), { msgids, now: () => clock });
      const bad = new NhsaClient(plain.stationConfig(), { msgids, now: () => clock, fetch: rewriting(mutate) });
      const signNo = expectOk(await signIn(good, { operator }, { opterNo: 'sf001', mac: '', ip: '10.1.2.3' })).signNo;
      const c = { operator, signNo, insuplcAdmdvs: '350200' };
      const reg = expectOk(
        await registerOutpatient(good, c, {
          psn_no: chen.psnNo,
          insutype: '310',
          begntime: time(),
          mdtrt_cert_type: '02',
          mdtrt_cert_no: chen.idNo,
          ipt_otp_no: 'MZ-BAD',
          atddr_no: 'D1',
          dr_name: '林医生',
          dept_code: '0301',
          dept_name: '内科',
          caty: 'A03',
        }),
      );
      expectOk(
        await uploadOutpatientFees(good, c, {
          feedetail: [
            { ...line('XJ01CAA040A001010100005', '2', '18.60', 3720), mdtrt_id: reg.mdtrt_id, psn_no: chen.psnNo, chrg_bchno: 'CB' },
          ],
        }),
      );
      const visit: Visit = {
        psn_no: chen.psnNo,
        insuplc: '350200',
        mdtrt_id: reg.mdtrt_id,
        ipt_otp_no: 'MZ-BAD',
        chrg_bchno: 'CB',
        cert: { mdtrt_cert_type: '02', mdtrt_cert_no: chen.idNo },
      };
      const outcome = await settleOutpatient(bad, c, settlementInput(visit, 3720));
      expect(outcome).toMatchObject({ kind: 'unknown', reason: 'schema', detail: expect.stringContaining(detail) as unknown });
    } finally {
      await plain.centre.close();
    }
  });
});
