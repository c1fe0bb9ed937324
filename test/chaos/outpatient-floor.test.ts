import { describe, expect, it } from 'vitest';
import { floorSession, floorSlots, OUTPATIENT_FLOOR } from './outpatient-floor';
import { prng } from './prng';

describe("chaos's outpatient floor", () => {
  it('puts every floor case in a run, each at its own seeded place, the same for the same seed', () => {
    const slots = floorSlots(84, prng(31));
    expect([...slots.values()].sort()).toEqual([...OUTPATIENT_FLOOR].sort());
    expect(new Set(slots.keys()).size).toBe(OUTPATIENT_FLOOR.length);
    expect([...slots.keys()].every((i) => i >= 0 && i < 84)).toBe(true);
    expect([...floorSlots(84, prng(31))]).toEqual([...slots]);
    expect([...floorSlots(84, prng(7)).keys()]).not.toEqual([...slots.keys()]);
  });

  it('a run with fewer outpatient sessions than the floor holds as many cases as fit', () => {
    expect(floorSlots(3, prng(1)).size).toBe(3);
    expect(floorSlots(0, prng(1)).size).toBe(0);
  });

  it('undoes with a poor wallet, cancels and refunds insured orders only', () => {
    expect(floorSession('undo-qr')).toEqual({
      pay: 'qr',
      selfPay: false,
      refund: false,
      refundLines: false,
      cancel: false,
      poorWallet: true,
    });
    expect(floorSession('cancel')).toMatchObject({ selfPay: false, cancel: true, poorWallet: false, refund: false });
    expect(floorSession('refund-lines')).toMatchObject({ selfPay: false, refund: true, refundLines: true, poorWallet: false });
    expect(OUTPATIENT_FLOOR.map((c) => floorSession(c).selfPay)).not.toContain(true);
  });
});
