import { describe, expect, it } from 'vitest';
import {
  decodeTerminalMessage,
  encodeStationMessage,
  identityOf,
  isSessionEvent,
  sessionMessage,
  type SessionCommand,
} from './face-messages';

const IDENTITY = {
  authNo: 'AUTH0001',
  ecToken: 'ADBHJRS5I01E0F3438C00000B959FA88',
  idNo: '350203196804122036',
  userName: '陈建国',
  insuOrg: '350200',
};

describe('face terminal messages', () => {
  it('encodes station requests as one JSON line each', () => {
    expect(Buffer.from(encodeStationMessage({ type: 'verify', seq: 7, outBizNo: 'H1', timeoutS: 60 })).toString()).toBe(
      '{"type":"verify","seq":7,"outBizNo":"H1","timeoutS":60}\n',
    );
  });

  it('decodes a verification with its identity, a refusal, a pong and a self-service start', () => {
    const verified = decodeTerminalMessage(JSON.stringify({ type: 'verify.result', seq: 7, ok: true, ...IDENTITY, extra: 1 }));
    expect(verified.ok && verified.message.type === 'verify.result' && verified.message.ok && identityOf(verified.message)).toEqual(
      IDENTITY,
    );
    expect(decodeTerminalMessage('{"type":"verify.result","seq":7,"ok":false,"reason":"cancelled"}')).toMatchObject({ ok: true });
    expect(decodeTerminalMessage('{"type":"pong","seq":1,"model":"T1","firmware":"1.0","serial":"S1"}')).toMatchObject({ ok: true });
    expect(decodeTerminalMessage('{"type":"self-service","sessionId":"S-1"}')).toEqual({
      ok: true,
      message: { type: 'self-service', sessionId: 'S-1' },
    });
  });

  it.each([
    ['not JSON', '{"type":', '不是 JSON'],
    [
      'an identity without its token',
      JSON.stringify({ type: 'verify.result', seq: 7, ok: true, ...IDENTITY, ecToken: undefined }),
      '不符合协议',
    ],
    [
      'a name with a control character',
      JSON.stringify({ type: 'verify.result', seq: 7, ok: true, ...IDENTITY, userName: '陈\u0000' }),
      '不符合协议',
    ],
    ['an unknown refusal', '{"type":"verify.result","seq":7,"ok":false,"reason":"maybe"}', '不符合协议'],
    ['an unknown type', '{"type":"hello","seq":1}', '不符合协议'],
    ['a sequence number of 0', JSON.stringify({ type: 'verify.result', seq: 0, ok: true, ...IDENTITY }), '不符合协议'],
  ])('refuses %s', (_, line, problem) => {
    expect(decodeTerminalMessage(line)).toEqual({ ok: false, problem });
  });
});

describe('face terminal self-service session messages (HX-T1)', () => {
  it('decodes a confirm, a cancel and a payment-code result as session events', () => {
    const confirm = decodeTerminalMessage('{"type":"session.confirm","sessionId":"S-1","seq":42}');
    expect(confirm).toEqual({ ok: true, message: { type: 'session.confirm', sessionId: 'S-1', seq: 42 } });
    expect(confirm.ok && isSessionEvent(confirm.message)).toBe(true);
    expect(decodeTerminalMessage('{"type":"session.cancel","sessionId":"S-1","reason":"walked-away"}')).toEqual({
      ok: true,
      message: { type: 'session.cancel', sessionId: 'S-1', reason: 'walked-away' },
    });
    expect(
      decodeTerminalMessage('{"type":"session.paycode.result","sessionId":"S-1","seq":43,"ok":true,"code":"134567890123456789"}'),
    ).toEqual({
      ok: true,
      message: { type: 'session.paycode.result', sessionId: 'S-1', seq: 43, ok: true, code: '134567890123456789' },
    });
    expect(
      decodeTerminalMessage('{"type":"session.paycode.result","sessionId":"S-1","seq":43,"ok":false,"reason":"timeout"}'),
    ).toMatchObject({
      ok: true,
      message: { ok: false, reason: 'timeout' },
    });
    const start = decodeTerminalMessage('{"type":"self-service","sessionId":"S-1"}');
    expect(start.ok && isSessionEvent(start.message)).toBe(false);
  });

  it.each([
    ['a confirm without its seq', '{"type":"session.confirm","sessionId":"S-1"}'],
    ['a confirm for a session id with a space', '{"type":"session.confirm","sessionId":"S 1","seq":1}'],
    ['a cancel with an unknown reason', '{"type":"session.cancel","sessionId":"S-1","reason":"bored"}'],
    ['a cancel without a session', '{"type":"session.cancel","reason":"cancelled"}'],
    ['a payment code with letters', '{"type":"session.paycode.result","sessionId":"S-1","seq":2,"ok":true,"code":"13456789012345678A"}'],
    ['a payment code too short', '{"type":"session.paycode.result","sessionId":"S-1","seq":2,"ok":true,"code":"1345678901"}'],
    ['a payment code result ok without a code', '{"type":"session.paycode.result","sessionId":"S-1","seq":2,"ok":true}'],
    ['a refused payment code without a reason', '{"type":"session.paycode.result","sessionId":"S-1","seq":2,"ok":false}'],
    ['a payment code as a number', '{"type":"session.paycode.result","sessionId":"S-1","seq":2,"ok":true,"code":134567890123456789}'],
  ])('refuses %s', (_, line) => {
    expect(decodeTerminalMessage(line)).toEqual({ ok: false, problem: '不符合协议' });
  });

  it('encodes a checked screen, a payment-code request and the end, with the seq given', () => {
    const show = sessionMessage(
      {
        type: 'session.show',
        sessionId: 'S-1',
        screen: {
          screen: 'split',
          title: '结算明细',
          lines: [{ label: '统筹基金支付', amountFen: 12345 }],
          totalFen: 20000,
          cashFen: 7655,
        },
      },
      9,
    );
    expect(show.ok && Buffer.from(encodeStationMessage(show.message)).toString()).toBe(
      '{"type":"session.show","seq":9,"sessionId":"S-1","screen":"split","title":"结算明细","lines":[{"label":"统筹基金支付","amountFen":12345}],"totalFen":20000,"cashFen":7655}\n',
    );
    // lines default to none
    expect(sessionMessage({ type: 'session.show', sessionId: 'S-1', screen: { screen: 'result', title: '完成' } }, 1)).toMatchObject({
      ok: true,
      message: { lines: [] },
    });
    expect(sessionMessage({ type: 'session.paycode', sessionId: 'S-1', amountFen: 7655, timeoutS: 60 }, 10)).toEqual({
      ok: true,
      message: { type: 'session.paycode', seq: 10, sessionId: 'S-1', amountFen: 7655, timeoutS: 60 },
    });
    expect(sessionMessage({ type: 'session.end', sessionId: 'S-1', reason: 'busy' }, 11)).toEqual({
      ok: true,
      message: { type: 'session.end', seq: 11, sessionId: 'S-1', reason: 'busy' },
    });
  });

  const screen = { screen: 'orders', title: '待缴费用' } as const;
  it.each([
    [
      'an amount in yuan (not integer fen)',
      { type: 'session.show', sessionId: 'S-1', screen: { ...screen, totalFen: 12.5 } },
      '屏幕内容不符合协议',
    ],
    [
      'a negative amount',
      { type: 'session.show', sessionId: 'S-1', screen: { ...screen, lines: [{ label: 'x', amountFen: -1 }] } },
      '屏幕内容不符合协议',
    ],
    ['an unknown screen', { type: 'session.show', sessionId: 'S-1', screen: { ...screen, screen: 'ads' } }, '屏幕内容不符合协议'],
    [
      'a title with a control character',
      { type: 'session.show', sessionId: 'S-1', screen: { ...screen, title: '待缴\u001b' } },
      '屏幕内容不符合协议',
    ],
    [
      '21 lines',
      {
        type: 'session.show',
        sessionId: 'S-1',
        screen: { ...screen, lines: Array.from({ length: 21 }, () => ({ label: 'x', amountFen: 1 })) },
      },
      '屏幕内容不符合协议',
    ],
    ['a bad session id', { type: 'session.end', sessionId: '', reason: 'completed' }, '会话号不符合协议'],
    ['a zero payment', { type: 'session.paycode', sessionId: 'S-1', amountFen: 0, timeoutS: 60 }, '付款金额无效'],
    ['a wait of 0 s', { type: 'session.paycode', sessionId: 'S-1', amountFen: 1, timeoutS: 0 }, '等待时间无效'],
    ['an unknown end reason', { type: 'session.end', sessionId: 'S-1', reason: 'bored' }, '结束原因无效'],
  ])('will not send %s', (_, command, problem) => {
    expect(sessionMessage(command as SessionCommand, 1)).toEqual({ ok: false, problem });
  });
});
