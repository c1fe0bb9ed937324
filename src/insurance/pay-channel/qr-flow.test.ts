// The merchant-presented QR flow against the simulated platform (virtual clock shared by both ends).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startPayChannel, type PayChannelSimulator } from '../../simulators/pay-channel';
import { fen } from '../../shared/money';
import { applyQrNotification, cancelQrPayment, DEFAULT_QR_POLICY, runQrFlow, startQrPayment, type QrFlowState } from './qr-flow';
import { recordingClient, simDefaults, virtualClock, virtualRuntime, type VirtualClock } from './testing/platform-fixture';

let clock: VirtualClock;
let sim: PayChannelSimulator;

beforeEach(async () => {
  clock = virtualClock();
  sim = await startPayChannel(simDefaults(clock));
});
afterEach(async () => {
  await sim.close();
});

const request = () => ({ outTradeNo: 'QR2001', totalFee: fen(5630), subject: '门诊自付', expiresAt: clock.now + 120_000 });
/** Runs the flow until the QR is on the screen, then stops (as a station shutting down would). */
async function shown(client: ReturnType<typeof recordingClient>['client']): Promise<QrFlowState> {
  const stop = new AbortController();
  const runtime = virtualRuntime<QrFlowState>(clock, (s) => {
    if (s.step === 'waiting') stop.abort();
  });
  const state = await runQrFlow(client, startQrPayment(request(), clock.now), DEFAULT_QR_POLICY, { ...runtime, signal: stop.signal });
  expect(state).toMatchObject({ step: 'waiting', order: { outTradeNo: 'QR2001' } });
  return state;
}

const payer = () => sim.control.wallet({ channel: 'WECHAT', balanceFen: 10_000 }).authCode;

describe('QR payment flow', () => {
  it('the patient pays while the QR is shown: paid', async () => {
    const authCode = payer();
    const { client } = recordingClient(sim.url);
    let polls = 0;
    const runtime = virtualRuntime<QrFlowState>(clock, (s) => {
      if (s.step === 'waiting' && s.order && ++polls === 4) sim.control.payQr(s.order.codeUrl, authCode);
    });
    const end = await runQrFlow(client, startQrPayment(request(), clock.now), DEFAULT_QR_POLICY, runtime);
    expect(end.end).toMatchObject({ result: 'paid', payment: { totalFee: 5630, wallet: 'wechat' } });
    expect(sim.control.balance(authCode)).toBe(10_000 - 5630);
  });

  it('nobody pays: at expiry the order is closed, and cannot be paid afterwards', async () => {
    const { client, sent } = recordingClient(sim.url);
    const end = await runQrFlow(client, startQrPayment(request(), clock.now), DEFAULT_QR_POLICY, virtualRuntime(clock));
    expect(end.end).toEqual({ result: 'closed', reason: 'expired' });
    expect(sent.filter((s) => s.url.endsWith('/orderquery')).length).toBe(40); // every 3 s for 120 s
    expect(sim.control.payQr(end.order!.codeUrl, payer())).toEqual({ paid: false, reason: 'ORDERCLOSED' });
  });

  it('the cashier cancels: closed at once', async () => {
    const { client } = recordingClient(sim.url);
    const created = await shown(client);
    const end = await runQrFlow(client, cancelQrPayment(created, clock.now), DEFAULT_QR_POLICY, virtualRuntime(clock));
    expect(end.end).toEqual({ result: 'closed', reason: 'cancelled' });
    expect(sim.control.trade('QR2001')!.state).toBe('CLOSED');
  });

  it('the patient pays just as the cashier cancels: ORDERPAID, and the flow collects the payment', async () => {
    const authCode = payer();
    const { client } = recordingClient(sim.url);
    const created = await shown(client);
    const runtime = virtualRuntime<QrFlowState>(clock);
    sim.control.payQr(created.order!.codeUrl, authCode); // between the cashier's click and the close
    const end = await runQrFlow(client, cancelQrPayment(created, clock.now), DEFAULT_QR_POLICY, runtime);
    expect(runtime.saved.map((s) => s.lastSeen)).toEqual(['ORDERPAID', 'paid']);
    expect(end.end).toMatchObject({ result: 'paid', payment: { totalFee: 5630 } });
  });

  it('a lost precreate answer is asked again and gets the same QR', async () => {
    sim.control.inject({ op: 'precreate', fault: { kind: 'drop-response' }, times: 1 });
    const { client } = recordingClient(sim.url);
    const runtime = virtualRuntime<QrFlowState>(clock);
    await runQrFlow(client, startQrPayment({ ...request(), expiresAt: clock.now + 9_000 }, clock.now), DEFAULT_QR_POLICY, runtime);
    expect(runtime.saved[0]).toMatchObject({ step: 'create', lastSeen: 'no answer: network' });
    expect(runtime.saved[1]!.order!.codeUrl).toBe(sim.control.trade('QR2001')!.code_url);
    expect(sim.control.trades()).toHaveLength(1);
  });

  it('a notification ends the wait before the next query', () => {
    const s = startQrPayment(request(), clock.now);
    const payment = {
      outTradeNo: 'QR2001',
      transactionId: 'T',
      wallet: 'alipay' as const,
      payerId: 'P',
      totalFee: fen(5630),
      paidAt: '2026-11-22T02:16:00.000Z',
    };
    expect(applyQrNotification({ ...s, step: 'waiting' }, payment).end).toEqual({ result: 'paid', payment });
    expect(applyQrNotification({ ...s, step: 'waiting' }, { ...payment, outTradeNo: 'OTHER' }).step).toBe('waiting');
  });
});
