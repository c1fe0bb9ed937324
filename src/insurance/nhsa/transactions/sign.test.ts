import smCrypto from 'sm-crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { startCentreWithFreshKeys, type CentreFixture } from '../../../simulators/nhsa';
import { NhsaClient } from '../client';
import { MemoryMsgIdAllocator } from '../msgid';
import type { CallContext } from '../outcome';
import { personInfo } from './person';
import { signIn, signOut } from './sign';

const { sm4: refSm4 } = smCrypto;

const CODE = 'H35020300001';
const NOW = new Date('2026-11-22T00:30:00Z'); // 08:30 Beijing
const ctx: CallContext = { operator: { opter: 'sf001', opterName: '收费员甲', opterType: '1' } };

let fx: CentreFixture;
let client: NhsaClient;
let wireInputs: unknown[];

beforeEach(async () => {
  fx = await startCentreWithFreshKeys({ now: () => NOW });
  wireInputs = [];
  const key = Buffer.from(fx.clientId, 'latin1');
  client = new NhsaClient(
    {
      baseUrl: fx.centre.url,
      urlStyle: 'per-infno',
      profile: 'sm',
      institution: { code: CODE, name: '厦门市模拟医院', admdvs: '350200' },
      centreRegion: fx.region,
      recerSysCode: 'SIM',
      timeoutMs: 2_000,
      clientId: fx.clientId,
      stationPrivateKeyHex: fx.station.privateKeyHex,
      centrePublicKeyHex: fx.centrePublicKeyHex,
    },
    {
      msgids: new MemoryMsgIdAllocator(CODE),
      now: () => NOW,
      fetch: async (url, init) => {
        const { input } = JSON.parse(String(init?.body)) as { input: string };
        const plain = refSm4.decrypt(Buffer.from(input, 'base64'), key, { output: 'array' }) as number[];
        wireInputs.push(JSON.parse(Buffer.from(plain).toString('utf8')));
        return fetch(url, init);
      },
    },
  );
});
afterEach(async () => {
  await fx.centre.close();
});

describe('9001 sign-in', () => {
  it('sends signIn{opter_no, mac, ip} and returns the typed sign_no', async () => {
    const outcome = await signIn(client, ctx, { opterNo: 'sf001', mac: '00-16-3E-00-00-01', ip: '10.1.2.3' });
    expect(wireInputs).toEqual([{ signIn: { opter_no: 'sf001', mac: '00-16-3E-00-00-01', ip: '10.1.2.3' } }]);
    expect(outcome).toMatchObject({ kind: 'ok', output: { signTime: '2026-11-22 08:30:00' } });
    if (outcome.kind !== 'ok') throw new Error('expected ok');
    expect(outcome.output.signNo).toMatch(/^\d{30}$/);
  });

  it('the sign_no opens business calls for that operator only', async () => {
    const outcome = await signIn(client, ctx, { opterNo: 'sf001', mac: '', ip: '10.1.2.3' });
    if (outcome.kind !== 'ok') throw new Error('expected ok');
    const byId = { certType: '02', certNo: '350206198509231027' } as const;
    expect((await personInfo(client, { ...ctx, signNo: outcome.output.signNo }, byId)).kind).toBe('ok');
    const colleague = { ...ctx, operator: { ...ctx.operator, opter: 'sf002' }, signNo: outcome.output.signNo };
    expect(await personInfo(client, colleague, byId)).toMatchObject({ kind: 'rejected', errMsg: '签到流水号无效' });
  });

  it('rejects invalid input with a ZodError and sends nothing', async () => {
    await expect(signIn(client, ctx, { opterNo: '', mac: '', ip: '10.1.2.3' })).rejects.toBeInstanceOf(ZodError);
    await expect(signIn(client, ctx, { opterNo: 'sf001', mac: '', ip: '' })).rejects.toBeInstanceOf(ZodError);
    expect(fx.centre.control.requests()).toEqual([]);
  });

  it('an answer without sign_no is unknown, not a sign-in', async () => {
    fx.centre.control.inject({ infno: '9001', fault: { kind: 'malformed-json' } });
    expect(await signIn(client, ctx, { opterNo: 'sf001', mac: '', ip: '10.1.2.3' })).toMatchObject({
      kind: 'unknown',
      reason: 'unparsable',
    });
  });
});

describe('9002 sign-out', () => {
  it('sends signOut{sign_no, opter_no}; afterwards the sign_no is refused', async () => {
    const signedIn = await signIn(client, ctx, { opterNo: 'sf001', mac: '', ip: '10.1.2.3' });
    if (signedIn.kind !== 'ok') throw new Error('expected ok');
    const { signNo } = signedIn.output;
    const outcome = await signOut(client, { ...ctx, signNo }, { signNo, opterNo: 'sf001' });
    expect(wireInputs[1]).toEqual({ signOut: { sign_no: signNo, opter_no: 'sf001' } });
    expect(outcome).toMatchObject({ kind: 'ok', output: { signTime: '2026-11-22 08:30:00' } });
    expect(await signOut(client, { ...ctx, signNo }, { signNo, opterNo: 'sf001' })).toMatchObject({
      kind: 'rejected',
      errMsg: '签到流水号无效',
    });
  });
});
