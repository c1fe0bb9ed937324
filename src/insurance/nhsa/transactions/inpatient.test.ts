// Inpatient settlement end to end against the simulated centre: admission, fee uploads with a refund line,
// mid-stay and final settlement under the inpatient policy, the serious-illness fund, cancels and reversals.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { POPULATION, REVERSIBLE_BY_CENTRE, startCentreWithFreshKeys, type CentreFixture } from '../../../simulators/nhsa';
import { NhsaClient } from '../client';
import { MemoryMsgIdAllocator } from '../msgid';
import type { CallContext, NhsaOutcome } from '../outcome';
import {
  admit,
  ALL_FEE_LINES,
  cancelAdmission,
  cancelDischarge,
  cancelInpatientFees,
  cancelInpatientSettlement,
  changeAdmission,
  discharge,
  preSettleInpatient,
  settleInpatient,
  uploadInpatientFees,
  type InpatientFeeLineInput,
} from './inpatient';
import { personInfo } from './person';
import { queryVisits } from './query';
import { reverseTransaction } from './reversal';
import { splitDiscrepancies } from './settlement-output';
import { signIn } from './sign';

const operator = { opter: 'hs001', opterName: '住院收费员', opterType: '1' } as const;
const chen = POPULATION.find((p) => p.name === '陈建国')!; // 310, account 3256.78
const huang = POPULATION.find((p) => p.name === '黄志强')!; // 390 resident

let clock: Date;
let fx: CentreFixture;
let client: NhsaClient;
let ctx: CallContext;

beforeEach(async () => {
  clock = new Date('2026-11-02T01:00:00Z');
  fx = await startCentreWithFreshKeys({ now: () => clock });
  // A province that lets 2601 reverse a discharge (2402) too, beyond the national list.
  client = new NhsaClient(fx.stationConfig({ reversibleInfnos: [...REVERSIBLE_BY_CENTRE] }), {
    msgids: new MemoryMsgIdAllocator('H35020300001'),
    now: () => clock,
  });
  const signedIn = await signIn(client, { operator }, { opterNo: 'hs001', mac: '', ip: '10.1.2.4' });
  if (signedIn.kind !== 'ok') throw new Error('sign-in failed');
  ctx = { operator, signNo: signedIn.output.signNo, insuplcAdmdvs: '350200' };
});
afterEach(async () => {
  await fx.centre.close();
});

/** The output of an ok outcome, with the msgid it was sent under (what a reversal names). */
type WithMsgid<T> = (T extends undefined ? unknown : T) & { msgid: string };
function expectOk<T extends object | undefined>(outcome: NhsaOutcome<T>): WithMsgid<T> {
  if (outcome.kind !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(outcome)}`);
  return Object.assign(Array.isArray(outcome.output) ? [...outcome.output] : { ...outcome.output }, {
    msgid: outcome.msgid,
  }) as WithMsgid<T>;
}

/** Moves the clock to another day: a new day needs a new 9001 sign-in. */
async function moveTo(instant: string): Promise<void> {
  clock = new Date(instant);
  ctx = { ...ctx, signNo: expectOk(await signIn(client, { operator }, { opterNo: 'hs001', mac: '', ip: '10.1.2.4' })).signNo };
}

const time = () => new Date(clock.getTime() + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
let serial = 0;

const diagnosis = (psn_no: string) => ({
  psn_no,
  diag_type: '1',
  maindiag_flag: '1' as const,
  diag_srt_no: 1,
  diag_code: 'K35.800',
  diag_name: '急性阑尾炎',
  diag_dept: '普外科',
  dise_dor_no: 'D350200007',
  dise_dor_name: '王医生',
  diag_time: time(),
});

async function admitted(person = chen): Promise<{ mdtrt_id: string; msgid: string }> {
  serial += 1;
  return expectOk(
    await admit(client, ctx, {
      mdtrtinfo: {
        psn_no: person.psnNo,
        insutype: person.insurances[0]!.insutype,
        begntime: time(),
        mdtrt_cert_type: '02',
        mdtrt_cert_no: person.idNo,
        med_type: '21',
        ipt_no: `ZY${serial}`,
        atddr_no: 'D350200007',
        chfpdr_name: '王医生',
        adm_diag_dscr: '转移性右下腹痛1天',
        adm_dept_codg: '0501',
        adm_dept_name: '普外科',
        adm_bed: '12',
        dscg_maindiag_code: 'K35.800',
        dscg_maindiag_name: '急性阑尾炎',
      },
      diseinfo: [diagnosis(person.psnNo)],
    }),
  );
}

function feeLine(
  mdtrt_id: string,
  psn_no: string,
  code: string,
  cnt: string,
  pric: string,
  amount: number,
  extra: Partial<InpatientFeeLineInput> = {},
): InpatientFeeLineInput {
  serial += 1;
  return {
    feedetl_sn: `ZYFD${serial}`,
    mdtrt_id,
    psn_no,
    med_type: '21',
    fee_ocur_time: time(),
    med_list_codg: code,
    medins_list_codg: `H${serial}`,
    det_item_fee_sumamt: amount,
    cnt,
    pric,
    bilg_dept_codg: '0501',
    bilg_dept_name: '普外科',
    bilg_dr_codg: 'D350200007',
    bilg_dr_name: '王医生',
    ...extra,
  };
}

const settlement = (mdtrt_id: string, person: typeof chen, total: number, mid: '0' | '1', acct: '0' | '1' = '1') => ({
  psn_no: person.psnNo,
  mdtrt_cert_type: '02' as const,
  mdtrt_cert_no: person.idNo,
  medfee_sumamt: total,
  psn_setlway: '01',
  mdtrt_id,
  acct_used_flag: acct,
  insutype: person.insurances[0]!.insutype,
  mid_setl_flag: mid,
});

const dischargeInput = (mdtrt_id: string, psn_no: string) => ({
  dscginfo: { mdtrt_id, psn_no, insutype: '310', endtime: time(), dscg_dept_codg: '0501', dscg_dept_name: '普外科', dscg_way: '1' },
  diseinfo: [diagnosis(psn_no)],
});

describe('an inpatient stay', () => {
  it('admission → fees → mid-stay settlement → more fees with a refund → discharge → final settlement; the deductible is charged once', async () => {
    const { mdtrt_id } = await admitted();
    const uploaded = expectOk(
      await uploadInpatientFees(client, ctx, {
        feedetail: [
          feeLine(mdtrt_id, chen.psnNo, '001101000010000', '5', '40.00', 20000), // bed, class A
          feeLine(mdtrt_id, chen.psnNo, '001203000010000', '5', '25.00', 12500), // nursing, class A
          feeLine(mdtrt_id, chen.psnNo, 'XB05AAR001B002010100112', '10', '380.00', 380000), // albumin, class B drug
          feeLine(mdtrt_id, chen.psnNo, 'XJ01DDA115B002010201045', '20', '9.80', 19600), // ceftriaxone, class B drug
          feeLine(mdtrt_id, chen.psnNo, '003311000010000', '1', '1200.00', 120000), // appendectomy, class B service
        ],
      }),
    );
    expect(uploaded.result.map((r) => r.inscp_scp_amt)).toEqual([20000, 12500, 342000, 17640, 96000]);

    await moveTo('2026-11-05T01:00:00Z');
    const mid = expectOk(await settleInpatient(client, ctx, settlement(mdtrt_id, chen, 552100, '1')));
    // 800.00 deductible, then 85 % of 4081.40 = 3469.19; the account pays the personal part.
    expect(mid.setlinfo).toMatchObject({
      inscp_scp_amt: 488140,
      act_pay_dedc: 80000,
      hifp_pay: 346919,
      hifmi_pay: 0,
      acct_pay: 205181,
      psn_cash_pay: 0,
      balc: 120497,
      clr_type: '21',
    });
    expect(splitDiscrepancies(mid.setlinfo)).toEqual([]);

    const extra = feeLine(mdtrt_id, chen.psnNo, 'XJ01DDA115B002010201045', '10', '9.80', 9800);
    expectOk(
      await uploadInpatientFees(client, ctx, {
        feedetail: [
          feeLine(mdtrt_id, chen.psnNo, '001101000010000', '2', '40.00', 8000),
          extra,
          feeLine(mdtrt_id, chen.psnNo, 'XJ01DDA115B002010201045', '-2', '9.80', -1960, { init_feedetl_sn: extra.feedetl_sn }),
        ],
      }),
    );
    expect(await settleInpatient(client, ctx, settlement(mdtrt_id, chen, 15840, '0'))).toMatchObject({
      kind: 'rejected',
      errMsg: '未办理出院，不能办理出院结算',
    });
    expectOk(await discharge(client, ctx, dischargeInput(mdtrt_id, chen.psnNo)));
    const preview = expectOk(await preSettleInpatient(client, ctx, settlement(mdtrt_id, chen, 15840, '0')));
    const final = expectOk(await settleInpatient(client, ctx, settlement(mdtrt_id, chen, 15840, '0')));
    // No second deductible in the same admission; 85 % of 150.56 = 127.976 -> 127.98.
    expect(final.setlinfo).toMatchObject({ inscp_scp_amt: 15056, act_pay_dedc: 0, hifp_pay: 12798, acct_pay: 3042, psn_cash_pay: 0 });
    expect(preview.setlinfo.hifp_pay).toBe(final.setlinfo.hifp_pay);
    expect(splitDiscrepancies(final.setlinfo)).toEqual([]);

    // Undo: the discharge cannot be cancelled while the final settlement stands.
    expect(await cancelDischarge(client, ctx, { mdtrt_id, psn_no: chen.psnNo })).toMatchObject({
      kind: 'rejected',
      errMsg: '已办理出院结算，请先撤销结算',
    });
    const twin = expectOk(await cancelInpatientSettlement(client, ctx, { mdtrt_id, setl_id: final.setlinfo.setl_id, psn_no: chen.psnNo }));
    expect(twin.setlinfo).toMatchObject({ medfee_sumamt: -15840, hifp_pay: -12798, acct_pay: -3042 });
    expectOk(await cancelDischarge(client, ctx, { mdtrt_id, psn_no: chen.psnNo }));
    const visits = expectOk(
      await queryVisits(client, ctx, { psn_no: chen.psnNo, begntime: '2026-11-01 00:00:00', endtime: '2026-11-30 00:00:00' }),
    );
    expect(visits).toHaveLength(1);
    expect(visits[0]).toMatchObject({ mdtrt_id, inhosp_stas: '1', med_type: '21' });
    // Unsettled lines can go; an admission with settled fees cannot be cancelled.
    expectOk(await cancelInpatientFees(client, ctx, { feedetl_sn: ALL_FEE_LINES, mdtrt_id, psn_no: chen.psnNo }));
    expect(await cancelAdmission(client, ctx, { mdtrt_id, psn_no: chen.psnNo })).toMatchObject({
      kind: 'rejected',
      errMsg: '存在未撤销的费用明细，不能撤销入院',
    });
    expect(expectOk(await personInfo(client, { ...ctx }, { certType: '02', certNo: chen.idNo })).insuinfo[0]?.balanceFen).toBe(120497);
  });

  it('pays the serious-illness fund 60 % of what remains in scope above 20,000.00 a year (resident)', async () => {
    const { mdtrt_id } = await admitted(huang);
    expectOk(
      await uploadInpatientFees(client, ctx, {
        feedetail: [feeLine(mdtrt_id, huang.psnNo, 'XB05AAR001B002010100112', '200', '380.00', 7_600_000)],
      }),
    );
    expectOk(
      await discharge(client, ctx, {
        ...dischargeInput(mdtrt_id, huang.psnNo),
        dscginfo: { ...dischargeInput(mdtrt_id, huang.psnNo).dscginfo, insutype: '390' },
      }),
    );
    const s = expectOk(await settleInpatient(client, ctx, settlement(mdtrt_id, huang, 7_600_000, '0', '0')));
    // in scope 68,400.00; deductible 500.00; 70 % of 67,900.00 = 47,530.00; remaining 20,870.00 -> 870.00 above
    // the threshold -> 60 % = 522.00 from the serious-illness fund.
    expect(s.setlinfo).toMatchObject({
      inscp_scp_amt: 6_840_000,
      act_pay_dedc: 50_000,
      hifp_pay: 4_753_000,
      hifmi_pay: 52_200,
      fund_pay_sumamt: 4_805_200,
      acct_pay: 0,
      psn_cash_pay: 2_794_800,
    });
    expect(s.setldetail.map((d) => [d.fund_pay_type, d.fund_payamt])).toEqual([
      ['390100', 4_753_000],
      ['390200', 52_200],
    ]);
  });

  it('2403 changes the admission record; 2404 cancels an admission without fees', async () => {
    const { mdtrt_id } = await admitted();
    expectOk(
      await changeAdmission(client, ctx, {
        adminfo: {
          mdtrt_id,
          psn_no: chen.psnNo,
          begntime: time(),
          mdtrt_cert_type: '02',
          med_type: '21',
          ipt_otp_no: 'ZY-CHANGED',
          atddr_no: 'D2',
          chfpdr_name: '李医生',
          adm_diag_dscr: '腹痛',
          adm_dept_codg: '0502',
          adm_dept_name: '胃肠外科',
          adm_bed: '3',
          dscg_maindiag_code: 'K35.800',
          dscg_maindiag_name: '急性阑尾炎',
          dise_codg: 'K35.800',
          dise_name: '急性阑尾炎',
        },
      }),
    );
    expectOk(await cancelAdmission(client, ctx, { mdtrt_id, psn_no: chen.psnNo }));
    expect(await cancelAdmission(client, ctx, { mdtrt_id, psn_no: chen.psnNo })).toMatchObject({
      kind: 'rejected',
      errMsg: '入院登记已撤销',
    });
  });
});

describe('2601 reversal of inpatient transactions', () => {
  async function stayWithFinalSettlement() {
    const { mdtrt_id, msgid: admissionMsgid } = await admitted();
    expectOk(
      await uploadInpatientFees(client, ctx, { feedetail: [feeLine(mdtrt_id, chen.psnNo, '001101000010000', '3', '40.00', 12000)] }),
    );
    const dischargeMsgid = expectOk(await discharge(client, ctx, dischargeInput(mdtrt_id, chen.psnNo))).msgid;
    const final = expectOk(await settleInpatient(client, ctx, settlement(mdtrt_id, chen, 12000, '0')));
    return { mdtrt_id, admissionMsgid, dischargeMsgid, final };
  }
  const reverse = (omsgid: string, oinfno: string) => reverseTransaction(client, ctx, { psn_no: chen.psnNo, omsgid, oinfno });

  it('2304 reversed: the settlement gets its negative twin; 2305 reversed: it stands again', async () => {
    const { mdtrt_id, final } = await stayWithFinalSettlement();
    expectOk(await reverse(final.msgid, '2304'));
    expect(expectOk(await personInfo(client, ctx, { certType: '02', certNo: chen.idNo })).insuinfo[0]?.balanceFen).toBe(325678);
    // Settle again, cancel with 2305, then reverse the cancel: the settlement is back and the account debited again.
    const again = expectOk(await settleInpatient(client, ctx, settlement(mdtrt_id, chen, 12000, '0')));
    expect(again.setlinfo.act_pay_dedc).toBe(again.setlinfo.inscp_scp_amt); // the deductible came back with the twin
    const cancel = expectOk(
      await cancelInpatientSettlement(client, ctx, { mdtrt_id, setl_id: again.setlinfo.setl_id, psn_no: chen.psnNo }),
    );
    expectOk(await reverse(cancel.msgid, '2305'));
    expect(expectOk(await personInfo(client, ctx, { certType: '02', certNo: chen.idNo })).insuinfo[0]?.balanceFen).toBe(325678 - 12000);
    expect(await cancelDischarge(client, ctx, { mdtrt_id, psn_no: chen.psnNo })).toMatchObject({
      kind: 'rejected',
      errMsg: '已办理出院结算，请先撤销结算',
    });
  });

  it('2402 reversed reopens the stay (once its settlement is undone); 2401 reversed cancels an admission without fees', async () => {
    const { mdtrt_id, dischargeMsgid, final } = await stayWithFinalSettlement();
    expect(await reverse(dischargeMsgid, '2402')).toMatchObject({ kind: 'rejected', errMsg: '已办理出院结算，请先撤销结算' });
    expectOk(await cancelInpatientSettlement(client, ctx, { mdtrt_id, setl_id: final.setlinfo.setl_id, psn_no: chen.psnNo }));
    expectOk(await reverse(dischargeMsgid, '2402'));
    expect(
      expectOk(
        await queryVisits(client, ctx, { psn_no: chen.psnNo, begntime: '2026-11-01 00:00:00', endtime: '2026-11-30 00:00:00', mdtrt_id }),
      )[0],
    ).toMatchObject({
      inhosp_stas: '1',
      endtime: '',
    });

    const empty = await admitted();
    expectOk(await reverse(empty.msgid, '2401'));
    expect(
      await uploadInpatientFees(client, ctx, { feedetail: [feeLine(empty.mdtrt_id, chen.psnNo, '001101000010000', '1', '40.00', 4000)] }),
    ).toMatchObject({
      kind: 'rejected',
      errMsg: '就诊状态不允许上传费用明细',
    });
  });
});
