import { describe, expect, it } from 'vitest';
import type { OrderView, PaymentView } from '../../../shared/domain';
import { sampleOrder } from '../../../shared/testing/sample-order';
import { actionableOrder, cashShareFen, paidPayments, pendingQr, walletLabel } from './order-labels';
import { fen } from '../../../shared/money';

const payment = (patch: Partial<PaymentView>): PaymentView => ({
  outTradeNo: 'T1',
  mode: 'precreate',
  wallet: 'unknown',
  amountFen: fen(500),
  state: 'pending',
  qrCode: 'weixin://wxpay/bizpayurl?pr=x',
  expiresAt: '2025-01-02T08:05:00.000Z',
  updatedAt: '2025-01-02T08:00:00.000Z',
  ...patch,
});

const order = (patch: Partial<OrderView>): OrderView => sampleOrder({ id: 'o1', hisOrderNo: 'CF1', state: 'awaiting-payment', ...patch });

describe('pendingQr', () => {
  it('is the pending precreate payment with a code, nothing else', () => {
    const qr = payment({});
    expect(pendingQr(order({ payments: [payment({ outTradeNo: 'T0', state: 'closed' }), qr] }))).toBe(qr);
    expect(pendingQr(order({ payments: [payment({ mode: 'micropay', qrCode: null })] }))).toBeNull();
    expect(pendingQr(order({ payments: [payment({ qrCode: null })] }))).toBeNull();
    expect(pendingQr(order({ payments: [payment({ state: 'paid' })] }))).toBeNull();
  });
});

describe('cashShareFen and paidPayments', () => {
  it('takes the split, and the whole total for a self-pay order without one', () => {
    const split = {
      totalFen: fen(1_000),
      fundFen: fen(600),
      poolFen: fen(600),
      accountFen: fen(100),
      cashFen: fen(300),
      deductibleFen: fen(0),
      balanceAfterFen: fen(0),
    };
    expect(cashShareFen(order({ split }))).toBe(300);
    expect(cashShareFen(order({ settleMode: 'self-pay' }))).toBe(1_000);
    expect(cashShareFen(order({}))).toBe(0);
  });

  it('lists only what was paid', () => {
    const paid = payment({ state: 'paid', outTradeNo: 'T2' });
    expect(paidPayments(order({ payments: [payment({ state: 'failed' }), paid] }))).toEqual([paid]);
  });
});

describe('walletLabel and actionableOrder', () => {
  it('names an aggregated QR as either app', () => {
    expect(walletLabel('unknown')).toBe('微信 / 支付宝');
    expect(walletLabel('alipay')).toBe('支付宝');
  });

  it('acts on the first order with a next step', () => {
    const done = order({ id: 'a', state: 'completed' });
    const open = order({ id: 'b', state: 'open' });
    expect(actionableOrder([done, open])).toBe(open);
    expect(actionableOrder([done])).toBeUndefined();
    expect(actionableOrder(null)).toBeUndefined();
  });
});
