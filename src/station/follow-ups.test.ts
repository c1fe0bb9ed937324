import { describe, expect, it } from 'vitest';
import { FollowUps, type FinishedMovement } from './follow-ups';

const finished: FinishedMovement = { id: 'i1', kind: 'ward.qr', orderId: 's1', final: 'succeeded' };

function deferred() {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('the steps after a movement finished', () => {
  it('tells the screens once every workflow’s step is done, not before', async () => {
    const booking = deferred();
    const said: string[] = [];
    const errors: string[] = [];
    const f = new FollowUps(
      () => [{ continueAfter: () => booking.promise.then(() => void said.push('booked')) }, { continueAfter: async () => undefined }],
      () => said.push('announced'),
      { error: (m) => void errors.push(m) },
    );
    f.after(finished);
    await new Promise((r) => setTimeout(r, 10));
    expect(said).toEqual([]);
    booking.resolve();
    await f.idle();
    expect(said).toEqual(['booked', 'announced']);
    expect(errors).toEqual([]);
  });

  it('a step that fails is logged and the screens are still told', async () => {
    const errors: string[] = [];
    let announced = 0;
    const f = new FollowUps(
      () => [{ continueAfter: () => Promise.reject(new Error('HIS down')) }],
      () => void announced++,
      {
        error: (m) => void errors.push(m),
      },
    );
    f.after(finished);
    await f.idle();
    expect([errors, announced]).toEqual([['next step failed'], 1]);
  });

  it('stop waits for the steps under way, says nothing after it, and starts none', async () => {
    const booking = deferred();
    let announced = 0;
    let started = 0;
    const f = new FollowUps(
      () => [{ continueAfter: () => (started++, booking.promise) }],
      () => void announced++,
      { error: () => undefined },
    );
    f.after(finished);
    let stopped = false;
    const stopping = f.stop().then(() => (stopped = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(stopped).toBe(false);
    booking.resolve();
    await stopping;
    f.after(finished);
    expect([started, announced]).toEqual([1, 0]);
  });
});
