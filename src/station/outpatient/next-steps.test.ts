import { describe, expect, it } from 'vitest';
import { type ORDER_STATES } from '../../shared/domain';
import { MOVEMENT_KINDS } from '../movements';
import { nextStep } from '../saga';
import { OUTPATIENT_NEXT_STEPS } from './next-steps';

const K = MOVEMENT_KINDS;
const FINALS = ['succeeded', 'failed', 'compensated'] as const;
const step = (kind: string, final: (typeof FINALS)[number], state: (typeof ORDER_STATES)[number]) =>
  nextStep(OUTPATIENT_NEXT_STEPS, { kind, final }, state);

describe('the outpatient next-step table', () => {
  it('a paid cash share is booked at HIS — only while the order waits for it', () => {
    for (const kind of [K.micropay, K.qr]) {
      expect(step(kind, 'succeeded', 'awaiting-payment')).toBe('book');
      expect(step(kind, 'succeeded', 'completed')).toBeNull();
      expect(step(kind, 'failed', 'awaiting-payment')).toBeNull(); // a self-pay order simply stays payable
      expect(step(kind, 'compensated', 'awaiting-payment')).toBeNull();
    }
  });

  it('a 2207 with nothing to pay is booked at HIS; one still waiting for the cash share is not', () => {
    expect(step(K.settlement, 'succeeded', 'insurance-settled')).toBe('book');
    expect(step(K.settlement, 'succeeded', 'awaiting-payment')).toBeNull();
    expect(step(K.settlement, 'compensated', 'previewed')).toBeNull();
  });

  it("HIS's booking is followed by its details and the message; a refused booking waits for a person", () => {
    expect(step(K.hisConfirm, 'succeeded', 'completed')).toBe('follow-up');
    expect(step(K.hisSelfPay, 'succeeded', 'completed')).toBe('follow-up');
    expect(step(K.hisConfirm, 'failed', 'insurance-settled')).toBeNull();
  });

  it('an order being undone goes on with its undo after whatever finished', () => {
    for (const kind of Object.values(K)) {
      for (const final of FINALS) {
        expect(step(kind, final, 'reversing')).toBe('undo');
        expect(step(kind, final, 'expiring')).toBe('undo');
      }
    }
  });

  it('an order being refunded goes on with its refund after whatever finished; a refunded one owes nothing', () => {
    for (const kind of Object.values(K)) {
      for (const final of FINALS) expect(step(kind, final, 'refunding')).toBe('refund');
    }
    expect(step(K.refundApply, 'failed', 'completed')).toBeNull(); // HIS refused: the bill stands
  });

  it('owes nothing in the states a person, a patient or the outbox decides', () => {
    for (const state of ['open', 'previewed', 'reversed', 'expired', 'in-doubt', 'refunded'] as const) {
      for (const kind of Object.values(K)) for (const final of FINALS) expect(step(kind, final, state)).toBeNull();
    }
  });
});
