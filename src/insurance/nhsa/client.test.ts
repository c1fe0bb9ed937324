// NhsaClient against the simulated centre over real HTTP on 127.0.0.1. What the client put on the wire is
// checked with `sm-crypto`, an implementation independent of both the client's and the centre's.
import smCrypto from 'sm-crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCentreWithFreshKeys, type CentreFixture } from '../../simulators/nhsa';
import { NhsaClient, type NhsaClientDeps } from './client';
import type { NhsaConfigInput } from './config';
import { MemoryMsgIdAllocator } from './msgid';
import type { CallContext } from './outcome';
import { personInfo } from './transactions/person';
import { signIn } from './transactions/sign';

const { sm2: refSm2, sm4: refSm4 } = smCrypto;

const CODE = 'H35020300001';
const NOW = new Date('2026-11-22T02:15:30Z'); // 10:15:30 Beijing
const ctx: CallContext = { operator: { opter: 'sf001', opterName: '收费员甲', opterType: '1' } };
const signInInput = { signIn: { opter_no: 'sf001', mac: '00-16-3E-00-00-01', ip: '10.1.2.3' } };

interface Sent {
  url: string;
  body: Record<string, unknown>;
}

function clientFor(fx: CentreFixture, config: Partial<NhsaConfigInput> = {}, deps: Partial<NhsaClientDeps> = {}) {
  const sent: Sent[] = [];
  const recordingFetch: typeof fetch = async (url, init) => {
    sent.push({ url: String(url), body: JSON.parse(String(init?.body)) as Record<string, unknown> });
    return fetch(url, init);
  };
  const client = new NhsaClient(
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
      devNo: 'WIN-CASHIER-03',
      devSafeInfo: 'mac=00-16-3E-00-00-01',
      ...config,
    },
    { msgids: new MemoryMsgIdAllocator(CODE), now: () => NOW, fetch: recordingFetch, ...deps },
  );
  return { client, sent };
}

/** Rewrites the centre's answer before the client sees it: the "man in the middle" for classes the centre never produces. */
function rewritingFetch(rewrite: (body: Record<string, unknown>) => unknown): typeof fetch {
  return async (url, init) => {
    const response = await fetch(url, init);
    const body = JSON.parse(await response.text()) as Record<string, unknown>;
    return new Response(JSON.stringify(rewrite(body)), { status: response.status, headers: response.headers });
  };
}

let fx: CentreFixture;
beforeEach(async () => {
  fx = await startCentreWithFreshKeys({ now: () => NOW });
});
afterEach(async () => {
  await fx.centre.close();
});

describe('the request on the wire (sm profile)', () => {
  it('carries every envelope field', async () => {
    const { client, sent } = clientFor(fx);
    const outcome = await client.call('9001', signInInput, { ...ctx, insuplcAdmdvs: '440300', signNo: 'SIGN' });
    expect(outcome.kind).toBe('ok'); // 9001 is the one call that needs no valid sign_no
    expect(sent).toHaveLength(1);
    const { url, body } = sent[0]!;
    expect(url).toBe(`${fx.centre.url}/9001`);
    expect(Object.keys(body).sort()).toEqual(
      [
        'infno',
        'msgid',
        'mdtrtarea_admvs',
        'insuplc_admdvs',
        'recer_sys_code',
        'dev_no',
        'dev_safe_info',
        'cainfo',
        'signtype',
        'infver',
        'opter_type',
        'opter',
        'opter_name',
        'inf_time',
        'fixmedins_code',
        'fixmedins_name',
        'sign_no',
        'input',
        'enc_type',
      ].sort(),
    );
    expect(body).toMatchObject({
      infno: '9001',
      msgid: 'H35020300001202611221015300001',
      mdtrtarea_admvs: '350200',
      insuplc_admdvs: '440300',
      recer_sys_code: 'SIM',
      dev_no: 'WIN-CASHIER-03',
      dev_safe_info: 'mac=00-16-3E-00-00-01',
      signtype: 'SM2',
      infver: 'V1.0',
      opter_type: '1',
      opter: 'sf001',
      opter_name: '收费员甲',
      inf_time: '2026-11-22 10:15:30',
      fixmedins_code: CODE,
      fixmedins_name: '厦门市模拟医院',
      sign_no: 'SIGN',
      enc_type: 'SM4',
    });
  });

  it('encrypts the input under the client id and signs its JSON text — checked with sm-crypto', async () => {
    const { client, sent } = clientFor(fx);
    const input = { data: { psn_name: '周𠮷安', note: 'x'.repeat(100) } };
    await client.call('1101', input, ctx);
    const body = sent[0]!.body;
    const plain = Buffer.from(
      refSm4.decrypt(Buffer.from(String(body.input), 'base64'), Buffer.from(fx.clientId, 'latin1'), { output: 'array' }) as number[],
    ).toString('utf8');
    expect(plain).toBe(JSON.stringify(input));
    const signatureHex = Buffer.from(String(body.cainfo), 'base64').toString('hex');
    expect(signatureHex).toHaveLength(128);
    expect(refSm2.doVerifySignature(Buffer.from(plain, 'utf8'), signatureHex, fx.station.publicKeyHex, { hash: true, der: false })).toBe(
      true,
    );
    expect(
      refSm2.doVerifySignature(Buffer.from(`${plain} `, 'utf8'), signatureHex, fx.station.publicKeyHex, { hash: true, der: false }),
    ).toBe(false);
  });

  it('posts to the base URL itself in the single-URL style', async () => {
    const { client, sent } = clientFor(fx, { urlStyle: 'single' });
    expect((await client.call('9001', signInInput, ctx)).kind).toBe('ok');
    expect(sent[0]!.url).toBe(fx.centre.url);
  });

  it('announces the msgid before sending, and sends nothing if the announcement fails', async () => {
    const announced: string[] = [];
    const { client, sent } = clientFor(fx, {}, { onSend: (msgid, infno) => announced.push(`${infno}:${msgid}:${sent.length}`) });
    const outcome = await client.call('9001', signInInput, ctx);
    expect(announced).toEqual([`9001:${outcome.msgid}:0`]);

    const failing = clientFor(
      fx,
      {},
      {
        onSend: () => {
          throw new Error('disk full');
        },
      },
    );
    await expect(failing.client.call('9001', signInInput, ctx)).rejects.toThrow('disk full');
    expect(failing.sent).toHaveLength(0);
    expect(fx.centre.control.requests()).toHaveLength(1);
  });

  it('refuses a malformed infno or an unserialisable input before allocating anything', async () => {
    const { client, sent } = clientFor(fx);
    await expect(client.call('91', {}, ctx)).rejects.toThrow(/transaction code/);
    await expect(client.call('9001', undefined, ctx)).rejects.toThrow(/serialisable/);
    expect(sent).toHaveLength(0);
  });
});

describe('outcome classification', () => {
  it('ok: infcode 0, verified, with the centre ids', async () => {
    const { client } = clientFor(fx);
    const outcome = await client.call('9001', signInInput, ctx);
    expect(outcome).toMatchObject({ kind: 'ok', msgid: 'H35020300001202611221015300001', warnMsg: '' });
    if (outcome.kind !== 'ok') throw new Error('expected ok');
    expect(outcome.infRefmsgid).toMatch(/^350200\d{24}$/);
    expect(outcome.output).toMatchObject({ signinoutb: { sign_no: expect.stringMatching(/^\d{20}\d{10}$/) as unknown } });
  });

  it('rejected: the centre refused (signed answer, infcode -1)', async () => {
    const { client } = clientFor(fx);
    const outcome = await client.call('1101', { data: {} }, ctx);
    expect(outcome).toMatchObject({ kind: 'rejected', infcode: -1, errMsg: '签到流水号无效' });
  });

  it('rejected: an injected business error', async () => {
    fx.centre.control.inject({ infno: '9001', fault: { kind: 'business-error', errMsg: '中心业务繁忙' } });
    const { client } = clientFor(fx);
    expect(await client.call('9001', signInInput, ctx)).toMatchObject({ kind: 'rejected', infcode: -1, errMsg: '中心业务繁忙' });
  });

  for (const errMsg of ['报文ID重复', '发送方报文ID已存在', 'msgid重复，请勿重复提交', '重复交易']) {
    it(`unknown/duplicate-msgid: a retransmission refused as a duplicate ("${errMsg}") — the first one may have acted`, async () => {
      fx.centre.control.inject({ infno: '9001', fault: { kind: 'business-error', errMsg } });
      const { client } = clientFor(fx);
      expect(await client.call('9001', signInInput, ctx)).toMatchObject({ kind: 'unknown', reason: 'duplicate-msgid' });
    });
  }

  it('unknown/timeout: the centre answers too late (it did process the request)', async () => {
    fx.centre.control.inject({ infno: '9001', fault: { kind: 'delay', ms: 1_000 } });
    const { client } = clientFor(fx, { timeoutMs: 200 });
    const outcome = await client.call('9001', signInInput, ctx);
    expect(outcome).toMatchObject({ kind: 'unknown', reason: 'timeout' });
    expect(fx.centre.control.messages().map((m) => m.msgid)).toEqual([outcome.msgid]);
  });

  it.each(['drop-request', 'drop-response'] as const)('unknown/network: %s', async (kind) => {
    fx.centre.control.inject({ infno: '9001', fault: { kind } });
    const { client } = clientFor(fx);
    expect(await client.call('9001', signInInput, ctx)).toMatchObject({ kind: 'unknown', reason: 'network' });
  });

  it('unknown/network: nobody listening', async () => {
    const url = fx.centre.url;
    await fx.centre.close();
    const { client } = clientFor(fx, { baseUrl: url });
    expect(await client.call('9001', signInInput, ctx)).toMatchObject({ kind: 'unknown', reason: 'network' });
    fx = await startCentreWithFreshKeys({ now: () => NOW }); // for afterEach
  });

  it('unknown/http-status: HTTP 500 from the gateway', async () => {
    fx.centre.control.inject({ infno: '9001', fault: { kind: 'http-500' } });
    const { client } = clientFor(fx);
    expect(await client.call('9001', signInInput, ctx)).toMatchObject({ kind: 'unknown', reason: 'http-status', detail: 'HTTP 500' });
  });

  it('unknown/unparsable: a truncated body', async () => {
    fx.centre.control.inject({ infno: '9001', fault: { kind: 'malformed-json' } });
    const { client } = clientFor(fx);
    expect(await client.call('9001', signInInput, ctx)).toMatchObject({ kind: 'unknown', reason: 'unparsable' });
  });

  it('unknown/bad-signature: the centre signature does not verify', async () => {
    fx.centre.control.inject({ infno: '9001', fault: { kind: 'bad-signature' } });
    const { client } = clientFor(fx);
    expect(await client.call('9001', signInInput, ctx)).toMatchObject({ kind: 'unknown', reason: 'bad-signature' });
  });

  it('unknown/bad-signature: a rejection whose signature does not verify is not a rejection', async () => {
    fx.centre.control.inject({ infno: '1101', fault: { kind: 'bad-signature' } });
    const { client } = clientFor(fx);
    expect(await client.call('1101', { data: {} }, ctx)).toMatchObject({ kind: 'unknown', reason: 'bad-signature' });
  });

  it('unknown/bad-signature: signed with another centre key, or cainfo missing', async () => {
    const other = await startCentreWithFreshKeys({ now: () => NOW });
    try {
      const { client } = clientFor(fx, { centrePublicKeyHex: other.centrePublicKeyHex });
      expect(await client.call('9001', signInInput, ctx)).toMatchObject({ kind: 'unknown', reason: 'bad-signature' });
    } finally {
      await other.centre.close();
    }
    const { client } = clientFor(fx, {}, { fetch: rewritingFetch((body) => ({ ...body, cainfo: '' })) });
    expect(await client.call('9001', signInInput, ctx)).toMatchObject({ kind: 'unknown', reason: 'bad-signature' });
  });

  it('unknown/mismatch: inf_refmsgid from another region', async () => {
    fx.centre.control.inject({ infno: '9001', fault: { kind: 'wrong-refmsgid' } });
    const { client } = clientFor(fx);
    expect(await client.call('9001', signInInput, ctx)).toMatchObject({ kind: 'unknown', reason: 'mismatch' });
  });

  it('unknown/mismatch: empty or short inf_refmsgid', async () => {
    for (const id of ['', '35020020261122']) {
      const { client } = clientFor(fx, {}, { fetch: rewritingFetch((body) => ({ ...body, inf_refmsgid: id })) });
      expect(await client.call('9001', signInInput, ctx)).toMatchObject({ kind: 'unknown', reason: 'mismatch' });
    }
  });

  it('unknown/decrypt-failed: output that is not our ciphertext', async () => {
    for (const output of ['AAAAAAAAAAAAAAAAAAAAAA==', 'not base64!', { signinoutb: {} }]) {
      const { client } = clientFor(fx, {}, { fetch: rewritingFetch((body) => ({ ...body, output })) });
      expect(await client.call('9001', signInInput, ctx)).toMatchObject({ kind: 'unknown', reason: 'decrypt-failed' });
    }
  });

  it('unknown/unparsable: JSON that is not an envelope', async () => {
    const { client } = clientFor(fx, {}, { fetch: rewritingFetch(() => ({ code: 0, message: 'ok' })) });
    expect(await client.call('9001', signInInput, ctx)).toMatchObject({ kind: 'unknown', reason: 'unparsable' });
  });
});

describe('plain profile', () => {
  let plain: CentreFixture;
  beforeEach(async () => {
    plain = await startCentreWithFreshKeys({ profile: 'plain', now: () => NOW });
  });
  afterEach(async () => {
    await plain.centre.close();
  });

  it('sends the input object with empty cainfo / signtype and reads the output object', async () => {
    const { client, sent } = clientFor(plain, { profile: 'plain' });
    const outcome = await client.call('9001', signInInput, ctx);
    expect(sent[0]!.body).toMatchObject({ input: signInInput, cainfo: '', signtype: '', enc_type: '' });
    expect(outcome).toMatchObject({ kind: 'ok', output: { signinoutb: { sign_time: '2026-11-22 10:15:30' } } });
  });

  it('accepts infcode as the string "0" and "-1"', async () => {
    const ok = clientFor(plain, { profile: 'plain' }, { fetch: rewritingFetch((body) => ({ ...body, infcode: String(body.infcode) })) });
    expect((await ok.client.call('9001', signInInput, ctx)).kind).toBe('ok');
    expect(await ok.client.call('1101', { data: {} }, ctx)).toMatchObject({ kind: 'rejected', infcode: -1 });
  });

  it('unknown/schema: infcode 0 with an output the transaction does not return', async () => {
    const noSignNo = clientFor(
      plain,
      { profile: 'plain' },
      { fetch: rewritingFetch((body) => ({ ...body, output: { signinoutb: { sign_time: 'x' } } })) },
    );
    const outcome = await signIn(noSignNo.client, ctx, { opterNo: 'sf001', mac: '', ip: '10.1.2.3' });
    expect(outcome).toMatchObject({ kind: 'unknown', reason: 'schema', detail: expect.stringContaining('signinoutb.sign_no') as unknown });
  });

  it('unknown/schema: a balance with three decimals is not silently rounded', async () => {
    // One allocator for both clients: the centre refuses a repeated msgid.
    const msgids = new MemoryMsgIdAllocator(CODE);
    const signedIn = await signIn(clientFor(plain, { profile: 'plain' }, { msgids }).client, ctx, {
      opterNo: 'sf001',
      mac: '',
      ip: '10.1.2.3',
    });
    if (signedIn.kind !== 'ok') throw new Error('sign-in failed');
    const tampered = clientFor(
      plain,
      { profile: 'plain' },
      {
        msgids,
        fetch: rewritingFetch((body) => {
          const output = body.output as { insuinfo: { balc: unknown }[] };
          output.insuinfo[0]!.balc = '3256.789';
          return body;
        }),
      },
    );
    const outcome = await personInfo(
      tampered.client,
      { ...ctx, signNo: signedIn.output.signNo },
      { certType: '02', certNo: '350203196804122036' },
    );
    expect(outcome).toMatchObject({ kind: 'unknown', reason: 'schema', detail: expect.stringContaining('insuinfo.0.balc') as unknown });
    expect(JSON.stringify(outcome)).not.toContain('3256.789');
  });
});

describe('file answers (callForFile)', () => {
  it('needs a transport that downloads', async () => {
    const { client } = clientFor(
      fx,
      {},
      { transport: { post: () => Promise.resolve({ kind: 'failed', reason: 'network', detail: 'x' }) } },
    );
    await expect(client.callForFile('9102', {}, ctx, () => undefined)).rejects.toThrow(/does not download/);
  });

  it('a JSON success instead of a file is unknown (schema), a JSON refusal is rejected', async () => {
    const plain = await startCentreWithFreshKeys({ profile: 'plain', now: () => NOW });
    try {
      const msgids = new MemoryMsgIdAllocator(CODE);
      const { client } = clientFor(plain, { profile: 'plain' }, { msgids });
      const signedIn = await signIn(client, ctx, { opterNo: 'sf001', mac: '', ip: '10.1.2.3' });
      if (signedIn.kind !== 'ok') throw new Error('sign-in failed');
      const signed = { ...ctx, signNo: signedIn.output.signNo };
      const chunks: Uint8Array[] = [];
      const refused = await client.callForFile(
        '9102',
        { fsDownloadIn: { file_qury_no: 'X', filename: 'x.zip', fixmedins_code: CODE } },
        signed,
        (c) => {
          chunks.push(c);
        },
      );
      expect(refused).toMatchObject({ kind: 'rejected', errMsg: '文件不存在或已过期' });
      // A centre that answers a download with an ordinary success envelope has not delivered the file.
      const jsonInstead = clientFor(
        plain,
        { profile: 'plain' },
        {
          msgids,
          fetch: async (url, init) => {
            const answer = await fetch(String(url).replace(/9102$/, '9001'), {
              ...init,
              body: String(init?.body).replace('"infno":"9102"', '"infno":"9001"'),
            });
            return new Response(await answer.text(), { status: 200, headers: { 'content-type': 'application/json' } });
          },
        },
      );
      expect(await jsonInstead.client.callForFile('9102', signInInput, signed, () => undefined)).toMatchObject({
        kind: 'unknown',
        reason: 'schema',
      });
      expect(chunks).toEqual([]);
    } finally {
      await plain.centre.close();
    }
  });
});
