import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { startCentreWithFreshKeys, TRAINING_VOUCHERS, type CentreFixture } from '../../simulators/nhsa';
import { decodeVoucher, type VoucherRequest } from './voucher-client';

const voucher = TRAINING_VOUCHERS[1]!;
const request: VoucherRequest = {
  orgId: 'H35020300001',
  businessType: '01101',
  operatorId: 'sf001',
  operatorName: '收费员甲',
  officeId: '0301',
  officeName: '消化内科',
  qrCode: voucher.qr,
};

let fx: CentreFixture;
beforeEach(async () => {
  fx = await startCentreWithFreshKeys();
});
afterEach(async () => {
  await fx.centre.close();
});

describe('decodeVoucher (ec.query)', () => {
  it('posts the ec.query body and returns the identity with a fresh token', async () => {
    const bodies: unknown[] = [];
    const outcome = await decodeVoucher(fx.centre.voucherUrl, request, {
      timeoutMs: 2_000,
      fetch: async (url, init) => {
        expect(String(url)).toBe(`${fx.centre.voucherUrl}/ec/query`);
        bodies.push(JSON.parse(String(init?.body)));
        return fetch(url, init);
      },
    });
    expect(bodies).toEqual([
      {
        transType: 'ec.query',
        orgId: 'H35020300001',
        data: {
          orgId: 'H35020300001',
          businessType: '01101',
          operatorId: 'sf001',
          operatorName: '收费员甲',
          officeId: '0301',
          officeName: '消化内科',
          ecQrCode: voucher.qr,
        },
      },
    ]);
    expect(outcome).toMatchObject({ kind: 'ok', userName: voucher.name, idType: '01', insuOrg: voucher.region });
    if (outcome.kind !== 'ok') throw new Error('expected ok');
    expect(outcome.ecToken).toMatch(/^[0-9A-Z]{32}$/);
    expect(outcome.idNo).toMatch(/^\d{17}[\dX]$/);
  });

  it('an unknown QR is a rejection with the service code and message', async () => {
    const outcome = await decodeVoucher(
      fx.centre.voucherUrl,
      { ...request, qrCode: 'YBSIMQR00UNKNOWN00000000000000000000000000' },
      { timeoutMs: 2_000 },
    );
    expect(outcome).toEqual({ kind: 'rejected', code: '2001', message: '电子凭证二维码无效或已过期' });
  });

  it.each([
    [{ kind: 'http-500' }, /HTTP 500/],
    [{ kind: 'malformed-json' }, /not a voucher-service reply/],
    [{ kind: 'drop-request' }, /network/],
    [{ kind: 'delay', ms: 1_000 }, /no answer within 200 ms/],
  ] as const)('%o is unknown, and the detail never contains the QR', async (fault, detail) => {
    fx.centre.control.inject({ infno: 'ec.query', fault });
    const outcome = await decodeVoucher(fx.centre.voucherUrl, request, { timeoutMs: 200 });
    expect(outcome).toMatchObject({ kind: 'unknown', detail: expect.stringMatching(detail) as unknown });
    expect(JSON.stringify(outcome)).not.toContain(voucher.qr);
  });

  it('code 0 without the identity fields is unknown, not ok', async () => {
    const outcome = await decodeVoucher(fx.centre.voucherUrl, request, {
      timeoutMs: 2_000,
      fetch: () => Promise.resolve(new Response(JSON.stringify({ code: 0, message: '处理成功', data: '{"ecToken":""}' }))),
    });
    expect(outcome).toMatchObject({ kind: 'unknown' });
  });

  it('accepts data sent as an object instead of JSON text, and a string code', async () => {
    const identity = { ecToken: 'T'.repeat(32), idNo: '350203196804122036', idType: '01', userName: '陈建国', insuOrg: '350200' };
    const outcome = await decodeVoucher(fx.centre.voucherUrl, request, {
      timeoutMs: 2_000,
      fetch: () => Promise.resolve(new Response(JSON.stringify({ code: '0', message: '', data: identity }))),
    });
    expect(outcome).toEqual({ kind: 'ok', ...identity });
  });

  it('refuses an invalid request before sending', async () => {
    await expect(
      decodeVoucher(fx.centre.voucherUrl, { ...request, businessType: '09999' as '01101' }, { timeoutMs: 2_000 }),
    ).rejects.toBeInstanceOf(ZodError);
    await expect(decodeVoucher(fx.centre.voucherUrl, { ...request, qrCode: '' }, { timeoutMs: 2_000 })).rejects.toBeInstanceOf(ZodError);
    expect(fx.centre.control.requests()).toEqual([]);
  });
});
