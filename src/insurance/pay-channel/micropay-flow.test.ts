// The customer-presented payment flow through every branch, against the simulated platform over HTTP on
// 127.0.0.1 with a virtual clock shared by both ends (the vendors' 5 s / 4 s / 60 s / 15 s rules run in
// milliseconds). Each test also checks the platform's ledger: the patient is charged exactly when the flow
// says "paid".
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startPayChannel, type PayChannelSimulator } from '../../simulators/pay-channel';
import { fen } from '../../shared/money';
import {
  advanceMicropay,
  markMicropaySent,
  nextMicropayAction,
  runMicropayFlow,
  startMicropay,
  VENDOR_MICROPAY_POLICY,
  type MicropayFlowState,
} from './micropay-flow';
import { recordingClient, simDefaults, virtualClock, virtualRuntime, type VirtualClock } from './testing/platform-fixture';

const policy = VENDOR_MICROPAY_POLICY;
const T0 = Date.parse('2026-11-22T02:15:30Z');

let clock: VirtualClock;
let sim: PayChannelSimulator;

async function startSim(rules: Record<string, number> = {}) {
  sim = await startPayChannel({ ...simDefaults(clock), rules: { minReverseAgeMs: 15_000, minCloseAgeMs: 0, ...rules } });
}

beforeEach(async () => {
  clock = virtualClock();
  await startSim();
});
afterEach(async () => {
  await sim.close();
});

function order(authCode: string, outTradeNo = 'MZ1001', amount = 4560) {
  return { outTradeNo, totalFee: fen(amount), subject: '门诊缴费', authCode };
}

/** [operation, seconds after the start] of every request the station sent. */
function timeline(sent: { url: string }[], stamps: number[]) {
  return sent.map((s, i) => [s.url.slice(s.url.lastIndexOf('/') + 1), (stamps[i]! - T0) / 1000]);
}

function stamping(clockRef: VirtualClock) {
  const stamps: number[] = [];
  const fetchAt: typeof fetch = (url, init) => {
    stamps.push(clockRef.now);
    return fetch(url, init);
  };
  return { stamps, fetchAt };
}

describe('micropay flow against the platform', () => {
  it('paid at once: one request, done', async () => {
    const wallet = sim.control.wallet({ channel: 'WECHAT', balanceFen: 10_000 });
    const { client, sent } = recordingClient(sim.url);
    const end = await runMicropayFlow(client, startMicropay(order(wallet.authCode), clock.now), policy, virtualRuntime(clock));
    expect(end).toMatchObject({
      step: 'done',
      end: { result: 'paid', payment: { outTradeNo: 'MZ1001', totalFee: 4560, wallet: 'wechat' } },
    });
    expect(sent).toHaveLength(1);
    expect(sim.control.balance(wallet.authCode)).toBe(10_000 - 4560);
  });

  it('refused at once (balance short): failed, nothing to query or undo', async () => {
    const wallet = sim.control.wallet({ channel: 'ALIPAY', balanceFen: 100 });
    const { client, sent } = recordingClient(sim.url);
    const end = await runMicropayFlow(client, startMicropay(order(wallet.authCode), clock.now), policy, virtualRuntime(clock));
    expect(end.end).toEqual({ result: 'failed', code: 'NOTENOUGH', message: '用户余额不足' });
    expect(sent).toHaveLength(1);
  });

  it('USERPAYING, then the patient confirms: queries from 5 s every 4 s until paid', async () => {
    const wallet = sim.control.wallet({ channel: 'WECHAT', balanceFen: 100_000, password: true });
    const { stamps, fetchAt } = stamping(clock);
    const { client, sent } = recordingClient(sim.url, { fetch: fetchAt });
    const runtime = virtualRuntime<MicropayFlowState>(clock, (s) => {
      if (s.step === 'polling' && s.queries === 2) sim.control.enterPassword('MZ1001');
    });
    const end = await runMicropayFlow(client, startMicropay(order(wallet.authCode), clock.now), policy, runtime);
    expect(end.end).toMatchObject({ result: 'paid' });
    expect(timeline(sent, stamps)).toEqual([
      ['micropay', 0],
      ['orderquery', 5],
      ['orderquery', 9],
      ['orderquery', 13],
    ]);
    expect(runtime.saved.map((s) => s.lastSeen)).toEqual(['', 'user-paying', 'user-paying', 'user-paying', 'paid']);
    expect(sim.control.balance(wallet.authCode)).toBe(100_000 - 4560);
  });

  it('USERPAYING, then the patient cancels: the query says failed and the flow ends there', async () => {
    const wallet = sim.control.wallet({ channel: 'WECHAT', balanceFen: 100_000, password: true });
    const { client } = recordingClient(sim.url);
    const runtime = virtualRuntime<MicropayFlowState>(clock, (s) => {
      if (s.step === 'polling' && s.queries === 1) sim.control.cancelPayment('MZ1001');
    });
    const end = await runMicropayFlow(client, startMicropay(order(wallet.authCode), clock.now), policy, runtime);
    expect(end.end).toMatchObject({ result: 'failed', code: 'USERCANCEL' });
  });

  it('USERPAYING until the limit: reversed at 60 s, and the patient can no longer pay', async () => {
    const wallet = sim.control.wallet({ channel: 'ALIPAY', balanceFen: 100_000, password: true });
    const { stamps, fetchAt } = stamping(clock);
    const { client, sent } = recordingClient(sim.url, { fetch: fetchAt });
    const end = await runMicropayFlow(client, startMicropay(order(wallet.authCode), clock.now), policy, virtualRuntime(clock));
    expect(end.end).toEqual({ result: 'reversed', action: 'closed' });
    const queries = timeline(sent, stamps)
      .filter(([op]) => op === 'orderquery')
      .map(([, at]) => at);
    expect(queries).toEqual([5, 9, 13, 17, 21, 25, 29, 33, 37, 41, 45, 49, 53, 57, 60]);
    expect(timeline(sent, stamps).at(-1)).toEqual(['reverse', 60]);
    expect(sim.control.enterPassword('MZ1001')).toBe('REVOKED');
    expect(sim.control.balance(wallet.authCode)).toBe(100_000);
  });

  it('the patient pays between the last query and the reverse: the reverse refunds it', async () => {
    const wallet = sim.control.wallet({ channel: 'WECHAT', balanceFen: 100_000, password: true });
    const { client } = recordingClient(sim.url);
    const runtime = virtualRuntime<MicropayFlowState>(clock, (s) => {
      if (s.step === 'reversing') sim.control.enterPassword('MZ1001');
    });
    const end = await runMicropayFlow(client, startMicropay(order(wallet.authCode), clock.now), policy, runtime);
    expect(end.end).toEqual({ result: 'reversed', action: 'refunded' });
    expect(sim.control.balance(wallet.authCode)).toBe(100_000);
    expect(sim.control.trade('MZ1001')).toMatchObject({ state: 'REVOKED', reverse_action: 'REFUND' });
  });

  it('lost answer, the platform had charged: the first query finds it paid (no second micropay)', async () => {
    const wallet = sim.control.wallet({ channel: 'WECHAT', balanceFen: 10_000 });
    sim.control.inject({ op: 'micropay', fault: { kind: 'drop-response' }, times: 1 });
    const { stamps, fetchAt } = stamping(clock);
    const { client, sent } = recordingClient(sim.url, { fetch: fetchAt });
    const end = await runMicropayFlow(client, startMicropay(order(wallet.authCode), clock.now), policy, virtualRuntime(clock));
    expect(end.end).toMatchObject({ result: 'paid', payment: { totalFee: 4560 } });
    expect(timeline(sent, stamps)).toEqual([
      ['micropay', 0],
      ['orderquery', 5],
    ]);
    expect(sim.control.balance(wallet.authCode)).toBe(10_000 - 4560);
  });

  it('lost request, no such order: reversed (not before 15 s), and the late request is barred', async () => {
    const wallet = sim.control.wallet({ channel: 'WECHAT', balanceFen: 10_000 });
    sim.control.inject({ op: 'micropay', fault: { kind: 'drop-request' }, times: 1 });
    const { stamps, fetchAt } = stamping(clock);
    const { client, sent } = recordingClient(sim.url, { fetch: fetchAt });
    const end = await runMicropayFlow(client, startMicropay(order(wallet.authCode), clock.now), policy, virtualRuntime(clock));
    expect(end.end).toEqual({ result: 'reversed', action: 'nothing-to-undo' });
    expect(timeline(sent, stamps)).toEqual([
      ['micropay', 0],
      ['orderquery', 5],
      ['reverse', 15],
    ]);
    // The request that was "in flight" arrives now: refused, the patient is not charged.
    expect(await client.micropay(order(wallet.authCode))).toMatchObject({ kind: 'rejected', code: 'ORDERREVERSED' });
    expect(sim.control.balance(wallet.authCode)).toBe(10_000);
  });

  it('queries whose answers are lost keep polling; the reverse whose answer is lost is sent again', async () => {
    const wallet = sim.control.wallet({ channel: 'WECHAT', balanceFen: 100_000, password: true });
    sim.control.inject({ op: 'orderquery', fault: { kind: 'http-500' }, times: 3 });
    sim.control.inject({ op: 'reverse', fault: { kind: 'drop-response' }, times: 2 });
    const { client, sent } = recordingClient(sim.url);
    const end = await runMicropayFlow(client, startMicropay(order(wallet.authCode), clock.now), policy, virtualRuntime(clock));
    expect(end.end).toEqual({ result: 'reversed', action: 'closed' });
    expect(end.reverseAttempts).toBe(2);
    const reverses = sent.filter((s) => s.url.endsWith('/reverse')).map((s) => s.body);
    expect(reverses).toHaveLength(3);
    expect(new Set(reverses).size).toBe(1); // byte-identical
  });

  it('a refused reverse needs a person', async () => {
    await sim.close();
    await startSim({ reverseWindowMs: 30_000 });
    const wallet = sim.control.wallet({ channel: 'WECHAT', balanceFen: 100_000, password: true });
    const { client } = recordingClient(sim.url);
    const end = await runMicropayFlow(client, startMicropay(order(wallet.authCode), clock.now), policy, virtualRuntime(clock));
    expect(end.end).toMatchObject({ result: 'needs-attention' });
    expect(end.end).toHaveProperty('detail', expect.stringContaining('REVERSE_EXPIRED'));
  });

  it('a crash after the micropay left resumes by querying, never by paying again', async () => {
    const wallet = sim.control.wallet({ channel: 'WECHAT', balanceFen: 10_000 });
    const { client, sent } = recordingClient(sim.url);
    const crashing = virtualRuntime<MicropayFlowState>(clock, (s) => {
      if (s.step === 'done') throw new Error('power cut before the answer was stored');
    });
    await expect(runMicropayFlow(client, startMicropay(order(wallet.authCode), clock.now), policy, crashing)).rejects.toThrow('power cut');
    const stored = crashing.saved.at(-1)!;
    expect(stored.step).toBe('submitted');

    const end = await runMicropayFlow(client, stored, policy, virtualRuntime(clock));
    expect(end.end).toMatchObject({ result: 'paid' });
    expect(sent.filter((s) => s.url.endsWith('/micropay'))).toHaveLength(1);
    expect(sim.control.balance(wallet.authCode)).toBe(10_000 - 4560);
  });

  it('a crash before the micropay left resumes by querying too: nothing there, so it is barred', async () => {
    const wallet = sim.control.wallet({ channel: 'WECHAT', balanceFen: 10_000 });
    const { client, sent } = recordingClient(sim.url);
    const crashing = virtualRuntime<MicropayFlowState>(clock, (s) => {
      if (s.step === 'submitted') throw new Error('crash while saving');
    });
    const start = startMicropay(order(wallet.authCode), clock.now);
    await expect(runMicropayFlow(client, start, policy, crashing)).rejects.toThrow('crash');
    expect(sent).toHaveLength(0);
    // The station had written the intent with state 'submit' only; the outbox resumes it as sent-or-not.
    const resumed = markMicropaySent(start, clock.now, policy);
    const end = await runMicropayFlow(client, resumed, policy, virtualRuntime(clock));
    expect(end.end).toEqual({ result: 'reversed', action: 'nothing-to-undo' });
    expect(sim.control.balance(wallet.authCode)).toBe(10_000);
  });
});

describe('micropay flow steps (pure)', () => {
  const start = startMicropay({ outTradeNo: 'X', totalFee: fen(1), subject: 's', authCode: '134567890123456789' }, T0);
  const sent = markMicropaySent(start, T0, policy);

  it('names the next action and when', () => {
    expect(nextMicropayAction(start)).toEqual({ kind: 'micropay', dueAt: T0 });
    expect(nextMicropayAction(sent)).toEqual({ kind: 'query', dueAt: T0 + 5_000 });
    const done = advanceMicropay(sent, { to: 'micropay', outcome: { kind: 'rejected', code: 'NOTENOUGH', message: '' } }, T0, policy);
    expect(nextMicropayAction(done)).toBeUndefined();
  });

  it('a reverse refused as too early is tried again once the age is reached', () => {
    const reversing: MicropayFlowState = { ...sent, step: 'reversing', dueAt: T0 + 15_000 };
    const next = advanceMicropay(
      reversing,
      { to: 'reverse', outcome: { kind: 'rejected', code: 'REVERSE_TOO_EARLY', message: '' } },
      T0 + 1_000,
      policy,
    );
    expect(next).toMatchObject({ step: 'reversing', dueAt: T0 + 15_000 });
    const later = advanceMicropay(
      reversing,
      { to: 'reverse', outcome: { kind: 'rejected', code: 'REVERSE_TOO_EARLY', message: '' } },
      T0 + 20_000,
      policy,
    );
    expect(later).toMatchObject({ step: 'reversing', dueAt: T0 + 23_000 });
  });

  it('gives up reversing after the configured lost answers', () => {
    let s: MicropayFlowState = { ...sent, step: 'reversing' };
    for (let i = 0; i < policy.maxReverseAttempts; i++) {
      s = advanceMicropay(s, { to: 'reverse', outcome: { kind: 'unknown', reason: 'timeout', detail: 't' } }, T0 + 60_000 + i, policy);
    }
    expect(s).toMatchObject({ step: 'done', reverseAttempts: policy.maxReverseAttempts, end: { result: 'needs-attention' } });
  });

  it('an order the platform revoked by itself ends reversed', () => {
    const status = { outTradeNo: 'X', tradeType: 'code' as const, state: 'reversed' as const, totalFee: fen(1), refundedFee: fen(0) };
    expect(advanceMicropay(sent, { to: 'query', outcome: { kind: 'ok', value: status } }, T0 + 50_000, policy).end).toEqual({
      result: 'reversed',
      action: 'closed',
    });
  });

  it('states survive JSON (the outbox stores them)', () => {
    expect(JSON.parse(JSON.stringify(sent))).toEqual(sent);
  });
});
