// The JSON leg shared by HIS, the payment platform and the message gateway, over real HTTP on 127.0.0.1: a
// redirect is answered as itself (every caller treats a non-200 as unknown) and never followed; an answer over the
// cap is a failure, not a body.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { postJson } from './http';

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

async function serve(handler: http.RequestListener): Promise<{ url: string; hits: () => number }> {
  let hits = 0;
  const server = http.createServer((req, res) => {
    hits++;
    handler(req, res);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits: () => hits };
}

describe('postJson', () => {
  it('does not follow a redirect: the target never sees the request', async () => {
    const target = await serve((_req, res) => res.writeHead(200).end('{"ok":true}'));
    const redirector = await serve((_req, res) => res.writeHead(307, { location: `${target.url}/pay` }).end());
    const reply = await postJson(fetch, `${redirector.url}/pay`, '{}', 2_000);
    expect(reply).toEqual({ kind: 'answered', status: 307, body: '' });
    expect(target.hits()).toBe(0);
  });

  it('an answer over the cap is a failure', async () => {
    const big = await serve((_req, res) => {
      res.writeHead(200);
      for (let i = 0; i < 20; i++) res.write('x'.repeat(1024));
      res.end();
    });
    expect(await postJson(fetch, big.url, '{}', 2_000, 8192)).toMatchObject({
      kind: 'failed',
      reason: 'network',
      detail: 'answer over 8192 bytes',
    });
    expect(await postJson(fetch, big.url, '{}', 2_000, 64 * 1024)).toMatchObject({ kind: 'answered', status: 200 });
  });
});
