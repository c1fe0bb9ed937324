// 2601 reversal (冲正) as the outbox will use it: after an unknown outcome, by the original msgid; idempotent;
// a msgid the centre never saw is answered "原交易不存在"; the province's list of reversible transactions is
// configuration, enforced before anything is sent.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NO_SUCH_ORIGINAL, POPULATION, REVERSIBLE_BY_CENTRE, startCentreWithFreshKeys, type CentreFixture } from '../../../simulators/nhsa';
import { fen } from '../../../shared/money';
import { NhsaClient } from '../client';
import { MemoryMsgIdAllocator } from '../msgid';
import type { CallContext, NhsaOutcome } from '../outcome';
import { cancelOutpatientSettlement, registerOutpatient, settleOutpatient, uploadOutpatientFees } from './outpatient';
import { personInfo } from './person';
import { reconcileTotals } from './reconciliation';
import { NotReversibleError, reverseTransaction } from './reversal';
import { signIn } from './sign';

const operator = { opter: 'sf001', opterName: '收费员甲', opterType: '1' } as const;
const chen = POPULATION.find((p) => p.name === '陈建国')!;
const TODAY = { insutype: '310', clr_type: '11', setl_optins: '350200', stmt_begndate: '2026-11-22', stmt_enddate: '2026-11-22' } as const;

let fx: CentreFixture;
let client: NhsaClient;
let ctx: CallContext;
const clock = new Date('2026-11-22T02:15:30Z');

function ok<T>(outcome: NhsaOutcome<T>): T {
  if (outcome.kind !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(outcome)}`);
  return outcome.output;
}

async function start(options: { reversibleAtCentre?: string[]; reversibleAtStation?: string[] } = {}): Promise<void> {
  fx = await startCentreWithFreshKeys({
    now: () => clock,
    ...(options.reversibleAtCentre ? { reversibleInfnos: options.reversibleAtCentre } : {}),
  });
  client = new NhsaClient(fx.stationConfig(options.reversibleAtStation ? { reversibleInfnos: options.reversibleAtStation } : {}), {
    msgids: new MemoryMsgIdAllocator('H35020300001'),
    now: () => clock,
  });
  const signNo = ok(await signIn(client, { operator }, { opterNo: 'sf001', mac: '', ip: '10.1.2.3' })).signNo;
  ctx = { operator, signNo, insuplcAdmdvs: '350200' };
}
afterEach(async () => {
  await fx.centre.close();
});

let serial = 0;
async function visitWithFees() {
  serial += 1;
  const registration = await registerOutpatient(client, ctx, {
    psn_no: chen.psnNo,
    insutype: '310',
    begntime: '2026-11-22 10:15:30',
    mdtrt_cert_type: '02',
    mdtrt_cert_no: chen.idNo,
    ipt_otp_no: `MZ-R${serial}`,
    atddr_no: 'D1',
    dr_name: '林医生',
    dept_code: '0301',
    dept_name: '内科',
    caty: 'A03',
  });
  const { mdtrt_id } = ok(registration);
  ok(
    await uploadOutpatientFees(client, ctx, {
      feedetail: [
        {
          feedetl_sn: `FD-R${serial}`,
          mdtrt_id,
          psn_no: chen.psnNo,
          chrg_bchno: 'CB',
          fee_ocur_time: '2026-11-22 10:20:00',
          med_list_codg: 'XJ01CAA040A001010100005',
          medins_list_codg: 'H1',
          det_item_fee_sumamt: 3720,
          cnt: '2',
          pric: '18.60',
          bilg_dept_codg: '0301',
          bilg_dept_name: '内科',
          bilg_dr_codg: 'D1',
          bilg_dr_name: '林医生',
        },
      ],
    }),
  );
  return { mdtrt_id, registrationMsgid: registration.msgid };
}

const settlementOf = (mdtrt_id: string) => ({
  psn_no: chen.psnNo,
  mdtrt_cert_type: '02' as const,
  mdtrt_cert_no: chen.idNo,
  med_type: '11',
  medfee_sumamt: 3720,
  psn_setlway: '01',
  mdtrt_id,
  chrg_bchno: 'CB',
  insutype: '310',
  acct_used_flag: '1' as const,
});
const balance = async () => ok(await personInfo(client, ctx, { certType: '02', certNo: chen.idNo })).insuinfo[0]?.balanceFen;
const totals = (medfee: number, acct: number, count: number) =>
  reconcileTotals(client, ctx, {
    ...TODAY,
    medfee_sumamt: fen(medfee),
    fund_pay_sumamt: fen(0),
    acct_pay: fen(acct),
    fixmedins_setl_cnt: count,
  });

describe('2601 after an unknown outcome', () => {
  // A province that lets 2601 reverse everything the simulated centre can undo (2201 and 2402 beyond the national list).
  beforeEach(() => start({ reversibleAtStation: [...REVERSIBLE_BY_CENTRE] }));

  it('a 2207 whose answer was lost after the centre booked it is reversed by its msgid; totals net to zero', async () => {
    const { mdtrt_id } = await visitWithFees();
    fx.centre.control.inject({ infno: '2207', fault: { kind: 'drop-response' }, times: 1 });
    const lost = await settleOutpatient(client, ctx, settlementOf(mdtrt_id));
    expect(lost).toMatchObject({ kind: 'unknown', reason: 'network' });
    expect(await balance()).toBe(325678 - 3720); // the centre did book it

    ok(await reverseTransaction(client, ctx, { psn_no: chen.psnNo, omsgid: lost.msgid, oinfno: '2207' }));
    expect(await balance()).toBe(325678);
    expect(ok(await totals(0, 0, 0))).toMatchObject({ balanced: true });

    // Reversing again answers the same and changes nothing.
    ok(await reverseTransaction(client, ctx, { psn_no: chen.psnNo, omsgid: lost.msgid, oinfno: '2207' }));
    expect(await balance()).toBe(325678);
    expect(ok(await totals(0, 0, 0))).toMatchObject({ balanced: true });
  });

  it('a 2207 lost before the centre saw it: reversal answers 原交易不存在 — nothing happened', async () => {
    const { mdtrt_id } = await visitWithFees();
    fx.centre.control.inject({ infno: '2207', fault: { kind: 'drop-request' }, times: 1 });
    const lost = await settleOutpatient(client, ctx, settlementOf(mdtrt_id));
    expect(lost).toMatchObject({ kind: 'unknown', reason: 'network' });
    expect(await reverseTransaction(client, ctx, { psn_no: chen.psnNo, omsgid: lost.msgid, oinfno: '2207' })).toMatchObject({
      kind: 'rejected',
      errMsg: NO_SUCH_ORIGINAL,
    });
    expect(await balance()).toBe(325678);
  });

  it('a 2201 reversed closes the registration; a 2208 reversed puts the settlement back in force', async () => {
    const first = await visitWithFees();
    const booked = await settleOutpatient(client, ctx, settlementOf(first.mdtrt_id));
    const setl_id = ok(booked).setlinfo.setl_id;
    const cancel = await cancelOutpatientSettlement(client, ctx, { setl_id, mdtrt_id: first.mdtrt_id, psn_no: chen.psnNo });
    ok(cancel);
    expect(await balance()).toBe(325678);
    ok(await reverseTransaction(client, ctx, { psn_no: chen.psnNo, omsgid: cancel.msgid, oinfno: '2208' }));
    expect(await balance()).toBe(325678 - 3720);
    // settlement + cancel + its reversal: the net is the settlement.
    expect(ok(await totals(3720, 3720, 1))).toMatchObject({ balanced: true });
    // The settlement stands again, so it can be cancelled again.
    ok(await cancelOutpatientSettlement(client, ctx, { setl_id, mdtrt_id: first.mdtrt_id, psn_no: chen.psnNo }));

    const second = await registerOutpatient(client, ctx, {
      psn_no: chen.psnNo,
      insutype: '310',
      begntime: '2026-11-22 10:15:30',
      mdtrt_cert_type: '02',
      mdtrt_cert_no: chen.idNo,
      ipt_otp_no: 'MZ-R-ONLY',
      atddr_no: 'D1',
      dr_name: '林医生',
      dept_code: '0301',
      dept_name: '内科',
      caty: 'A03',
    });
    ok(await reverseTransaction(client, ctx, { psn_no: chen.psnNo, omsgid: second.msgid, oinfno: '2201' }));
    // The outpatient number is free again: the registration is gone.
    ok(
      await registerOutpatient(client, ctx, {
        psn_no: chen.psnNo,
        insutype: '310',
        begntime: '2026-11-22 10:15:30',
        mdtrt_cert_type: '02',
        mdtrt_cert_no: chen.idNo,
        ipt_otp_no: 'MZ-R-ONLY',
        atddr_no: 'D1',
        dr_name: '林医生',
        dept_code: '0301',
        dept_name: '内科',
        caty: 'A03',
      }),
    );
  });

  it('names the right original: transaction code, person and success are checked', async () => {
    const { mdtrt_id, registrationMsgid } = await visitWithFees();
    expect(await reverseTransaction(client, ctx, { psn_no: chen.psnNo, omsgid: registrationMsgid, oinfno: '2207' })).toMatchObject({
      kind: 'rejected',
      errMsg: '原交易编号与原报文不符',
    });
    const other = POPULATION.find((p) => p.name === '林美华')!;
    expect(await reverseTransaction(client, ctx, { psn_no: other.psnNo, omsgid: registrationMsgid, oinfno: '2201' })).toMatchObject({
      kind: 'rejected',
      errMsg: '人员编号与原交易不符',
    });
    const refused = await settleOutpatient(client, ctx, { ...settlementOf(mdtrt_id), medfee_sumamt: 1 });
    expect(refused.kind).toBe('rejected');
    expect(await reverseTransaction(client, ctx, { psn_no: chen.psnNo, omsgid: refused.msgid, oinfno: '2207' })).toMatchObject({
      kind: 'rejected',
      errMsg: '原交易未成功，无需冲正',
    });
  });
});

describe('which transactions may be reversed', () => {
  it('the client refuses, before sending, what the province does not allow', async () => {
    await start({ reversibleAtStation: ['2207', '2304'] });
    const sent = fx.centre.control.requests().length;
    await expect(
      reverseTransaction(client, ctx, { psn_no: chen.psnNo, omsgid: 'H35020300001202611221015300001', oinfno: '2201' }),
    ).rejects.toThrow(NotReversibleError);
    await expect(
      reverseTransaction(client, ctx, { psn_no: chen.psnNo, omsgid: 'H35020300001202611221015300001', oinfno: '2204' }),
    ).rejects.toThrow(NotReversibleError);
    expect(fx.centre.control.requests().length).toBe(sent);
  });

  it('a centre that allows less refuses with its message', async () => {
    await start({ reversibleAtCentre: ['2207'], reversibleAtStation: ['2201', '2207'] });
    const { registrationMsgid } = await visitWithFees();
    expect(await reverseTransaction(client, ctx, { psn_no: chen.psnNo, omsgid: registrationMsgid, oinfno: '2201' })).toMatchObject({
      kind: 'rejected',
      errMsg: '交易2201不支持冲正',
    });
  });
});
