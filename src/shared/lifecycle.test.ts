import { describe, expect, it } from 'vitest';
import { type Disposable, DisposableStore, Emitter } from './lifecycle';

describe('Emitter', () => {
  it('delivers to each subscription, and a disposed one gets nothing more', () => {
    const emitter = new Emitter<number>();
    const seen: number[] = [];
    const listener = (n: number) => seen.push(n);
    const first = emitter.event(listener);
    emitter.event(listener); // same function twice: two subscriptions
    emitter.fire(1);
    first.dispose();
    first.dispose(); // idempotent
    emitter.fire(2);
    expect(seen).toEqual([1, 1, 2]);
    expect(emitter.listenerCount).toBe(1);
  });

  it('lets a listener unsubscribe another during delivery', () => {
    const emitter = new Emitter<string>();
    const seen: string[] = [];
    let second: Disposable | undefined = undefined;
    emitter.event(() => second?.dispose());
    second = emitter.event((value) => seen.push(value));
    emitter.fire('x');
    expect(seen).toEqual([]);
  });

  it('isolates a throwing listener and reports it', () => {
    const errors: unknown[] = [];
    const emitter = new Emitter<number>((error) => errors.push(error));
    const seen: number[] = [];
    emitter.event(() => {
      throw new Error('boom');
    });
    emitter.event((n) => seen.push(n));
    emitter.fire(7);
    expect(seen).toEqual([7]);
    expect(errors).toEqual([new Error('boom')]);
  });

  it('dispose drops every listener', () => {
    const emitter = new Emitter<number>();
    const seen: number[] = [];
    emitter.event((n) => seen.push(n));
    emitter.dispose();
    emitter.fire(1);
    expect(seen).toEqual([]);
  });
});

describe('DisposableStore', () => {
  it('disposes everything it holds, once', () => {
    const store = new DisposableStore();
    let count = 0;
    store.add({ dispose: () => count++ });
    store.add({ dispose: () => count++ });
    store.dispose();
    store.dispose();
    expect(count).toBe(2);
  });
});
