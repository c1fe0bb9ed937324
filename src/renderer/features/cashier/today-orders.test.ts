import { describe, expect, it } from 'vitest';
import type { OrderView } from '../../../shared/domain';
import { sampleOrder } from '../../../shared/testing/sample-order';
import { orderActivityAt, sortByActivity, todayTotals, upsertOrder } from './today-orders';
import { fen } from '../../../shared/money';

const order = (id: string, createdAt: string, patch: Partial<OrderView> = {}): OrderView =>
  sampleOrder({ id, hisOrderNo: `CF-${id}`, patientName: '张*', createdAt, ...patch });

describe('orderActivityAt', () => {
  it('takes the HIS booking time, or a later payment, or the creation', () => {
    const created = order('a', '2025-01-02T08:00:00.000Z');
    expect(orderActivityAt(created)).toBe('2025-01-02T08:00:00.000Z');
    const paid = order('a', '2025-01-02T08:00:00.000Z', {
      payments: [
        {
          outTradeNo: 'T',
          mode: 'micropay',
          wallet: 'wechat',
          amountFen: fen(1),
          state: 'paid',
          qrCode: null,
          expiresAt: null,
          updatedAt: '2025-01-02T08:05:00.000Z',
        },
      ],
    });
    expect(orderActivityAt(paid)).toBe('2025-01-02T08:05:00.000Z');
    const booked = {
      ...paid,
      his: { hisSettleNo: 'H', invoiceNo: 'I', pickupWindow: 'W', settledAt: '2025-01-02T08:06:00.000Z', type: 'insured' as const },
    };
    expect(orderActivityAt(booked)).toBe('2025-01-02T08:06:00.000Z');
  });
});

describe('upsertOrder', () => {
  const a = order('a', '2025-01-02T08:00:00.000Z');
  const b = order('b', '2025-01-02T09:00:00.000Z');

  it('replaces an order by id without duplicating it', () => {
    const list = upsertOrder([b, a], { ...a, state: 'completed' });
    expect(list.map((o) => [o.id, o.state])).toEqual([
      ['b', 'open'],
      ['a', 'completed'],
    ]);
  });

  it('adds an order it has not seen, newest first', () => {
    const c = order('c', '2025-01-02T10:00:00.000Z');
    expect(upsertOrder([b, a], c).map((o) => o.id)).toEqual(['c', 'b', 'a']);
    expect(upsertOrder([], a)).toEqual([a]);
  });

  it('moves an order that just moved to the top', () => {
    const booked = {
      ...a,
      his: { hisSettleNo: 'H', invoiceNo: 'I', pickupWindow: 'W', settledAt: '2025-01-02T11:00:00.000Z', type: 'insured' as const },
    };
    expect(upsertOrder([b, a], booked).map((o) => o.id)).toEqual(['a', 'b']);
  });

  it('does not change the list it was given', () => {
    const list = [a, b];
    upsertOrder(list, { ...a, state: 'completed' });
    expect(list).toEqual([a, b]);
    expect(sortByActivity(list).map((o) => o.id)).toEqual(['b', 'a']);
  });
});

describe('todayTotals', () => {
  it('counts completed orders and the cash they collected', () => {
    const split = {
      totalFen: fen(1_000),
      fundFen: fen(600),
      poolFen: fen(600),
      accountFen: fen(100),
      cashFen: fen(300),
      deductibleFen: fen(0),
      balanceAfterFen: fen(0),
    };
    const list = [
      order('a', '2025-01-02T08:00:00.000Z', { state: 'completed', split }),
      order('b', '2025-01-02T08:00:00.000Z', { state: 'completed', split: { ...split, cashFen: fen(1_000) } }),
      order('c', '2025-01-02T08:00:00.000Z', { state: 'awaiting-payment', split }),
    ];
    expect(todayTotals(list)).toEqual({ completed: 2, cashFen: fen(1_300) });
  });
});
