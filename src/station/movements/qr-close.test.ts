import { describe, expect, it } from 'vitest';
import type { PayOutcome, ReverseResult } from '../../insurance/pay-channel';
import { closeQrAtPlatform } from './qr-close';

type Answer<T> = PayOutcome<T>;
const ok = <T>(value: T): Answer<T> => ({ kind: 'ok', value });
const refused = (code: string, message = code): Answer<never> => ({ kind: 'rejected', code, message });
const lost: Answer<never> = { kind: 'unknown', reason: 'timeout', detail: 'no answer' };

/** The platform answering the close (and the reverse) as scripted; what was called and whether the outbox was told. */
function platform(close: Answer<{ outTradeNo: string }>, reverse: Answer<ReverseResult> = ok({ outTradeNo: 'Q1', action: 'closed' })) {
  const calls: string[] = [];
  const told: string[] = [];
  const d = {
    pay: {
      close: (n: string) => (calls.push(`close ${n}`), Promise.resolve(close)),
      reverse: (n: string) => (calls.push(`reverse ${n}`), Promise.resolve(reverse)),
    },
    outbox: { resolveOrderNow: (orderId: string) => void told.push(orderId) },
  };
  return { d, calls, told };
}

describe('a QR closed by its operator (the window, the bedside)', () => {
  it('closed: the outbox asks at once; too early for a close: the platform’s reverse', async () => {
    const closed = platform(ok({ outTradeNo: 'Q1' }));
    await closeQrAtPlatform(closed.d, 'stay-1', 'Q1');
    expect(closed.calls).toEqual(['close Q1']);
    expect(closed.told).toEqual(['stay-1']);

    const early = platform(refused('CLOSE_TOO_EARLY'));
    await closeQrAtPlatform(early.d, 'stay-1', 'Q1');
    expect(early.calls).toEqual(['close Q1', 'reverse Q1']);
    expect(early.told).toEqual(['stay-1']);
  });

  it('paid just before (ORDERPAID): never reversed — the outbox’s next query finds it paid', async () => {
    const paid = platform(refused('ORDERPAID'));
    await closeQrAtPlatform(paid.d, 'stay-1', 'Q1');
    expect(paid.calls).toEqual(['close Q1']);
    expect(paid.told).toEqual(['stay-1']);
  });

  it('no answer or a refusal: the operator is told, the outbox is not hurried', async () => {
    const cases = [
      [platform(lost), 'CENTRE_UNREACHABLE'],
      [platform(refused('CLOSE_TOO_EARLY'), lost), 'CENTRE_UNREACHABLE'],
      [platform(refused('CLOSE_TOO_EARLY'), refused('REVERSE_TOO_EARLY', '下单 15 秒后才可撤销')), 'CONFLICT'],
      [platform(refused('SYSTEMERROR')), 'CENTRE_REJECTED'],
    ] as const;
    for (const [p, code] of cases) {
      await expect(closeQrAtPlatform(p.d, 'stay-1', 'Q1')).rejects.toMatchObject({ code });
      expect(p.told).toEqual([]);
    }
  });
});
