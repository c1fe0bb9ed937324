/**
 * The utility process's entry with the real core entry (a whole training station: simulators, SQLite, keys)
 * over a real port pair: what the Electron window gets through the relay, short of forking the process
 * (that needs the Electron binary). The port handshake is as Electron delivers it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TRAINING_PASSWORD } from '../station/auth/training-operators';
import type { StationInfo } from '../shared/domain';
import { startStationCore } from './core-entry';
import { runCoreProcess, type ParentPortLike } from './core-process';
import { RelayClient } from './relay/core-client';
import { dataPort, type MessageEventPort } from './relay/protocol';

let dataDir: string;
let channel: MessageChannel;
let client: RelayClient;
const exit = vi.fn();

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'station-core-process-'));
  channel = new MessageChannel();
  let deliver: (e: { data: unknown; ports: readonly MessageEventPort[] }) => void = () => {};
  const parent: ParentPortLike = { on: (_event, listener) => (deliver = listener) };
  runCoreProcess(parent, {
    // The real core entry; only the test's cheaper KDF and shorter timeouts on top.
    startCore: (o) => startStationCore({ ...o, kdfCost: { N: 2 ** 14, r: 8, p: 1 }, nhsaTimeoutMs: 2000 }),
    exit,
  });
  const corePort = channel.port2;
  const eventPort = {
    postMessage: (m: unknown) => corePort.postMessage(m),
    on: (event: string, listener: (e?: { data: unknown }) => void) =>
      event === 'message' ? corePort.on('message', (data) => listener({ data })) : corePort.on('close', () => listener()),
    start: () => corePort.start(),
    close: () => corePort.close(),
  } as MessageEventPort;
  client = new RelayClient();
  const ready = client.attach(dataPort(channel.port1));
  deliver({ data: { t: 'start', dataDir, training: false }, ports: [eventPort] });
  // No station.config.json in a fresh data dir: the core entry's rule makes it a training station.
  expect(await ready).toMatchObject({ training: true, stationId: 'training-01' });
});

afterAll(async () => {
  if (client) await client.shutdown(10_000);
  channel?.port1.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('the core in its utility-process entry, over the relay', () => {
  it('answers calls and keeps a signed-in session per window session', async () => {
    const session = client.openSession('ipc');
    const info = await client.dispatch(session, 'stationInfo', {});
    expect(info).toMatchObject({ ok: true, value: { shell: 'electron', trainingMode: true } satisfies Partial<StationInfo> });
    expect(await client.dispatch(session, 'listAudit', { limit: 1 })).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    expect(await client.dispatch(session, 'login', { login: 'sf001', password: TRAINING_PASSWORD })).toMatchObject({ ok: true });
    expect(await client.dispatch(session, 'currentOperator', {})).toMatchObject({ ok: true, value: { id: 'sf001', role: 'cashier' } });
    // The Dispatcher validates the untrusted op and input exactly as for the loopback host.
    expect(await client.dispatch(session, 'noSuchOperation', {})).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    const other = client.openSession('ipc');
    expect(await client.dispatch(other, 'currentOperator', {})).toMatchObject({ ok: true, value: null });
  });
});
