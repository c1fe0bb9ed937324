// The HTTP leg refuses what it cannot trust, over real HTTP on 127.0.0.1: a redirect is never followed (the
// centre behind it never sees the message) and an answer over the size cap is an unknown outcome.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCentreWithFreshKeys, type CentreFixture } from '../../simulators/nhsa';
import { NhsaClient } from './client';
import type { NhsaConfigInput } from './config';
import { MemoryMsgIdAllocator } from './msgid';
import type { CallContext } from './outcome';

const CODE = 'H35020300001';
const NOW = new Date('2026-11-22T02:15:30Z');
const ctx: CallContext = { operator: { opter: 'sf001', opterName: '收费员甲', opterType: '1' } };
const signInInput = { signIn: { opter_no: 'sf001', mac: '00-16-3E-00-00-01', ip: '10.1.2.3' } };

let fx: CentreFixture;
let server: http.Server | undefined;
beforeEach(async () => {
  fx = await startCentreWithFreshKeys({ now: () => NOW });
});
afterEach(async () => {
  await fx.centre.close();
  if (server) await new Promise((resolve) => server!.close(resolve));
  server = undefined;
});

/** A gateway stand-in on 127.0.0.1 that answers every request with `handler`. */
async function gateway(handler: http.RequestListener): Promise<string> {
  server = http.createServer(handler);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function clientAt(baseUrl: string, config: Partial<NhsaConfigInput> = {}) {
  const client = new NhsaClient(
    {
      baseUrl,
      urlStyle: 'per-infno',
      profile: 'sm',
      institution: { code: CODE, name: '厦门市模拟医院', admdvs: '350200' },
      centreRegion: fx.region,
      recerSysCode: 'SIM',
      timeoutMs: 2_000,
      clientId: fx.clientId,
      stationPrivateKeyHex: fx.station.privateKeyHex,
      centrePublicKeyHex: fx.centrePublicKeyHex,
      ...config,
    },
    { msgids: new MemoryMsgIdAllocator(CODE), now: () => NOW },
  );
  return { client };
}

describe('redirects', () => {
  for (const status of [301, 302, 307, 308]) {
    it(`a ${status} is an unknown outcome and is not followed to the centre`, async () => {
      const url = await gateway((req, res) => {
        res.writeHead(status, { location: `${fx.centre.url}${req.url ?? ''}` }).end();
      });
      const { client } = clientAt(url);
      const outcome = await client.call('9001', signInInput, ctx);
      expect(outcome).toMatchObject({ kind: 'unknown', reason: 'redirect' });
      expect(fx.centre.control.requests()).toHaveLength(0);
    });
  }
});

describe('the answer size cap', () => {
  it('an answer over the cap with its length declared is unknown', async () => {
    const url = await gateway((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ infcode: 0, pad: 'x'.repeat(10_000) }));
    });
    const { client } = clientAt(url, { maxAnswerBytes: 8192 });
    expect(await client.call('9001', signInInput, ctx)).toMatchObject({ kind: 'unknown', reason: 'too-large' });
  });

  it('a streamed answer (no length) is cut off at the cap and unknown', async () => {
    const url = await gateway((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"infcode":0,"pad":"');
      for (let i = 0; i < 64; i++) res.write('y'.repeat(1024));
      res.end('"}');
    });
    const { client } = clientAt(url, { maxAnswerBytes: 8192 });
    expect(await client.call('9001', signInInput, ctx)).toMatchObject({ kind: 'unknown', reason: 'too-large' });
  });

  it('defaults to 1 MB: a 1.5 MB answer is unknown, a real one under it is read', async () => {
    const url = await gateway((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ infcode: 0, pad: 'z'.repeat(1_500_000) }));
    });
    expect(await clientAt(url).client.call('9001', signInInput, ctx)).toMatchObject({ kind: 'unknown', reason: 'too-large' });
    expect(await clientAt(fx.centre.url).client.call('9001', signInInput, ctx)).toMatchObject({ kind: 'ok' });
  });

  it('a file download over its cap is unknown and the sink stops receiving', async () => {
    const url = await gateway((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      for (let i = 0; i < 32; i++) res.write(Buffer.alloc(1024, 7));
      res.end();
    });
    const { client } = clientAt(url, { maxFileBytes: 8192 });
    let received = 0;
    const outcome = await client.callForFile(
      '9102',
      { fsDownloadIn: { file_qury_no: 'F1', filename: 'a.zip', fixmedins_code: CODE } },
      ctx,
      (chunk) => {
        received += chunk.length;
      },
    );
    expect(outcome).toMatchObject({ kind: 'unknown', reason: 'too-large' });
    expect(received).toBeLessThanOrEqual(8192);
  });
});
