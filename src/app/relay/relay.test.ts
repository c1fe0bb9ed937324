/**
 * The relay between the Electron main process and the core's utility process, over a fake port pair
 * (node:worker_threads' MessageChannel: the same postMessage / on('message') shape, a real structured clone).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { err, type Result } from '../../shared/result';
import { CORE_GONE, CORE_STARTING, RelayClient } from './core-client';
import { createCoreServer, type CoreServer, type ReadyInfo } from './core-server';
import { FakeCore, portPair, until } from './testing/fake-core';

const INFO: ReadyInfo = { rendererDir: '/opt/station/renderer', training: true, stationId: 'training-01' };
const quiet = () => ({ warn: vi.fn(), error: vi.fn() });

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
  vi.useRealTimers();
});

function setup(
  opts: { callTimeoutMs?: number; print?: (html: string, fileName: string) => Promise<{ path: string; bytes: number }> } = {},
) {
  const ports = portPair();
  cleanups.push(ports.close);
  const core = new FakeCore();
  const serverLog = quiet();
  const clientLog = quiet();
  const server = createCoreServer(ports.core, { log: serverLog, printTimeoutMs: 1000 });
  const client = new RelayClient({ log: clientLog, ...opts });
  return { ports, core, server, client, serverLog, clientLog };
}

async function ready(s: { server: CoreServer; client: RelayClient; core: FakeCore; ports: ReturnType<typeof portPair> }) {
  const attached = s.client.attach(s.ports.main);
  s.server.serve(s.core, INFO);
  return attached;
}

describe('relay: requests and responses', () => {
  it('resolves attach with the ready info, and forwards a call with its session, op and raw input', async () => {
    const s = setup();
    expect(await ready(s)).toEqual(INFO);
    const session = s.client.openSession('ipc');
    const input = { login: 'sf001', password: 'Train@2026' };
    expect(await s.client.dispatch(session, 'login', input)).toEqual({ ok: true, value: 'did login' });
    expect(s.core.opened).toHaveLength(1);
    expect(s.core.opened[0]?.channel).toBe('ipc');
    expect(s.core.calls).toEqual([{ session: s.core.opened[0], op: 'login', input }]);
  });

  it('keeps one core session per client session, and closes it', async () => {
    const s = setup();
    await ready(s);
    const a = s.client.openSession('ipc');
    const b = s.client.openSession('ipc');
    await s.client.dispatch(a, 'stationInfo', {});
    await s.client.dispatch(b, 'stationInfo', {});
    await s.client.dispatch(a, 'currentOperator', {});
    expect(s.core.calls.map((c) => c.session.id)).toEqual(['s1', 's2', 's1']);
    s.client.closeSession(a);
    await until(() => s.core.closed.length === 1);
    expect(s.core.closed).toEqual([s.core.opened[0]]);
    expect(await s.client.dispatch(a, 'stationInfo', {})).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });

  it('carries error Results unchanged', async () => {
    const s = setup();
    await ready(s);
    s.core.dispatchImpl = async () => err('FORBIDDEN', '无权限');
    expect(await s.client.dispatch(s.client.openSession('ipc'), 'listAudit', {})).toEqual(err('FORBIDDEN', '无权限'));
  });

  it('carries an ok without a value (logout) as a success', async () => {
    const s = setup();
    await ready(s);
    s.core.dispatchImpl = async () => ({ ok: true, value: undefined });
    const session = s.client.openSession('ipc');
    expect(await s.client.dispatch(session, 'logout', {})).toEqual({ ok: true, value: undefined });
    s.core.dispatchImpl = () => new Promise(() => {});
    const call = s.client.dispatch(session, 'logout', {});
    await until(() => s.core.calls.length === 2);
    s.ports.rawToMain({ t: 'result', id: 2, result: { ok: true } }); // a sender that drops undefined keys
    expect(await call).toEqual({ ok: true, value: undefined });
  });

  it('turns a throwing dispatch into INTERNAL without leaking its message', async () => {
    const s = setup();
    await ready(s);
    s.core.dispatchImpl = async () => {
      throw new Error('SQLITE_CORRUPT at /var/lib/secret.db');
    };
    expect(await s.client.dispatch(s.client.openSession('ipc'), 'listAudit', { limit: 5 })).toEqual(err('INTERNAL', '内部错误'));
    expect(s.serverLog.error).toHaveBeenCalled();
  });

  it('answers at once while the core is starting, and handles messages that came before it was composed', async () => {
    const s = setup();
    const attached = s.client.attach(s.ports.main);
    const early = s.client.openSession('ipc');
    expect(await s.client.dispatch(early, 'stationInfo', {})).toEqual(err('INTERNAL', CORE_STARTING));
    expect(s.core.calls).toHaveLength(0);
    s.server.serve(s.core, INFO);
    await attached;
    // The session opened before `ready` is opened on the core once it is.
    expect(await s.client.dispatch(early, 'stationInfo', {})).toMatchObject({ ok: true });
    expect(s.core.opened).toHaveLength(1);
  });

  it('rejects attach when the core reports it could not be composed', async () => {
    const s = setup();
    const attached = s.client.attach(s.ports.main);
    s.server.fail('station.config.json: institution.code is missing');
    await expect(attached).rejects.toThrow('institution.code is missing');
  });
});

describe('relay: events', () => {
  it("pushes a session's events to that session's listener only", async () => {
    const s = setup();
    await ready(s);
    const a = s.client.openSession('ipc');
    const b = s.client.openSession('ipc');
    const gotA: unknown[] = [];
    const gotB: unknown[] = [];
    s.client.subscribe(a, (event, payload) => gotA.push({ event, payload }));
    s.client.subscribe(b, (event, payload) => gotB.push({ event, payload }));
    await s.client.dispatch(a, 'stationInfo', {});
    await s.client.dispatch(b, 'stationInfo', {});
    s.core.emit(s.core.opened[0]!, 'sessionEnded', { reason: 'logout' });
    await until(() => gotA.length === 1);
    expect(gotA).toEqual([{ event: 'sessionEnded', payload: { reason: 'logout' } }]);
    expect(gotB).toEqual([]);
  });

  it('stops delivering after the subscription is disposed', async () => {
    const s = setup();
    await ready(s);
    const a = s.client.openSession('ipc');
    const got: unknown[] = [];
    const sub = s.client.subscribe(a, (event) => got.push(event));
    await s.client.dispatch(a, 'stationInfo', {});
    sub.dispose();
    s.core.emit(s.core.opened[0]!, 'sessionEnded', { reason: 'logout' });
    await s.client.dispatch(a, 'stationInfo', {}); // after the event, in order on the same port
    expect(got).toEqual([]);
  });
});

describe('relay: timeouts and a core that dies', () => {
  it('answers INTERNAL when the core does not answer in time, and drops the late answer', async () => {
    const s = setup({ callTimeoutMs: 50 });
    await ready(s);
    let release: (r: Result<unknown>) => void = () => {};
    s.core.dispatchImpl = () => new Promise((resolve) => (release = resolve));
    const session = s.client.openSession('ipc');
    const result = await s.client.dispatch(session, 'settleOrder', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL', message: expect.stringContaining('未应答') } });
    release({ ok: true, value: 'late' });
    await until(() => s.clientLog.warn.mock.calls.some(([m]) => String(m).includes('after its timeout')));
  });

  it('answers every call in flight when the core goes away, ends each window session, and recovers on a new core', async () => {
    const s = setup();
    await ready(s);
    const session = s.client.openSession('ipc');
    const ended: unknown[] = [];
    s.client.subscribe(session, (event, payload) => ended.push({ event, payload }));
    s.core.dispatchImpl = () => new Promise(() => {}); // never answers: the process dies first
    const inFlight = s.client.dispatch(session, 'settleOrder', { orderId: 'o1' });
    await until(() => s.core.calls.length === 1);

    s.ports.close(); // the utility process exited: its end of the port is gone
    expect(await inFlight).toEqual(err('INTERNAL', CORE_GONE));
    expect(ended).toEqual([{ event: 'sessionEnded', payload: { reason: 'restarted' } }]);
    expect(s.client.ready).toBe(false);
    expect(await s.client.dispatch(session, 'stationInfo', {})).toEqual(err('INTERNAL', CORE_STARTING));

    // The supervisor forks a new core: the same window session is opened there and works again.
    const next = portPair();
    cleanups.push(next.close);
    const core2 = new FakeCore();
    const server2 = createCoreServer(next.core, { log: quiet() });
    const attached = s.client.attach(next.main);
    server2.serve(core2, INFO);
    await attached;
    expect(await s.client.dispatch(session, 'stationInfo', {})).toEqual({ ok: true, value: 'did stationInfo' });
    expect(core2.opened).toHaveLength(1);
  });

  it('answers pings while alive and not once detached', async () => {
    const s = setup();
    await ready(s);
    expect(await s.client.ping(1000)).toBe(true);
    s.client.detach('test');
    expect(await s.client.ping(1000)).toBe(false);
  });
});

describe('relay: malformed messages are rejected on both sides', () => {
  it('the core side answers a malformed call INVALID_ARGUMENT and drops other garbage, never reaching the core', async () => {
    const s = setup();
    await ready(s);
    const session = s.client.openSession('ipc');
    await s.client.dispatch(session, 'stationInfo', {}); // opens the session on the core
    const results: unknown[] = [];
    // Listen on the main end as the client does, for the answer to a call the client did not make.
    s.ports.main.onMessage((m) => {
      if ((m as { t?: string }).t === 'result' && (m as { id?: number }).id === 9999) results.push(m);
    });
    s.ports.rawToCore({ t: 'call', id: 9999, session: session.id, op: 42, input: {} }); // op not a string
    s.ports.rawToCore({ t: 'call', id: 10_000 }); // no session: answered too
    s.ports.rawToCore('just a string');
    s.ports.rawToCore({ t: 'drop-tables' });
    s.ports.rawToCore({ t: 'open', session: '' });
    s.ports.rawToCore(null);
    await until(() => results.length === 1);
    expect(results).toEqual([{ t: 'result', id: 9999, result: err('INVALID_ARGUMENT', '消息格式错误') }]);
    expect(s.core.calls).toHaveLength(1);
    expect(s.core.opened).toHaveLength(1);
    await until(() => s.serverLog.warn.mock.calls.length === 6);
  });

  it('the main side ends a call whose answer is malformed, and drops other garbage', async () => {
    const s = setup();
    await ready(s);
    const session = s.client.openSession('ipc');
    s.core.dispatchImpl = () => new Promise(() => {});
    const call = s.client.dispatch(session, 'stationInfo', {});
    await until(() => s.core.calls.length === 1);
    s.ports.rawToMain({ t: 'event', session: session.id, event: 'noSuchEvent', payload: {} });
    s.ports.rawToMain({ t: 'result', id: 1, result: { ok: 'yes' } });
    expect(await call).toEqual(err('INTERNAL', '工作站核心的应答无法识别'));
    expect(s.clientLog.warn).toHaveBeenCalledTimes(2);
  });
});

describe('relay: printing through the main process', () => {
  it("prints a slip with the main process's printer", async () => {
    const print = vi.fn(async (_html: string, fileName: string) => ({ path: `/data/receipts/${fileName}`, bytes: 1234 }));
    const s = setup({ print });
    await ready(s);
    expect(await s.server.printer.print('<html></html>', '结算单-1.pdf')).toEqual({ path: '/data/receipts/结算单-1.pdf', bytes: 1234 });
    expect(print).toHaveBeenCalledWith('<html></html>', '结算单-1.pdf');
  });

  it("rejects with the printer's message when it fails, or when the shell has no printer", async () => {
    const s = setup({ print: async () => Promise.reject(new Error('生成 PDF 超时')) });
    await ready(s);
    await expect(s.server.printer.print('<html></html>', 'a.pdf')).rejects.toThrow('生成 PDF 超时');
    const t = setup();
    await ready(t);
    await expect(t.server.printer.print('<html></html>', 'a.pdf')).rejects.toThrow('不能生成 PDF');
  });
});

describe('relay: shutdown', () => {
  it('closes every session, disposes the core through its handler, then answers closed', async () => {
    const s = setup();
    await ready(s);
    const disposed = vi.fn(async () => {});
    s.server.onShutdown(disposed);
    const session = s.client.openSession('ipc');
    await s.client.dispatch(session, 'stationInfo', {});
    expect(await s.client.shutdown(1000)).toBe(true);
    expect(disposed).toHaveBeenCalledOnce();
    expect(s.core.closed).toEqual([s.core.opened[0]]);
  });

  it('gives up waiting after the timeout', async () => {
    const s = setup();
    await ready(s);
    s.server.onShutdown(() => new Promise(() => {}));
    expect(await s.client.shutdown(50)).toBe(false);
  });
});
