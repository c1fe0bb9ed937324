/**
 * 部分退费 through the saga (the real outbox, movements and SQLite file; the remotes scripted): HIS is asked for the
 * ticked lines, the centre's settlement is cancelled and the remaining lines settled again, the self-pay difference
 * goes back on its trade, HIS books the rest — and a lost answer on the way is resolved, never paid twice.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fen } from '../../../shared/money';
import type { HisSettlement, PartialRefundConfirm } from '../../../insurance/his';
import { stationIds } from '../../ids';
import { CashShare } from '../cash-share';
import { Completion } from '../completion';
import { InsuredSettlement } from '../insured-settlement';
import { CASHIER, lost, ok, refused, sagaKit, settlementAnswer, type SagaKit } from '../testing/saga-kit';
import { Undo } from '../undo';
import { partialRefundMovements } from './partial-movements';
import { Refunds } from './refund';
import { RefundLinesRepo } from './refund-lines';
import { refundMovements } from './refund-movements';
import { RefundsRepo } from './refunds-repo';

let kit: SagaKit;
let refunds: Refunds;
let repo: RefundsRepo;
let cash: CashShare;
let applied: { lines?: unknown }[];
let confirmed: PartialRefundConfirm[];

const WHOLE = { total: 5300, fund: 3000, acct: 1300, cash: 1000 };
const REST = { total: 3000, fund: 2000, acct: 600, cash: 400 };

beforeEach(() => {
  kit = sagaKit();
  repo = new RefundsRepo(kit.db);
  const lines = new RefundLinesRepo(kit.db);
  const now = () => kit.clock.now;
  const deps = {
    orders: kit.orders,
    now,
    payWindowMs: 30 * 60_000,
    sendsMessages: false,
    gateway: kit.centre,
    his: kit.his,
    pay: kit.pay,
    messageClient: null,
    newMsgid: (() => {
      let n = 0;
      return () => `H35020000001202612049${String(++n).padStart(9, '0')}`;
    })(),
    ids: stationIds(now),
    qrPollEveryMs: 2_000,
    refunds: repo,
    refundLines: lines,
  };
  for (const m of [...refundMovements(deps), ...partialRefundMovements(deps)]) kit.outbox.register(m);
  refunds = new Refunds(kit.ctx, repo, lines);
  const completion = new Completion(kit.ctx);
  const undo = new Undo(kit.ctx);
  cash = new CashShare(kit.ctx, { book: (id) => completion.book(id), undo: (id) => undo.afterPaymentFailed(id), recover: async () => {} });
  kit.centre.acceptsAll(WHOLE);
  applied = [];
  confirmed = [];
  kit.his.applyRefund = async (r) => {
    applied.push(r);
    return { kind: 'ok', value: { refundId: r.refundId, settleId: r.settleId, state: 'approved', appliedAt: '', lines: r.lines ?? [] } };
  };
  kit.his.confirmPartialRefund = async (c) => {
    confirmed.push(c);
    return { kind: 'ok', value: { settleId: c.settleId, state: 'settled' } as HisSettlement };
  };
});
afterEach(() => kit.close());

const scan = () => kit.scans.hold('scanbox-1', '134567890123456789', 'wechat-pay').scanId;

/** A bill of two lines (30.00 + 23.00), settled and paid by payment code: completed. */
async function completedBill(): Promise<string> {
  const id = kit.addOrder(5300, { lines: [3000, 2300] });
  const insured = new InsuredSettlement(kit.ctx, async () => {});
  await insured.preSettle(CASHIER, id);
  await insured.settle(CASHIER, id);
  expect((await cash.payByCode(CASHIER, id, scan())).state).toBe('completed');
  kit.centre.reanswer('2207', ok(settlementAnswer(REST, 'SETL2')));
  return id;
}

const movesSinceRefund = (from: number) => kit.centre.moves().slice(from);

describe('a refund by line (部分退费)', () => {
  it('the centre settles the rest again, the self-pay difference goes back on its trade, HIS books the rest', async () => {
    const id = await completedBill();
    const before = kit.centre.moves().length;
    const trade = kit.orders.payments.paid(id)[0]!;

    const view = await refunds.refundOrder(CASHIER, id, '患者要求', [2]);

    expect(applied).toEqual([expect.objectContaining({ lines: [{ rxNo: 'RX1', lineNo: 2 }] })]);
    expect(movesSinceRefund(before)).toEqual(['2208', '2205', '2204', '2207']);
    const [upload, resettle] = kit.centre.calls.filter((c) => c.infno === '2204' || c.infno === '2207').slice(-2);
    expect(upload!.wire.feedetail!.map((l) => l.feedetl_sn)).toEqual(['MZ0001-1']);
    expect(resettle!.wire.data).toMatchObject({ medfee_sumamt: '30.00', chrg_bchno: upload!.wire.feedetail![0]!.chrg_bchno });
    expect(kit.pay.calls.filter((c) => c.startsWith('refund '))).toEqual([
      expect.stringMatching(new RegExp(`^refund ${trade.outTradeNo} \\S+ 600$`)),
    ]);

    const refund = repo.latest(id)!;
    expect(refund).toMatchObject({ state: 'refunded', partial: true, fundFen: 1000, acctFen: 700, cashFen: 600 });
    expect(confirmed).toEqual([
      expect.objectContaining({
        settleId: refund.resettleId,
        setlId: 'SETL2',
        medfeeFen: 3000,
        fundFen: 2000,
        acctFen: 600,
        cashFen: 400,
        payments: [expect.objectContaining({ outTradeNo: trade.outTradeNo, amountFen: 400 })],
      }),
    ]);
    expect(view).toMatchObject({ state: 'completed', totalFen: 3000, setlId: 'SETL2', split: { cashFen: 400 } });
    expect(view.lines.map((l) => l.seq)).toEqual([1]);
    expect(kit.orders.get(id)!.hisSettleId).toBe(refund.resettleId);
  });

  it('a lost answer of the rest’s 2207 is reversed by 2601 and the rest settled again under a new msgid; the money goes back once', async () => {
    const id = await completedBill();
    const before = kit.centre.moves().length;
    kit.centre.reanswer('2207', lost(), ok(settlementAnswer(REST, 'SETL2')));

    expect((await refunds.refundOrder(CASHIER, id, '患者要求', [2])).state).toBe('refunding');
    await kit.outbox.resolveNow(); // 2601 reverses the lost 2207
    await refunds.resume(id);

    expect(movesSinceRefund(before)).toEqual(['2208', '2205', '2204', '2207', '2601', '2207']);
    const settles = kit.centre.calls.filter((c) => c.infno === '2207').slice(-2);
    expect(settles[0]!.msgid).not.toBe(settles[1]!.msgid);
    expect(kit.pay.calls.filter((c) => c.startsWith('refund '))).toHaveLength(1);
    expect(kit.orders.get(id)).toMatchObject({ state: 'completed', setlId: 'SETL2', totalFen: fen(3000) });
  });

  it('a lost request of the rest’s 2204 (nothing to undo by 2205) is uploaded again, not left for a person', async () => {
    const id = await completedBill();
    const before = kit.centre.moves().length;
    const upload = () => ok({ result: kit.centre.lastFeeLines.map((sn) => ({ feedetl_sn: sn, chrgitm_lv: '01' })) });
    kit.centre.reanswer('2204', lost(), upload);
    // The refund's own 2205 cancels the old batch; the undo of the lost 2204 finds nothing to cancel.
    kit.centre.reanswer('2205', ok(undefined), refused('未找到可撤销的费用明细'), ok(undefined));

    expect((await refunds.refundOrder(CASHIER, id, '患者要求', [2])).state).toBe('refunding');
    await kit.outbox.resolveNow();
    await refunds.resume(id);

    expect(movesSinceRefund(before)).toEqual(['2208', '2205', '2204', '2205', '2204', '2207']);
    expect(repo.latest(id)).toMatchObject({ state: 'refunded', partial: true });
    expect(kit.orders.get(id)).toMatchObject({ state: 'completed', setlId: 'SETL2', reason: null });
  });

  it('a self-pay bill: nothing at the centre; the line’s amount goes back and HIS books the rest', async () => {
    const id = kit.addOrder(5300, { lines: [3000, 2300] });
    cash.selfPay(CASHIER, id);
    expect((await cash.payByCode(CASHIER, id, scan())).state).toBe('completed');
    const before = kit.centre.moves().length;

    const view = await refunds.refundOrder(CASHIER, id, '患者要求', [1]);

    expect(movesSinceRefund(before)).toEqual([]);
    expect(kit.pay.calls.filter((c) => c.startsWith('refund '))).toEqual([expect.stringMatching(/ 3000$/)]);
    expect(confirmed).toEqual([
      expect.objectContaining({
        mdtrtId: '',
        fundFen: 0,
        cashFen: 2300,
        medfeeFen: 2300,
        payments: [expect.objectContaining({ amountFen: 2300 })],
      }),
    ]);
    expect(view).toMatchObject({ state: 'completed', totalFen: 2300 });
    expect(view.lines.map((l) => l.seq)).toEqual([2]);
  });

  it('HIS refuses a dispensed line: nothing moves, the bill stands with all its lines and says why', async () => {
    const id = await completedBill();
    const before = kit.centre.moves().length;
    kit.his.applyRefund = async () => ({ kind: 'rejected', code: 'LINE_DISPENSED', message: '已发药：项目2，请先到药房办理退药' });

    await expect(refunds.refundOrder(CASHIER, id, '患者要求', [2])).rejects.toThrow(/已发药/);
    expect(movesSinceRefund(before)).toEqual([]);
    expect(kit.orders.get(id)).toMatchObject({ state: 'completed', totalFen: fen(5300), setlId: 'SETL1' });
    expect(kit.orders.get(id)!.lines).toHaveLength(2);
  });

  it('a line not on the bill is refused before anything is written', async () => {
    const id = await completedBill();
    await expect(refunds.refundOrder(CASHIER, id, '患者要求', [7])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(repo.latest(id)).toBeUndefined();
  });
});
