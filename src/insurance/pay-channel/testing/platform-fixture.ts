/**
 * Test helpers on the station's side of the platform (the simulator itself is started by each test file —
 * only tests may import simulators). A virtual clock is shared by the simulator and the flows: `advance(ms)`
 * moves both, so the vendors' 5 s / 60 s rules run in milliseconds and deterministically.
 */
import { PayChannelClient } from '../client';
import type { FlowRuntime } from '../flow-runtime';

export const MCH_ID = '1900000109';
export const MCH_KEY = 'SIMKEY0123456789ABCDEFGHIJKLMNOP';

/** Simulator options every test starts from (lowered vendor ages, short notify back-off). */
export function simDefaults(clock: VirtualClock) {
  return {
    merchants: [{ mchId: MCH_ID, key: MCH_KEY }],
    seed: 20261122,
    now: clock.date,
    rules: { minReverseAgeMs: 0, minCloseAgeMs: 0 },
    notifyScheduleMs: [20, 20, 40],
  };
}

export interface VirtualClock {
  now: number;
  date: () => Date;
  advance(ms: number): void;
}

export function virtualClock(iso = '2026-11-22T02:15:30Z'): VirtualClock {
  const clock: VirtualClock = {
    now: Date.parse(iso),
    date: () => new Date(clock.now),
    advance: (ms) => {
      clock.now += ms;
    },
  };
  return clock;
}

export interface Sent {
  url: string;
  body: string;
}

export function recordingClient(baseUrl: string, opts: { timeoutMs?: number; fetch?: typeof fetch; key?: string } = {}) {
  const sent: Sent[] = [];
  const inner = opts.fetch ?? fetch;
  const recording: typeof fetch = async (url, init) => {
    sent.push({ url: String(url), body: String(init?.body) });
    return inner(url, init);
  };
  const client = new PayChannelClient(
    { baseUrl, mchId: MCH_ID, key: opts.key ?? MCH_KEY, timeoutMs: opts.timeoutMs ?? 2_000 },
    { fetch: recording },
  );
  return { client, sent };
}

/**
 * A flow runtime on the virtual clock. `onSave` sees every state about to be saved and may act on it (the
 * patient confirming, a crash): when it throws, that state is not saved — as if the station died there.
 */
export function virtualRuntime<S>(clock: VirtualClock, onSave?: (state: S) => void | Promise<void>): FlowRuntime<S> & { saved: S[] } {
  const saved: S[] = [];
  return {
    saved,
    now: () => clock.now,
    sleep: async (ms) => clock.advance(ms),
    save: async (state) => {
      await onSave?.(state);
      saved.push(structuredClone(state));
    },
  };
}

/** Polls `probe` until it returns a value (not undefined) or `timeoutMs` passes on the real clock. */
export async function eventually<T>(probe: () => T | undefined, timeoutMs = 3_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
