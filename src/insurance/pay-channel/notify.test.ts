// Notifications from the simulated platform to the station's listener over HTTP on 127.0.0.1: delivery,
// retries with back-off until acknowledged, duplicates, and signatures checked on the station's side.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startPayChannel, type PayChannelSimulator } from '../../simulators/pay-channel';
import { fen } from '../../shared/money';
import { readNotification, startNotifyListener, type NotifyListener, type PaymentNotification } from './notify';
import { eventually, MCH_ID, MCH_KEY, recordingClient, simDefaults, virtualClock } from './testing/platform-fixture';

let sim: PayChannelSimulator;
let listener: NotifyListener | undefined;
const received: PaymentNotification[] = [];
const invalid: string[] = [];
let failNextStores = 0;

async function start() {
  received.length = 0;
  invalid.length = 0;
  failNextStores = 0;
  sim = await startPayChannel({ ...simDefaults(virtualClock()), rules: { minReverseAgeMs: 0, minCloseAgeMs: 0 } });
  listener = await startNotifyListener({
    config: { baseUrl: sim.url, mchId: MCH_ID, key: MCH_KEY },
    onPayment: (n) => {
      if (failNextStores > 0) {
        failNextStores -= 1;
        throw new Error('database busy');
      }
      received.push(n);
    },
    onInvalid: (reason) => invalid.push(reason),
  });
}

async function pay(notifyUrl: string, outTradeNo = 'N0001') {
  const wallet = sim.control.wallet({ channel: 'ALIPAY', balanceFen: 10_000 });
  const { client } = recordingClient(sim.url);
  const outcome = await client.micropay({ outTradeNo, totalFee: fen(2500), subject: '门诊缴费', authCode: wallet.authCode, notifyUrl });
  expect(outcome).toMatchObject({ kind: 'ok', value: { status: 'paid' } });
  return wallet;
}

const settled = (notifyId: string) => {
  const row = sim.control.notifications().find((n) => n.notify_id === notifyId);
  return row && row.state !== 'pending' ? row : undefined;
};

beforeEach(async () => start());
afterEach(async () => {
  await listener?.close();
  listener = undefined;
  await sim.close();
});

describe('notifications', () => {
  it('arrive signed, name the payment, and are acknowledged once stored', async () => {
    const wallet = await pay(listener!.url);
    const row = await eventually(() => settled('NN0001'));
    expect(row).toMatchObject({ state: 'acked', attempts: 1 });
    expect(received).toEqual([
      {
        notifyId: 'NN0001',
        payment: expect.objectContaining({
          outTradeNo: 'N0001',
          totalFee: 2500,
          wallet: 'alipay',
          payerId: sim.control.trade('N0001')!.payer_id,
        }),
      },
    ]);
    expect(wallet.payerId).toBe(received[0]!.payment.payerId);
  });

  it('are retried with back-off while the station cannot store them', async () => {
    failNextStores = 2;
    await pay(listener!.url);
    const row = await eventually(() => settled('NN0001'));
    expect(row).toMatchObject({ state: 'acked', attempts: 3 });
    expect(sim.control.notifyAttempts('NN0001').map((a) => a.outcome)).toEqual(['refused:500', 'refused:500', 'acked']);
    expect(received).toHaveLength(1);
  });

  it('may come twice; the notify id lets the station see it is the same', async () => {
    sim.control.inject({ op: 'notify', fault: { kind: 'duplicate-notify' }, times: 1 });
    await pay(listener!.url);
    await eventually(() => (received.length === 2 ? true : undefined));
    expect(new Set(received.map((n) => n.notifyId)).size).toBe(1);
  });

  it('a lost delivery is retried', async () => {
    sim.control.inject({ op: 'notify', fault: { kind: 'notify-lost' }, times: 1 });
    await pay(listener!.url);
    expect(await eventually(() => settled('NN0001'))).toMatchObject({ state: 'acked', attempts: 2 });
  });

  it('one with a bad signature is refused by the station, and the genuine retry is taken', async () => {
    sim.control.inject({ op: 'notify', fault: { kind: 'bad-signature' }, times: 1 });
    await pay(listener!.url);
    expect(await eventually(() => settled('NN0001'))).toMatchObject({ state: 'acked', attempts: 2 });
    expect(invalid).toEqual(['signature does not verify']);
    expect(received).toHaveLength(1);
  });

  it('the platform gives up after its schedule when the station never answers', async () => {
    await listener!.close();
    const deadUrl = listener!.url;
    listener = undefined;
    await pay(deadUrl);
    expect(await eventually(() => settled('NN0001'))).toMatchObject({ state: 'gave-up', attempts: 4 });
  });

  it('readNotification refuses a tampered body and another merchant', async () => {
    const bodies: string[] = [];
    const raw = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        bodies.push(body);
        res.end('{"return_code":"SUCCESS"}');
      });
    });
    await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
    try {
      await pay(`http://127.0.0.1:${(raw.address() as AddressInfo).port}/notify`);
      const text = await eventually(() => bodies[0]);
      const config = { mchId: MCH_ID, key: MCH_KEY };
      expect(readNotification(text, config)).toMatchObject({ ok: true, notification: { notifyId: 'NN0001' } });
      expect(readNotification(text.replace('"total_fee":2500', '"total_fee":1'), config)).toEqual({
        ok: false,
        reason: 'signature does not verify',
      });
      expect(readNotification(text, { mchId: 'SOMEONEELSE', key: MCH_KEY })).toEqual({ ok: false, reason: `for merchant ${MCH_ID}` });
      expect(readNotification('[]', config)).toEqual({ ok: false, reason: 'not a JSON object' });
    } finally {
      raw.closeAllConnections();
      raw.close();
    }
  });
});
