import { describe, expect, it } from 'vitest';
import { SingleFlight } from './single-flight';

describe('SingleFlight', () => {
  it('a second caller for the same key joins the run going and hears its result; another key runs on its own', async () => {
    const flights = new SingleFlight<string>();
    let started = 0;
    let finish = (_v: string) => {};
    const work = () => (started++, new Promise<string>((resolve) => (finish = resolve)));
    const first = flights.run('A', work);
    const second = flights.run('A', work);
    expect(started).toBe(1);
    expect(flights.has('A')).toBe(true);
    const other = flights.run('B', async () => 'b');
    finish('a');
    expect(await Promise.all([first, second, other])).toEqual(['a', 'a', 'b']);
    expect(flights.has('A')).toBe(false);
  });

  it('a run that fails (or throws before its first await) frees its key; both callers hear the failure', async () => {
    const flights = new SingleFlight<number>();
    const thrown = flights.run('A', () => {
      throw new Error('at once');
    });
    await expect(thrown).rejects.toThrow('at once');
    const failing = flights.run('A', async () => Promise.reject(new Error('later')));
    const joined = flights.run('A', async () => 1);
    await expect(failing).rejects.toThrow('later');
    await expect(joined).rejects.toThrow('later');
    expect(await flights.run('A', async () => 2)).toBe(2);
  });

  it('quiet waits for every run going, failed ones included', async () => {
    const flights = new SingleFlight<void>();
    const done: string[] = [];
    void flights.run('A', async () => void (await Promise.resolve(), done.push('A')));
    void flights.run('B', async () => Promise.reject(new Error('x'))).catch(() => done.push('B failed'));
    await flights.quiet();
    expect(done).toContain('A');
  });

  it('runAfter: with a run going, one more runs after it (callers meanwhile share it); with none, it runs at once', async () => {
    const flights = new SingleFlight<number>();
    let state = 1;
    let release = () => {};
    const seen: number[] = [];
    const read = async () => {
      const v = state; // the run reads the state when it begins
      await new Promise<void>((r) => (release = r));
      seen.push(v);
      return v;
    };
    const first = flights.run('A', read);
    state = 2; // changed after the first run read it
    const joined = flights.run('A', read);
    const after = flights.runAfter('A', read);
    const alsoAfter = flights.runAfter('A', read);
    release();
    expect(await first).toBe(1);
    expect(await joined).toBe(1); // run joins: it misses the change
    await new Promise((r) => setTimeout(r, 0));
    release();
    expect(await after).toBe(2); // runAfter sees it
    expect(await alsoAfter).toBe(2);
    expect(seen).toEqual([1, 2]); // one run after, shared
    expect(flights.has('A')).toBe(false);
    const alone = flights.runAfter('A', async () => 3);
    expect(flights.has('A')).toBe(true);
    expect(await alone).toBe(3);
  });

  it('runAfter follows a failed run too, and quiet waits for the run it queued', async () => {
    const flights = new SingleFlight<string>();
    const done: string[] = [];
    void flights.run('A', async () => Promise.reject(new Error('x'))).catch(() => done.push('failed'));
    void flights.runAfter('A', async () => (await Promise.resolve(), done.push('after'), 'ok'));
    await flights.quiet();
    expect(done).toEqual(['failed', 'after']);
  });
});
