// HisWardClient against the simulated HIS over real HTTP on 127.0.0.1: the ward's patients, fee lines page by page
// (taken-back lines negative), a mid-stay then a discharge settlement with deposits applied and a shortfall paid,
// idempotent money calls by the station's ids, the settlement undone, and a deposit's balance refunded.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHis, type HisSimulator } from '../../simulators/his';
import { fen } from '../../shared/money';
import { HisClient } from './client';
import { HisWardClient } from './ward-client';
import type { HisWardSettle } from './ward-types';

const APP = 'YBSTATION01';
const SECRET = 'his-secret-0123456789abcdef';
const PATIENT = 'P000101';
let clock = Date.parse('2026-11-22T01:40:00Z'); // 09:40 Beijing
let his: HisSimulator;
let client: HisClient;
let ward: HisWardClient;

beforeEach(async () => {
  clock = Date.parse('2026-11-22T01:40:00Z');
  his = await startHis({ apps: [{ appId: APP, secret: SECRET }], now: () => new Date(clock), seedOrders: false });
  client = new HisClient({ baseUrl: his.url, appId: APP, appSecret: SECRET, timeoutMs: 2_000 }, { now: () => new Date(clock) });
  ward = new HisWardClient(client);
});
afterEach(async () => {
  await his.close();
});

function ok<T>(outcome: { kind: string; value?: T; code?: string }): T {
  if (outcome.kind !== 'ok') throw new Error(`not ok: ${JSON.stringify(outcome)}`);
  return outcome.value as T;
}

/** Three days in the ward: Y0006 (4.20) ×2 a day and Y0001 (12.50) once, then one line taken back. */
function admitAndCharge(): string {
  const iptNo = his.control.ward.admit({ patientId: PATIENT, wardCode: 'W0301' });
  for (const day of ['2026-11-20', '2026-11-21', '2026-11-22']) {
    his.control.ward.charge({
      iptNo,
      day,
      lines: [
        { hospCode: 'Y0006', quantity: '2' },
        { hospCode: 'Y0001', quantity: '1' },
      ],
    });
  }
  his.control.ward.takeBack(iptNo, 2); // the first day's 阿莫西林 returned: -12.50
  return iptNo;
}

function settleOf(
  iptNo: string,
  kind: 'midway' | 'discharge',
  uptoLine: number,
  medfeeFen: number,
  over: Partial<HisWardSettle> = {},
): HisWardSettle {
  const fund = Math.floor(medfeeFen / 2);
  const cash = medfeeFen - fund;
  return {
    settleId: `WS-${kind}-${uptoLine}`,
    iptNo,
    kind,
    uptoLine,
    mdtrtId: 'MDTRT-IP-1',
    setlId: `SETL-${uptoLine}`,
    medfeeFen: fen(medfeeFen),
    fundFen: fen(fund),
    acctFen: fen(0),
    cashFen: fen(cash),
    deposits: [],
    payments: [{ channel: 'cash', amountFen: fen(cash) }],
    ...over,
  };
}

describe('HIS inpatient services through the ward client', () => {
  it('lists the ward with the patient in bed, and pages the fee lines in order, the taken-back line negative', async () => {
    const iptNo = admitAndCharge();
    const wards = ok(await ward.wards());
    expect(wards.find((w) => w.code === 'W0301')).toMatchObject({ name: '心内科一病区', bedsInUse: 1 });
    const stays = ok(await ward.stays('W0301'));
    expect(stays).toHaveLength(1);
    // 3 × (2 × 4.20 + 12.50) − 12.50 = 50.20
    expect(stays[0]).toMatchObject({ iptNo, patientName: '陈建国', bedNo: '01', state: 'in', lastLine: 7, unsettledFen: 5020 });
    const first = ok(await ward.feeLines(iptNo, 0, 4));
    expect(first.lines.map((l) => l.lineNo)).toEqual([1, 2, 3, 4]);
    expect(first.lastLine).toBe(7);
    const rest = ok(await ward.feeLines(iptNo, 4, 4));
    expect(rest.lines.map((l) => [l.lineNo, l.amountFen, l.reversesLine])).toEqual([
      [5, 840, null],
      [6, 1250, null],
      [7, -1250, 2],
    ]);
    expect(rest.lines[2]!.quantity).toBe('-1');
    expect(() => ward.feeLines(iptNo, 0, 1001)).toThrow(RangeError);
  });

  it('a mid-stay settlement covers the lines up to one, the discharge the rest with deposits applied and a shortfall paid', async () => {
    const iptNo = admitAndCharge();
    const d1 = his.control.ward.deposit({ iptNo, channel: 'wechat', amountFen: 1000, outTradeNo: 'YJWX0001', transactionId: 'WX1' });
    const d2 = his.control.ward.deposit({ iptNo, channel: 'cash', amountFen: 500 });

    // Lines 1..3 (the first day): 8.40 + 12.50 + 8.40 = 29.30.
    const midway = ok(await ward.settle(settleOf(iptNo, 'midway', 3, 2930)));
    expect(midway).toMatchObject({ kind: 'midway', state: 'settled', uptoLine: 3, medfeeFen: 2930 });
    expect(ok(await ward.stay({ iptNo })).unsettledFen).toBe(5020 - 2930);

    // A discharge before the doctor's order is refused; after it, everything left (20.90) is settled.
    const early = settleOf(iptNo, 'discharge', 7, 2090);
    expect(await ward.settle(early)).toMatchObject({ kind: 'rejected', code: 'NO_DISCHARGE_ORDER' });
    his.control.ward.orderDischarge(iptNo);
    // A bill that leaves a line out is refused (a line executed after the pre-settlement).
    expect(await ward.settle(settleOf(iptNo, 'discharge', 6, 3340))).toMatchObject({ kind: 'rejected', code: 'FEES_CHANGED' });

    // Cash part 10.45: deposits 10.00 (wechat) + 0.45 (cash) applied; nothing more to pay.
    const discharge = settleOf(iptNo, 'discharge', 7, 2090, {
      settleId: 'WS-D',
      deposits: [
        { depositNo: d1, amountFen: fen(1000) },
        { depositNo: d2, amountFen: fen(45) },
      ],
      payments: [],
    });
    const booked = ok(await ward.settle(discharge));
    expect(booked).toMatchObject({
      kind: 'discharge',
      cashFen: 1045,
      deposits: [
        { depositNo: d1, amountFen: 1000 },
        { depositNo: d2, amountFen: 45 },
      ],
    });
    // Idempotent: the same id and content answers the booking; other content under it is refused.
    expect(ok(await ward.settle(discharge)).hisSettleNo).toBe(booked.hisSettleNo);
    const conflicting = {
      ...discharge,
      deposits: [{ depositNo: d2, amountFen: fen(45) }],
      payments: [{ channel: 'cash' as const, amountFen: fen(1000) }],
    };
    expect(await ward.settle(conflicting)).toMatchObject({ kind: 'rejected', code: 'SETTLE_ID_CONFLICT' });

    const stay = ok(await ward.stay({ iptNo }));
    expect(stay).toMatchObject({ state: 'settled', unsettledFen: 0, depositBalanceFen: 455 });
    expect(stay.deposits!.map((d) => [d.depositNo, d.balanceFen])).toEqual([
      [d1, 0],
      [d2, 455],
    ]);
    expect(his.control.ward.wardBooks().settlements.map((s) => [s.kind, s.state, s.cashFen])).toEqual([
      ['midway', 'settled', 1465],
      ['discharge', 'settled', 1045],
    ]);
  });

  it('a deposit applied beyond its balance, or payments that do not cover the cash part, are refused', async () => {
    const iptNo = admitAndCharge();
    const d1 = his.control.ward.deposit({ iptNo, channel: 'cash', amountFen: 100 });
    his.control.ward.orderDischarge(iptNo);
    const tooMuch = settleOf(iptNo, 'discharge', 7, 5020, { deposits: [{ depositNo: d1, amountFen: fen(2510) }], payments: [] });
    expect(await ward.settle(tooMuch)).toMatchObject({ kind: 'rejected', code: 'DEPOSIT_BALANCE_SHORT' });
    // The client itself refuses a bill whose deposits and payments do not add up to its cash part.
    expect(() => ward.settle(settleOf(iptNo, 'discharge', 7, 5020, { payments: [] }))).toThrow(RangeError);
  });

  it('a discharge settlement undone puts the lines and deposits back; a later one must be undone first', async () => {
    const iptNo = admitAndCharge();
    const d1 = his.control.ward.deposit({ iptNo, channel: 'alipay', amountFen: 10_000, outTradeNo: 'YJZFB1' });
    ok(await ward.settle(settleOf(iptNo, 'midway', 3, 2930, { deposits: [{ depositNo: d1, amountFen: fen(1465) }], payments: [] })));
    his.control.ward.orderDischarge(iptNo);
    const discharge = ok(
      await ward.settle(settleOf(iptNo, 'discharge', 7, 2090, { deposits: [{ depositNo: d1, amountFen: fen(1045) }], payments: [] })),
    );
    expect(await ward.cancelSettlement({ cancelId: 'C1', settleId: 'WS-midway-3', reason: '' })).toMatchObject({
      kind: 'rejected',
      code: 'LATER_SETTLEMENT',
    });
    const undone = ok(await ward.cancelSettlement({ cancelId: 'C2', settleId: discharge.settleId, reason: '结算有误' }));
    expect(undone).toMatchObject({ state: 'cancelled', cancelId: 'C2' });
    expect(ok(await ward.cancelSettlement({ cancelId: 'C2', settleId: discharge.settleId, reason: '结算有误' })).state).toBe('cancelled');
    expect(await ward.cancelSettlement({ cancelId: 'C3', settleId: discharge.settleId, reason: '' })).toMatchObject({
      code: 'SETTLE_ALREADY_CANCELLED',
    });
    expect(ok(await ward.stay({ iptNo }))).toMatchObject({
      state: 'discharge-ordered',
      unsettledFen: 2090,
      depositBalanceFen: 10_000 - 1465,
    });
  });

  it('HIS’s day account (account.day) lists the ward’s bookings under the stay’s 住院号: mid-stay, discharge, the undone one cancelled', async () => {
    const iptNo = admitAndCharge();
    const d1 = his.control.ward.deposit({ iptNo, channel: 'cash', amountFen: 10_000 });
    ok(await ward.settle(settleOf(iptNo, 'midway', 3, 2930, { deposits: [{ depositNo: d1, amountFen: fen(1465) }], payments: [] })));
    clock += 60_000;
    his.control.ward.orderDischarge(iptNo);
    const discharge = ok(
      await ward.settle(settleOf(iptNo, 'discharge', 7, 2090, { deposits: [{ depositNo: d1, amountFen: fen(1045) }], payments: [] })),
    );
    ok(await ward.cancelSettlement({ cancelId: 'C1', settleId: discharge.settleId, reason: '结算有误' }));

    const account = ok(await client.dayAccount('2026-11-22'));
    expect(account.bookings.map((b) => [b.settleId, b.orderNo, b.kind, b.setlId, b.medfeeFen, b.cashFen, b.state])).toEqual([
      ['WS-midway-3', iptNo, 'insured', 'SETL-3', 2930, 1465, 'settled'],
      ['WS-discharge-7', iptNo, 'insured', 'SETL-7', 2090, 1045, 'cancelled'],
    ]);
    expect(ok(await client.dayAccount('2026-11-21')).bookings).toEqual([]);
  });

  it('a discharge undone after its shortfall was paid turns the payment into a deposit on its channel (转预交金), once', async () => {
    const iptNo = admitAndCharge();
    const d1 = his.control.ward.deposit({ iptNo, channel: 'alipay', amountFen: 1000, outTradeNo: 'YJZFB2' });
    his.control.ward.orderDischarge(iptNo);
    const paid = { channel: 'wechat' as const, outTradeNo: 'BJWX1', transactionId: 'WXT1', amountFen: fen(2510 - 1000) };
    const settled = ok(
      await ward.settle(settleOf(iptNo, 'discharge', 7, 5020, { deposits: [{ depositNo: d1, amountFen: fen(1000) }], payments: [paid] })),
    );
    expect(settled.paymentDeposits).toEqual([]);
    const undone = ok(await ward.cancelSettlement({ cancelId: 'C9', settleId: settled.settleId, reason: '结算有误' }));
    expect(undone.paymentDeposits).toEqual([
      { depositNo: expect.stringMatching(/^YJ\d{14}-1$/), channel: 'wechat', outTradeNo: 'BJWX1', amountFen: 1510 },
    ]);
    // Asked again under the same id: the same deposit, not a second one.
    expect(ok(await ward.cancelSettlement({ cancelId: 'C9', settleId: settled.settleId, reason: '结算有误' })).paymentDeposits).toEqual(
      undone.paymentDeposits,
    );
    const stay = ok(await ward.stay({ iptNo }));
    expect(stay.deposits!.map((d) => [d.channel, d.outTradeNo, d.transactionId, d.balanceFen])).toEqual([
      ['alipay', 'YJZFB2', '', 1000],
      ['wechat', 'BJWX1', 'WXT1', 1510],
    ]);
    expect(stay.depositBalanceFen).toBe(2510);
    // The undone settle id is not booked again, not even with the very same request.
    expect(
      await ward.settle(settleOf(iptNo, 'discharge', 7, 5020, { deposits: [{ depositNo: d1, amountFen: fen(1000) }], payments: [paid] })),
    ).toMatchObject({ kind: 'rejected', code: 'SETTLE_CANCELLED' });
    // The books balance: deposits in = applied + refunded + held.
    const books = his.control.ward.depositBooks(iptNo);
    expect(books).toEqual({ inFen: 2510, appliedFen: 0, refundedFen: 0, heldFen: 2510 });
  });

  it('a deposit balance goes back to its channel with the refund number, or in cash; never beyond the balance', async () => {
    const iptNo = admitAndCharge();
    const wx = his.control.ward.deposit({ iptNo, channel: 'wechat', amountFen: 3000, outTradeNo: 'YJWX9' });
    expect(await ward.refundDeposit({ refundId: 'R1', depositNo: wx, amountFen: 1000, to: 'original' })).toMatchObject({
      code: 'PARAM_ERROR',
    });
    const back = ok(await ward.refundDeposit({ refundId: 'R1', depositNo: wx, amountFen: 1000, to: 'original', refundTradeNo: 'WXR1' }));
    expect(back).toMatchObject({ channel: 'wechat', amountFen: 1000, refundTradeNo: 'WXR1' });
    expect(
      ok(await ward.refundDeposit({ refundId: 'R1', depositNo: wx, amountFen: 1000, to: 'original', refundTradeNo: 'WXR1' })).refundId,
    ).toBe('R1');
    expect(await ward.refundDeposit({ refundId: 'R2', depositNo: wx, amountFen: 2001, to: 'cash' })).toMatchObject({
      code: 'DEPOSIT_BALANCE_SHORT',
    });
    expect(ok(await ward.refundDeposit({ refundId: 'R2', depositNo: wx, amountFen: 2000, to: 'cash' }))).toMatchObject({
      channel: 'cash',
      refundTradeNo: '',
    });
    expect(ok(await ward.depositRefund('R2')).amountFen).toBe(2000);
    expect(ok(await ward.stay({ iptNo })).depositBalanceFen).toBe(0);
  });

  it('an admission with nothing charged can be cancelled, which frees the bed', async () => {
    const iptNo = his.control.ward.admit({ patientId: PATIENT, wardCode: 'W0401', bedNo: '05' });
    expect(() => his.control.ward.admit({ patientId: 'P000102', wardCode: 'W0401', bedNo: '05' })).toThrow(/no free bed/);
    his.control.ward.cancelAdmission(iptNo);
    expect(ok(await ward.stay({ iptNo })).state).toBe('cancelled');
    expect(await ward.stay({ patientId: PATIENT })).toMatchObject({ kind: 'rejected', code: 'STAY_NOT_FOUND' });
    expect(his.control.ward.admit({ patientId: 'P000102', wardCode: 'W0401', bedNo: '05' })).toMatch(/^ZY\d{8}\d{4}$/);
  });

  it('a transfer (转科/转床) moves the stay to another ward, department and bed, or changes its diagnosis; a taken bed is refused', async () => {
    const iptNo = his.control.ward.admit({ patientId: PATIENT, wardCode: 'W0301' });
    his.control.ward.admit({ patientId: 'P000102', wardCode: 'W0401', bedNo: '01' });
    expect(() => his.control.ward.transfer({ iptNo, wardCode: 'W0401', bedNo: '01' })).toThrow(/no free bed/);
    his.control.ward.transfer({ iptNo, wardCode: 'W0401' });
    expect(ok(await ward.stay({ iptNo }))).toMatchObject({ ward: { code: 'W0401' }, bedNo: '02', dept: { code: '0402', name: '骨科' } });
    his.control.ward.transfer({ iptNo, diagnosis: { code: 'S72.000', name: '股骨颈骨折' } });
    expect(ok(await ward.stay({ iptNo }))).toMatchObject({ bedNo: '02', diagnosis: { code: 'S72.000', name: '股骨颈骨折' } });
  });
});
