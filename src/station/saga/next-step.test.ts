import { describe, expect, it } from 'vitest';
import { actionableStates, nextStep, type NextStepTable } from './next-step';

type State = 'waiting' | 'undoing' | 'done';
const TABLE: NextStepTable<State, 'book' | 'undo' | 'tell'> = [
  { after: ['pay'], final: ['succeeded'], states: ['waiting'], step: 'book' },
  { after: ['book'], final: ['succeeded'], states: ['done'], step: 'tell' },
  { after: 'any', states: ['undoing'], step: 'undo' },
];

describe('next-step table', () => {
  it('takes the first rule whose kind, final state and row state all match', () => {
    expect(nextStep(TABLE, { kind: 'pay', final: 'succeeded' }, 'waiting')).toBe('book');
    expect(nextStep(TABLE, { kind: 'book', final: 'succeeded' }, 'done')).toBe('tell');
  });

  it('owes nothing when the final state, the kind or the row state does not match', () => {
    expect(nextStep(TABLE, { kind: 'pay', final: 'failed' }, 'waiting')).toBeNull();
    expect(nextStep(TABLE, { kind: 'pay', final: 'succeeded' }, 'done')).toBeNull();
    expect(nextStep(TABLE, { kind: 'refund', final: 'succeeded' }, 'waiting')).toBeNull();
  });

  it("'any' matches every kind and, without `final`, every final state", () => {
    for (const final of ['succeeded', 'failed', 'compensated'] as const) {
      expect(nextStep(TABLE, { kind: 'whatever', final }, 'undoing')).toBe('undo');
    }
  });

  it('lists the row states a table can act on (what recovery looks at), once each', () => {
    expect(actionableStates(TABLE).sort()).toEqual(['done', 'undoing', 'waiting']);
  });
});
