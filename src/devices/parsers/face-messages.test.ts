import { describe, expect, it } from 'vitest';
import { decodeTerminalMessage, encodeStationMessage, identityOf } from './face-messages';

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
    expect(verified.ok && verified.message.type === 'verify.result' && verified.message.ok && identityOf(verified.message)).toEqual(IDENTITY);
    expect(decodeTerminalMessage('{"type":"verify.result","seq":7,"ok":false,"reason":"cancelled"}')).toMatchObject({ ok: true });
    expect(decodeTerminalMessage('{"type":"pong","seq":1,"model":"T1","firmware":"1.0","serial":"S1"}')).toMatchObject({ ok: true });
    expect(decodeTerminalMessage('{"type":"self-service","sessionId":"S-1"}')).toEqual({
      ok: true,
      message: { type: 'self-service', sessionId: 'S-1' },
    });
  });

  it.each([
    ['not JSON', '{"type":', '不是 JSON'],
    ['an identity without its token', JSON.stringify({ type: 'verify.result', seq: 7, ok: true, ...IDENTITY, ecToken: undefined }), '不符合协议'],
    ['a name with a control character', JSON.stringify({ type: 'verify.result', seq: 7, ok: true, ...IDENTITY, userName: '陈\u0000' }), '不符合协议'],
    ['an unknown refusal', '{"type":"verify.result","seq":7,"ok":false,"reason":"maybe"}', '不符合协议'],
    ['an unknown type', '{"type":"hello","seq":1}', '不符合协议'],
    ['a sequence number of 0', JSON.stringify({ type: 'verify.result', seq: 0, ok: true, ...IDENTITY }), '不符合协议'],
  ])('refuses %s', (_, line, problem) => {
    expect(decodeTerminalMessage(line)).toEqual({ ok: false, problem });
  });
});
