// The message gateway driven by a hand-made merchant (its own signing, written here).
import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startMessageGateway, type MessageGateway } from './server';

const KEY = 'K'.repeat(32);
let gateway: MessageGateway;

function signed(fields: Record<string, string>): Record<string, string> {
  const all: Record<string, string> = { mch_id: 'M1', nonce_str: 'N'.repeat(32), sign_type: 'HMAC-SHA256', ...fields };
  const base =
    Object.keys(all)
      .sort()
      .map((k) => `${k}=${all[k]}`)
      .join('&') + `&key=${KEY}`;
  return { ...all, sign: createHmac('sha256', KEY).update(base).digest('hex').toUpperCase() };
}

async function send(data: Record<string, string>, msgId = 'A1'): Promise<Record<string, string>> {
  const body = signed({
    msg_id: msgId,
    channel: 'WECHAT',
    to_user: `o${'a'.repeat(27)}`,
    template_id: 'DRUG_PICKUP',
    data: JSON.stringify(data),
  });
  const res = await fetch(`${gateway.url}/message/send`, { method: 'POST', body: JSON.stringify(body) });
  return (await res.json()) as Record<string, string>;
}

beforeEach(async () => {
  gateway = await startMessageGateway({ merchants: [{ mchId: 'M1', key: KEY }], seed: 1 });
});
afterEach(async () => {
  await gateway.close();
});

describe('message gateway', () => {
  const good = { patient: '陈*国', window: '2 号窗口', drugs: '阿莫西林胶囊', order_no: 'O1' };

  it('sends a message whose data fits its template, and records it', async () => {
    expect(await send(good)).toMatchObject({ result_code: 'SUCCESS', msg_id: 'A1', platform_msg_id: expect.stringMatching(/^MSG\d{8}/) });
    expect(gateway.control.messages()).toMatchObject([{ msg_id: 'A1', template_id: 'DRUG_PICKUP', data: good }]);
  });

  it.each([
    ['a missing key', { ...good, window: '' }, '缺少模板字段: window'],
    ['a key the template lacks', { ...good, phone: '138' }, '模板没有字段: phone'],
    ['an over-long value', { ...good, drugs: '药'.repeat(65) }, '字段过长: drugs'],
  ])('refuses %s', async (_what, data, des) => {
    expect(await send(data)).toMatchObject({ result_code: 'FAIL', err_code: 'DATA_INVALID', err_code_des: des });
    expect(gateway.control.messages()).toEqual([]);
  });
});
