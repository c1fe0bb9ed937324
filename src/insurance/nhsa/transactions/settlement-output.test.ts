// The settlement answer's extension field: 补充累计起付 (bcljqf in exp_content) read from a setlinfo, and the
// simulated centre supplying it over the wire — for employees (310) on 2206/2207, never for residents (390).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { POPULATION, startCentreWithFreshKeys, type CentreFixture } from '../../../simulators/nhsa';
import { NhsaClient } from '../client';
import { MemoryMsgIdAllocator } from '../msgid';
import type { CallContext, NhsaOutcome } from '../outcome';
import {
  cancelOutpatientSettlement,
  preSettleOutpatient,
  registerOutpatient,
  settleOutpatient,
  uploadOutpatientFees,
  uploadOutpatientVisit,
} from './outpatient';
import { SettlementOutput, supplementaryCumulativeDeductible } from './settlement-output';
import { signIn } from './sign';

/** A minimal booked answer that adds up: 100.00 = 60.00 fund + 30.00 account + 10.00 cash. */
function answer(extra: Record<string, unknown> = {}) {
  return {
    setlinfo: {
      setl_id: 'S1',
      mdtrt_id: 'M1',
      psn_no: 'P1',
      insutype: '310',
      medfee_sumamt: '100.00',
      fund_pay_sumamt: '60.00',
      acct_pay: '30.00',
      psn_cash_pay: '10.00',
      ...extra,
    },
    setldetail: [],
  };
}

describe('supplementaryCumulativeDeductible', () => {
  it('reads bcljqf (yuan text) from exp_content as fen', () => {
    expect(supplementaryCumulativeDeductible({ exp_content: '{"bcljqf":"123.45"}' })).toBe(12345);
    expect(supplementaryCumulativeDeductible({ exp_content: '{"other":"x","bcljqf":"200"}' })).toBe(20000);
    expect(supplementaryCumulativeDeductible({ exp_content: '{"bcljqf":"0.10"}' })).toBe(10);
    expect(supplementaryCumulativeDeductible({ exp_content: '{"bcljqf":0.3}' })).toBe(30); // a centre sending a JSON number
  });

  it('is null when the scheme does not supply it', () => {
    expect(supplementaryCumulativeDeductible({})).toBeNull();
    expect(supplementaryCumulativeDeductible({ exp_content: '' })).toBeNull();
    expect(supplementaryCumulativeDeductible({ exp_content: null })).toBeNull();
    expect(supplementaryCumulativeDeductible({ exp_content: '{}' })).toBeNull();
    expect(supplementaryCumulativeDeductible({ exp_content: '{"ljqf":"10.00"}' })).toBeNull();
  });

  it.each([
    ['not JSON', '{bcljqf: 1'],
    ['a JSON array', '["bcljqf"]'],
    ['a JSON string', '"bcljqf"'],
    ['JSON null', 'null'],
    ['three decimals', '{"bcljqf":"1.005"}'],
    ['not a number', '{"bcljqf":"十元"}'],
    ['empty', '{"bcljqf":""}'],
    ['negative', '{"bcljqf":"-5.00"}'],
    ['an object', '{"bcljqf":{"v":"1.00"}}'],
    ['null', '{"bcljqf":null}'],
    ['a boolean', '{"bcljqf":true}'],
    ['too large', '{"bcljqf":1e300}'],
  ])('is null, never an exception, for a malformed value: %s', (_label, exp) => {
    expect(() => supplementaryCumulativeDeductible({ exp_content: exp })).not.toThrow();
    expect(supplementaryCumulativeDeductible({ exp_content: exp })).toBeNull();
  });

  it('the settlement schema keeps exp_content as text and never fails on it', () => {
    expect(SettlementOutput.parse(answer({ exp_content: '{"bcljqf":"88.00"}' })).setlinfo.exp_content).toBe('{"bcljqf":"88.00"}');
    expect(SettlementOutput.parse(answer()).setlinfo.exp_content).toBe('');
    expect(SettlementOutput.parse(answer({ exp_content: null })).setlinfo.exp_content).toBe('');
    // Some centres send the extension as an object: kept as its JSON, still readable.
    const asObject = SettlementOutput.parse(answer({ exp_content: { bcljqf: '12.00' } })).setlinfo;
    expect(supplementaryCumulativeDeductible(asObject)).toBe(1200);
    expect(SettlementOutput.safeParse(answer({ exp_content: 42 })).success).toBe(true);
  });
});

// ---- the simulated centre supplies it ---------------------------------------------------------------------

const CODE = 'H35020300001';
const operator = { opter: 'sf001', opterName: '收费员甲', opterType: '1' } as const;
const chen = POPULATION.find((p) => p.name === '陈建国')!; // 310 employee, deductible 200.00 a year
const huang = POPULATION.find((p) => p.name === '黄志强')!; // 390 resident

let clock: Date;
let fx: CentreFixture;
let client: NhsaClient;
let ctx: CallContext;
let serial = 0;

beforeEach(async () => {
  clock = new Date('2026-11-22T02:15:30Z'); // 10:15:30 Beijing
  fx = await startCentreWithFreshKeys({ now: () => clock });
  client = new NhsaClient(fx.stationConfig(), { msgids: new MemoryMsgIdAllocator(CODE), now: () => clock });
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

const time = () => new Date(clock.getTime() + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');

/** Registers a visit with two class A lines (10.00 诊察费 + 2 × 18.60 阿莫西林 = 47.20, all in scope), ready to settle. */
async function visitOf(person: (typeof POPULATION)[number]) {
  const insurance = person.insurances[0]!;
  const pctx = { ...ctx, insuplcAdmdvs: insurance.insuplcAdmdvs };
  serial += 1;
  const cert = { mdtrt_cert_type: '02' as const, mdtrt_cert_no: person.idNo };
  const reg = expectOk(
    await registerOutpatient(client, pctx, {
      psn_no: person.psnNo,
      insutype: insurance.insutype,
      begntime: time(),
      ...cert,
      ipt_otp_no: `MZX${serial}`,
      atddr_no: 'D350200001',
      dr_name: '林医生',
      dept_code: '0301',
      dept_name: '呼吸内科门诊',
      caty: 'A03',
    }),
  );
  expectOk(
    await uploadOutpatientVisit(client, pctx, {
      mdtrtinfo: {
        mdtrt_id: reg.mdtrt_id,
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
  const chrg_bchno = `CBX${serial}`;
  const lines = [
    { code: '001102000010000', cnt: '1', pric: '10.00', amount: 1000 },
    { code: 'XJ01CAA040A001010100005', cnt: '2', pric: '18.60', amount: 3720 },
  ];
  expectOk(
    await uploadOutpatientFees(client, pctx, {
      feedetail: lines.map((l, i) => ({
        feedetl_sn: `FDX${serial}-${i}`,
        fee_ocur_time: time(),
        med_list_codg: l.code,
        medins_list_codg: `HX${serial}-${i}`,
        det_item_fee_sumamt: l.amount,
        cnt: l.cnt,
        pric: l.pric,
        bilg_dept_codg: '0301',
        bilg_dept_name: '呼吸内科门诊',
        bilg_dr_codg: 'D350200001',
        bilg_dr_name: '林医生',
        mdtrt_id: reg.mdtrt_id,
        psn_no: person.psnNo,
        chrg_bchno,
      })),
    }),
  );
  const input = {
    psn_no: person.psnNo,
    ...cert,
    med_type: '11',
    medfee_sumamt: 4720,
    psn_setlway: '01',
    mdtrt_id: reg.mdtrt_id,
    chrg_bchno,
    insutype: insurance.insutype,
    acct_used_flag: '0' as const,
  };
  return { pctx, input };
}

describe('the simulated centre’s 补充累计起付', () => {
  it('a 310 employee’s 2206 and 2207 carry bcljqf = the year’s deductible use including this settlement', async () => {
    const first = await visitOf(chen);
    const preview = expectOk(await preSettleOutpatient(client, first.pctx, first.input));
    expect(preview.setlinfo.act_pay_dedc).toBe(4720);
    expect(JSON.parse(preview.setlinfo.exp_content)).toEqual({ bcljqf: '47.20' });
    const one = expectOk(await settleOutpatient(client, first.pctx, first.input));
    expect(supplementaryCumulativeDeductible(one.setlinfo)).toBe(4720);

    // The second visit adds its own deductible use to the year's.
    const second = await visitOf(chen);
    const two = expectOk(await settleOutpatient(client, second.pctx, second.input));
    expect(two.setlinfo.act_pay_dedc).toBe(4720);
    expect(supplementaryCumulativeDeductible(two.setlinfo)).toBe(9440);

    // A cancel (2208) gives the deductible back and carries no extension; the next settlement counts from there.
    const twin = expectOk(
      await cancelOutpatientSettlement(client, second.pctx, {
        setl_id: two.setlinfo.setl_id,
        mdtrt_id: second.input.mdtrt_id,
        psn_no: chen.psnNo,
      }),
    );
    expect(supplementaryCumulativeDeductible(twin.setlinfo)).toBeNull();
    const again = expectOk(await settleOutpatient(client, second.pctx, second.input));
    expect(supplementaryCumulativeDeductible(again.setlinfo)).toBe(9440);
  });

  it('a 390 resident’s 2206 and 2207 carry no exp_content', async () => {
    const visit = await visitOf(huang);
    const preview = expectOk(await preSettleOutpatient(client, visit.pctx, visit.input));
    expect(preview.setlinfo.exp_content).toBe('');
    const booked = expectOk(await settleOutpatient(client, visit.pctx, visit.input));
    expect(booked.setlinfo.act_pay_dedc).toBeGreaterThan(0);
    expect(booked.setlinfo.exp_content).toBe('');
    expect(supplementaryCumulativeDeductible(booked.setlinfo)).toBeNull();
  });
});
