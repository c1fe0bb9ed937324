/**
 * Fuzz: 10,000 malformed WebSocket messages to the loopback host of a real training station (SQLite file, centre
 * simulator on 127.0.0.1), seeded (test/harness/junk.ts). 9,500 are call frames with junk in them — real operation
 * names with junk input, junk operation names, junk ids of the right type — each answered once with a well-formed
 * result on the same socket; 500 are frames that are not calls at all (broken JSON, binary, wrong shapes, over the
 * frame limit), each on its own connection, which the host closes. Then the station still signs a cashier in.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { connect } from '../../test/harness/ws-test-client';
import { Junk, seeded } from '../../test/harness/junk';
import { createStationFromConfig, type ComposedStation } from '../app/compose';
import { OPERATION_NAMES } from '../shared/api';
import { TRAINING_PASSWORD } from '../station/auth/training-operators';
import { startLoopbackHost, type LoopbackHost } from './loopback-host';

const CALL_FRAMES = 9_500;
const BROKEN_FRAMES = 500;

let dataDir: string;
let station: ComposedStation;
let host: LoopbackHost;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ws-fuzz-'));
  station = await createStationFromConfig({ dataDir, training: true, shell: 'browser', kdfCost: { N: 2 ** 14, r: 8, p: 1 } });
  host = await startLoopbackHost({ core: station.core, rendererDir: path.join(dataDir, 'no-renderer') });
});
afterAll(async () => {
  await host.close();
  await station.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const j = new Junk(seeded(8964));

/** Junk input for an operation, never the one shape that would run a password hash (login with two strings). */
function junkInput(op: string): unknown {
  const input = j.value(3);
  if (op === 'login' && input !== null && typeof input === 'object') return { ...input, password: 0 };
  return input;
}

describe('the loopback host under malformed messages', () => {
  it(`${CALL_FRAMES} call frames with junk inside: each answered once, well-formed, on the same socket`, async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/station?token=${host.token}`, { headers: { origin: host.origin } });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const answered = new Map<number, number>();
    let closed = false;
    ws.on('close', () => (closed = true));
    const waiting = new Map<number, () => void>();
    ws.on('message', (data) => {
      const msg = JSON.parse(data.toString()) as { t: string; id?: number; result?: { ok: unknown } };
      if (msg.t !== 'result' || msg.id === undefined) return;
      expect(typeof msg.result?.ok).toBe('boolean');
      answered.set(msg.id, (answered.get(msg.id) ?? 0) + 1);
      waiting.get(msg.id)?.();
    });
    // In batches of 100 in flight: fast, and the answers still pair with their calls by id.
    for (let start = 0; start < CALL_FRAMES; start += 100) {
      const batch = Array.from({ length: Math.min(100, CALL_FRAMES - start) }, (_, k) => start + k + 1);
      await Promise.all(
        batch.map(
          (id) =>
            new Promise<void>((resolve) => {
              waiting.set(id, resolve);
              const op = j.chance(0.7)
                ? j.pick(OPERATION_NAMES)
                : j.pick([j.text().slice(0, 40), '__proto__', 'constructor', 'toString', '']);
              const frame: Record<string, unknown> = { t: 'call', id, op, input: junkInput(op) };
              if (j.chance(0.1)) frame[j.text().slice(0, 10) || 'extra'] = j.value(); // extra fields are ignored
              ws.send(JSON.stringify(frame));
            }),
        ),
      );
    }
    expect(closed).toBe(false);
    expect(answered.size).toBe(CALL_FRAMES);
    expect([...answered.values()].every((n) => n === 1)).toBe(true);
    ws.close();
  }, 60_000);

  it(`${BROKEN_FRAMES} frames that are not calls: the host closes each connection (1008, or 1009 over the limit)`, async () => {
    const codes = new Map<number, number>();
    for (let i = 0; i < BROKEN_FRAMES; i++) {
      const ws = new WebSocket(`ws://127.0.0.1:${host.port}/station?token=${host.token}`, { headers: { origin: host.origin } });
      await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
      const code = new Promise<number>((resolve) => ws.once('close', (c) => resolve(c)));
      ws.on('error', () => undefined); // the client side sees the close as an error when the frame was too big
      switch (i % 6) {
        case 0:
          ws.send(JSON.stringify({ t: 'call', id: j.pick([-1, 1.5, '7', null]), op: 'login', input: {} }));
          break;
        case 1:
          ws.send(Buffer.from(Array.from({ length: 1 + j.int(500) }, () => j.int(256))), { binary: true });
          break;
        case 2:
          ws.send(j.damage({ t: 'call', id: 1, op: 'login', input: {} }).body.toString().slice(0, 60_000) + '\u0000{');
          break;
        case 3:
          ws.send(JSON.stringify(j.pick([null, [], 42, 'call', { t: 'result', id: 1 }, { t: 'call', op: 'login' }])));
          break;
        case 4:
          ws.send(JSON.stringify({ t: 'call', id: 1, op: j.pick([42, null, {}, []]), input: {} }));
          break;
        default:
          ws.send('x'.repeat(64 * 1024 + 1 + j.int(1000)));
      }
      const c = await code;
      codes.set(c, (codes.get(c) ?? 0) + 1);
    }
    expect([...codes.keys()].sort()).toEqual([1008, 1009]);
    expect([...codes.values()].reduce((a, b) => a + b)).toBe(BROKEN_FRAMES);
  }, 60_000);

  it('afterwards the station still answers a real call', async () => {
    const client = await connect(host);
    expect(await client.call('login', { login: 'sf001', password: TRAINING_PASSWORD })).toMatchObject({ ok: true });
    client.close();
  });
});
