import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WebSocketServer, type WebSocket as ServerSocket } from 'ws';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EVENT_NAMES, OPERATION_NAMES, subscriptionName, type StationEventMap } from '../../shared/api';
import { ok } from '../../shared/result';
import { CONNECTION_LOST_MESSAGE, createWsStationClient, type WsStationClient } from './ws-client';
import { parseCall, stationSocketUrl, type ReceivedCall, type ServerMessage } from '../../shared/wire';

const TOKEN = 'test-token';

/** A minimal host: checks the token at the upgrade and records the calls it receives. */
class FakeHost {
  readonly calls: ReceivedCall[] = [];
  accepting = true;
  private readonly wss = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    path: '/station',
    verifyClient: ({ req }: { req: IncomingMessage }) =>
      this.accepting && new URL(req.url ?? '', 'http://127.0.0.1').searchParams.get('token') === TOKEN,
  });

  constructor() {
    this.wss.on('connection', (socket) => {
      socket.on('message', (data) => {
        const call = parseCall(String(data));
        if (call) this.calls.push(call);
      });
    });
  }

  listening(): Promise<void> {
    return new Promise((resolve) => this.wss.once('listening', resolve));
  }

  get address(): string {
    return `127.0.0.1:${(this.wss.address() as AddressInfo).port}`;
  }

  get sockets(): ServerSocket[] {
    return [...this.wss.clients];
  }

  send(message: ServerMessage): void {
    for (const socket of this.sockets) socket.send(JSON.stringify(message));
  }

  async waitForCalls(count: number): Promise<ReceivedCall[]> {
    await vi.waitFor(() => expect(this.calls.length).toBeGreaterThanOrEqual(count));
    return this.calls.slice(0, count);
  }

  dropConnections(): void {
    for (const socket of this.sockets) socket.terminate();
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.wss.close(() => resolve()));
  }
}

const scan: StationEventMap['scan'] = {
  scanId: '4b1c2f9e-0d7e-4c55-9f39-1d9a4c7e2b10',
  deviceId: 'qr-1',
  kind: 'nhsa-ec',
  at: '2025-01-02T08:00:00.000Z',
};

describe('WebSocket StationApi client', () => {
  let host: FakeHost;
  let client: WsStationClient;

  beforeEach(async () => {
    host = new FakeHost();
    await host.listening();
    client = createWsStationClient(stationSocketUrl(host.address, TOKEN), { initialMs: 20, maxMs: 80 });
    await vi.waitFor(() => expect(client.link.current()).toEqual({ state: 'open', opens: 1 }));
  });

  afterEach(async () => {
    client.close();
    await host.close();
  });

  it('offers one function per operation and one subscription per event', () => {
    for (const op of OPERATION_NAMES) expect(client.api[op]).toBeTypeOf('function');
    for (const event of EVENT_NAMES) expect(client.api[subscriptionName(event)]).toBeTypeOf('function');
  });

  it('matches results to calls by id, whatever order they come back in', async () => {
    const info = client.api.stationInfo({});
    const devices = client.api.listDevices({});
    const [first, second] = await host.waitForCalls(2);
    expect(first).toEqual({ t: 'call', id: expect.any(Number), op: 'stationInfo', input: {} });
    expect(second).toMatchObject({ t: 'call', op: 'listDevices' });

    host.send({ t: 'result', id: second!.id, result: ok([]) });
    host.send({ t: 'result', id: first!.id, result: { ok: false, error: { code: 'FORBIDDEN', message: '无权' } } });

    await expect(devices).resolves.toEqual({ ok: true, value: [] });
    await expect(info).resolves.toEqual({ ok: false, error: { code: 'FORBIDDEN', message: '无权' } });
  });

  it('ignores malformed frames and reports unknown error codes as INTERNAL', async () => {
    const pending = client.api.currentOperator({});
    const [call] = await host.waitForCalls(1);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    for (const socket of host.sockets) socket.send('not json');
    host.send({
      t: 'result',
      id: call!.id,
      result: { ok: false, error: { code: 'FROM_THE_FUTURE', message: '新错误' } },
    } as unknown as Parameters<typeof host.send>[0]);
    await expect(pending).resolves.toEqual({ ok: false, error: { code: 'INTERNAL', message: '新错误' } });
    expect(warn).toHaveBeenCalledOnce();
    warn.mockRestore();
  });

  it('delivers events to subscribers until they unsubscribe', async () => {
    const kept = vi.fn();
    const dropped = vi.fn();
    client.api.onScan(kept);
    const unsubscribe = client.api.onScan(dropped);

    host.send({ t: 'event', event: 'scan', payload: scan });
    await vi.waitFor(() => expect(kept).toHaveBeenCalledTimes(1));
    expect(dropped).toHaveBeenCalledWith(scan);

    unsubscribe();
    host.send({ t: 'event', event: 'scan', payload: scan });
    await vi.waitFor(() => expect(kept).toHaveBeenCalledTimes(2));
    expect(dropped).toHaveBeenCalledTimes(1);
  });

  it('routes each event only to listeners of that event', async () => {
    const onScan = vi.fn();
    const onSessionEnded = vi.fn();
    client.api.onScan(onScan);
    client.api.onSessionEnded(onSessionEnded);
    host.send({ t: 'event', event: 'sessionEnded', payload: { reason: 'expired' } });
    await vi.waitFor(() => expect(onSessionEnded).toHaveBeenCalledWith({ reason: 'expired' }));
    expect(onScan).not.toHaveBeenCalled();
  });

  it('fails in-flight calls when the connection drops, without throwing', async () => {
    const inFlight = client.api.listAudit({ limit: 10 });
    await host.waitForCalls(1);
    host.dropConnections();
    await expect(inFlight).resolves.toEqual({ ok: false, error: { code: 'INTERNAL', message: CONNECTION_LOST_MESSAGE } });
  });

  it('shows reconnecting, holds new calls until the link is back, then sends them once', async () => {
    host.accepting = false;
    host.dropConnections();
    await vi.waitFor(() => expect(client.link.current()).toEqual({ state: 'reconnecting', opens: 1 }));

    const waiting = client.api.getConnectivity({});
    const settled = vi.fn();
    void waiting.then(settled);
    await new Promise((resolve) => setTimeout(resolve, 150)); // several refused reconnect attempts
    expect(settled).not.toHaveBeenCalled();
    expect(host.calls).toHaveLength(0);

    host.accepting = true;
    await vi.waitFor(() => expect(client.link.current()).toEqual({ state: 'open', opens: 2 }));
    const [call] = await host.waitForCalls(1);
    expect(call).toMatchObject({ op: 'getConnectivity' });
    const connectivity = { nhsa: 'online', nhsaDetail: '', signedInToday: true } as const;
    host.send({ t: 'result', id: call!.id, result: ok(connectivity) });
    await expect(waiting).resolves.toEqual({ ok: true, value: connectivity });
    expect(host.calls).toHaveLength(1);
  });

  it('fails pending calls and stops reconnecting when closed', async () => {
    const pending = client.api.stationInfo({});
    await host.waitForCalls(1);
    client.close();
    await expect(pending).resolves.toEqual({ ok: false, error: { code: 'INTERNAL', message: CONNECTION_LOST_MESSAGE } });
    await expect(client.api.stationInfo({})).resolves.toMatchObject({ ok: false });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(host.sockets).toHaveLength(0);
  });
});
