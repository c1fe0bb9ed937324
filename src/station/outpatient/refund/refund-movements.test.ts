/**
 * A payment's refund on its own channel (pay.refund) through the real outbox and a real SQLite file, the platform
 * scripted: PROCESSING is asked after by refundquery until SUCCESS; a refund the platform never saw is sent again
 * under the same out_refund_no; a lost answer never makes a second refund number.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fen } from '../../../shared/money';
import { stationIds } from '../../ids';
import { MOVEMENT_KINDS } from '../../movements';
import { CASHIER, sagaKit, type SagaKit } from '../testing/saga-kit';
import { refundMovements, REFUND_QUERY_TIMING, type PayRefundPayload } from './refund-movements';
import { RefundsRepo } from './refunds-repo';

let kit: SagaKit;
let refunds: RefundsRepo;
let orderId: string;

beforeEach(() => {
  kit = sagaKit();
  refunds = new RefundsRepo(kit.db);
  const now = () => kit.clock.now;
  for (const m of refundMovements({
    orders: kit.orders,
    now,
    payWindowMs: 30 * 60_000,
    sendsMessages: false,
    gateway: kit.centre,
    his: kit.his,
    pay: kit.pay,
    messageClient: null,
    newMsgid: () => 'H1',
    ids: stationIds(now),
    qrPollEveryMs: 2_000,
    refunds,
  }))
    kit.outbox.register(m);
  orderId = kit.addOrder(1000);
  refunds.insert(
    {
      id: 'R1',
      orderId,
      hisApplyId: 'RA1',
      hisConfirmId: 'RC1',
      fundFen: fen(600),
      acctFen: fen(100),
      cashFen: fen(300),
      operatorId: CASHIER.id,
    },
    [{ outTradeNo: 'MZ1P1', outRefundNo: 'MZ1P1R1', channel: 'wechat', amountFen: fen(300) }],
    kit.clock.now,
  );
});
afterEach(() => kit.close());

const payload: PayRefundPayload = {
  refundId: 'R1',
  outTradeNo: 'MZ1P1',
  outRefundNo: 'MZ1P1R1',
  totalFee: fen(300),
  refundFee: fen(300),
  reason: '患者要求',
};
const refund = () => kit.outbox.run(MOVEMENT_KINDS.payRefund, { orderId, externalId: payload.outRefundNo, payload });
const later = (ms: number) => (kit.clock.now = new Date(kit.clock.now.getTime() + ms));
const paymentState = () => refunds.payments('R1')[0]!.state;

describe('a payment refunded on its own channel', () => {
  it('PROCESSING is asked after by refundquery at its own pace until SUCCESS, past the payments’ query window', async () => {
    kit.pay.refundAnswers.push('processing');
    kit.pay.refundQueryAnswers.push('processing', 'processing', 'succeeded');
    expect(await refund()).toMatchObject({ state: 'unknown' });
    await kit.outbox.resolveNow();
    for (let i = 0; i < 2; i++) {
      expect(paymentState()).toBe('pending');
      later(REFUND_QUERY_TIMING.everyMs + 10 * 60_000);
      await kit.outbox.resolveNow();
    }
    expect(paymentState()).toBe('refunded');
    expect(kit.pay.calls).toEqual(['refund MZ1P1 MZ1P1R1 300', 'refundquery MZ1P1R1', 'refundquery MZ1P1R1', 'refundquery MZ1P1R1']);
  });

  it('a lost answer the platform never saw: sent again under the same out_refund_no, refunded once', async () => {
    kit.pay.refundAnswers.push('lost', 'succeeded');
    kit.pay.refundQueryAnswers.push('not-found');
    expect(await refund()).toMatchObject({ state: 'unknown' });
    await kit.outbox.resolveNow();
    expect(paymentState()).toBe('refunded');
    expect(kit.pay.calls).toEqual(['refund MZ1P1 MZ1P1R1 300', 'refundquery MZ1P1R1', 'refund MZ1P1 MZ1P1R1 300']);
  });

  it('a refund that bounced waits for a person: the refund is marked waiting, the order says why', async () => {
    kit.pay.refundAnswers.push('failed');
    expect(await refund()).toMatchObject({ state: 'failed' });
    expect(paymentState()).toBe('failed');
    expect(refunds.get('R1')!.state).toBe('waiting');
    expect(kit.orders.get(orderId)!.reason).toMatchObject({ code: 'refund-waiting' });
  });
});
