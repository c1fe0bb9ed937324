// Patient messages end to end over HTTP on 127.0.0.1: a real payment on the simulated platform gives the payer
// id, the message gateway simulator records what reached the patient's phone.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startMessageGateway, type MessageGateway } from '../../simulators/messages';
import { startPayChannel, type PayChannelSimulator } from '../../simulators/pay-channel';
import { fen } from '../../shared/money';
import { PayChannelClient } from '../pay-channel/client';
import type { Payment } from '../pay-channel/types';
import { MessageClient } from './client';
import {
  awaitingSettlementMessage,
  drugPickupMessage,
  maskName,
  paymentResultMessage,
  settledMessage,
  settlementDetailsMessage,
} from './templates';

const MCH = '1900000109';
const KEY = 'SIMKEY0123456789ABCDEFGHIJKLMNOP';
const now = () => new Date('2026-11-22T02:15:30Z');
let gateway: MessageGateway;
let platform: PayChannelSimulator;

function messages(opts: { fetch?: typeof fetch; templateIds?: Record<string, string> } = {}) {
  const sent: string[] = [];
  const inner = opts.fetch ?? fetch;
  const client = new MessageClient(
    { baseUrl: gateway.url, mchId: MCH, key: KEY, timeoutMs: 2_000, templateIds: opts.templateIds ?? {} },
    {
      fetch: async (url, init) => {
        sent.push(String(init?.body));
        return inner(url, init);
      },
    },
  );
  return { client, sent };
}

async function payment(channel: 'WECHAT' | 'ALIPAY' = 'WECHAT'): Promise<Payment> {
  const wallet = platform.control.wallet({ channel, balanceFen: 100_000 });
  const pay = new PayChannelClient({ baseUrl: platform.url, mchId: MCH, key: KEY });
  const outcome = await pay.micropay({ outTradeNo: `MZ${channel}`, totalFee: fen(4560), subject: '门诊缴费', authCode: wallet.authCode });
  if (outcome.kind !== 'ok' || outcome.value.status !== 'paid') throw new Error(JSON.stringify(outcome));
  return outcome.value.payment;
}

beforeEach(async () => {
  gateway = await startMessageGateway({ merchants: [{ mchId: MCH, key: KEY }], seed: 5, now });
  platform = await startPayChannel({ merchants: [{ mchId: MCH, key: KEY }], seed: 5, now });
});
afterEach(async () => {
  await gateway.close();
  await platform.close();
});

describe('patient messages', () => {
  it('the payment result reaches the payer, masked and in yuan (HX-27)', async () => {
    const paid = await payment('ALIPAY');
    const outcome = await messages().client.send(
      paymentResultMessage({
        msgId: 'MSG1',
        payment: paid,
        patientName: '陈建国',
        orderNo: 'MZ2026112200001',
        hospital: '厦门市模拟医院',
        url: 'https://h.example/o/1',
      }),
    );
    expect(outcome).toMatchObject({ kind: 'ok', value: { msgId: 'MSG1', sentAt: '2026-11-22T02:15:30.000Z' } });
    expect(gateway.control.inbox(paid.payerId)).toEqual([
      expect.objectContaining({
        channel: 'ALIPAY',
        template_id: 'PAYMENT_RESULT',
        url: 'https://h.example/o/1',
        data: {
          patient: '陈*国',
          amount: '45.60元',
          pay_channel: '支付宝',
          order_no: 'MZ2026112200001',
          paid_time: '2026-11-22 10:15',
          hospital: '厦门市模拟医院',
        },
      }),
    ]);
  });

  it('drug pick-up, settlement details, awaiting settlement and settled each fit their template', async () => {
    const paid = await payment();
    const to = { wallet: paid.wallet, toUser: paid.payerId };
    const { client } = messages();
    const all = [
      drugPickupMessage(
        { ...to, msgId: 'M1' },
        { patientName: '林美华', window: '门诊西药房 2 号窗口', drugs: ['阿莫西林胶囊', '布洛芬缓释胶囊'], orderNo: 'O1' },
      ),
      settlementDetailsMessage(
        { ...to, msgId: 'M2' },
        {
          patientName: '林美华',
          medfeeFen: fen(10_000),
          fundFen: fen(6_000),
          acctFen: fen(1_500),
          cashFen: fen(2_500),
          settledAt: now(),
          orderNo: 'O1',
        },
      ),
      awaitingSettlementMessage(
        { ...to, msgId: 'M3' },
        { patientName: '林美华', amountDueFen: fen(2_500), deadline: new Date('2026-11-22T02:45:30Z'), orderNo: 'O1' },
      ),
      settledMessage(
        { ...to, msgId: 'M4' },
        { patientName: '林美华', totalFen: fen(10_000), fundFen: fen(7_500), cashFen: fen(2_500), settledAt: now() },
      ),
    ];
    for (const m of all) expect(await client.send(m)).toMatchObject({ kind: 'ok' });
    expect(gateway.control.inbox(paid.payerId).map((m) => [m.template_id, m.data.patient])).toEqual([
      ['DRUG_PICKUP', '林*华'],
      ['SETTLEMENT_DETAILS', '林*华'],
      ['AWAITING_SETTLEMENT', '林*华'],
      ['SETTLED', '林*华'],
    ]);
    expect(gateway.control.inbox(paid.payerId)[1]!.data).toMatchObject({
      total: '100.00元',
      fund: '60.00元',
      account: '15.00元',
      cash: '25.00元',
    });
  });

  it('is sent once: a repeat is byte-identical and answered with the same message', async () => {
    const paid = await payment();
    const { client, sent } = messages();
    const m = paymentResultMessage({ msgId: 'MSG2', payment: paid, patientName: '黄志强', orderNo: 'O2', hospital: 'H' });
    const first = await client.send(m);
    expect(await client.send(m)).toEqual(first);
    expect(sent[0]).toBe(sent[1]);
    expect(gateway.control.messages()).toHaveLength(1);
    expect(await client.send({ ...m, data: { ...m.data, amount: '1.00元' } })).toMatchObject({ kind: 'rejected', code: 'MSG_ID_USED' });
  });

  it('a lost answer is repeated without a second message on the phone', async () => {
    const paid = await payment();
    gateway.control.inject({ op: 'send', fault: { kind: 'drop-response' }, times: 1 });
    const { client } = messages();
    const m = paymentResultMessage({ msgId: 'MSG3', payment: paid, patientName: '黄志强', orderNo: 'O3', hospital: 'H' });
    expect(await client.send(m)).toMatchObject({ kind: 'unknown', reason: 'network' });
    expect(await client.send(m)).toMatchObject({ kind: 'ok' });
    expect(gateway.control.inbox(paid.payerId)).toHaveLength(1);
  });

  it('refusals: a patient who blocked the account, an unknown user, an unregistered template', async () => {
    const paid = await payment();
    const m = paymentResultMessage({ msgId: 'MSG4', payment: paid, patientName: '郑晓东', orderNo: 'O4', hospital: 'H' });
    gateway.control.refuse(paid.payerId);
    expect(await messages().client.send(m)).toMatchObject({ kind: 'rejected', code: 'USER_REFUSED' });
    expect(await messages().client.send({ ...m, msgId: 'MSG5', toUser: 'not-an-openid' })).toMatchObject({
      kind: 'rejected',
      code: 'USER_INVALID',
    });
    const renamed = messages({ templateIds: { PAYMENT_RESULT: 'aXbYcZ-unregistered' } });
    expect(renamed.client.templateId('PAYMENT_RESULT')).toBe('aXbYcZ-unregistered');
    expect(await renamed.client.send({ ...m, msgId: 'MSG6' })).toMatchObject({ kind: 'rejected', code: 'TEMPLATE_NOT_FOUND' });
    expect(gateway.control.messages()).toEqual([]);
  });

  it('an answer it cannot verify is unknown', async () => {
    const paid = await payment();
    gateway.control.inject({ op: 'send', fault: { kind: 'bad-signature' }, times: 1 });
    const m = paymentResultMessage({ msgId: 'MSG7', payment: paid, patientName: '郑晓东', orderNo: 'O7', hospital: 'H' });
    expect(await messages().client.send(m)).toMatchObject({ kind: 'unknown', reason: 'bad-signature' });
  });
});

describe('message texts', () => {
  it('mask names by character', () => {
    expect([maskName('陈建国'), maskName('刘芳'), maskName('欧阳小明'), maskName('周𠮷安'), maskName('李')]).toEqual([
      '陈*国',
      '刘*',
      '欧**明',
      '周*安',
      '李',
    ]);
  });

  it('cut a long drug list to what a keyword shows', () => {
    const drugs = Array.from({ length: 12 }, (_, i) => `药品名称${i}号`);
    const m = drugPickupMessage(
      { msgId: 'X', wallet: 'wechat', toUser: 'o' + 'x'.repeat(27) },
      { patientName: '张伟', window: 'W', drugs, orderNo: 'O' },
    );
    expect([...m.data.drugs!].length).toBeLessThanOrEqual(40);
    expect(m.data.drugs).toMatch(/等12种$/);
  });

  it('refuse a settlement split that does not add up', () => {
    expect(() =>
      settlementDetailsMessage(
        { msgId: 'X', wallet: 'wechat', toUser: 'o' },
        { patientName: '张伟', medfeeFen: fen(100), fundFen: fen(50), acctFen: fen(0), cashFen: fen(49), settledAt: now(), orderNo: 'O' },
      ),
    ).toThrow(RangeError);
  });
});
