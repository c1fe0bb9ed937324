/**
 * The supervisor of the core's utility process, with a fake process: each "fork" is a port pair whose other
 * end is served by a FakeCore in this process. Exiting closes the port, as a dead utility process does.
 * (The real fork, utility-core.ts, needs the Electron binary and is only type-checked.)
 */
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { err } from '../shared/result';
import { CORE_GONE, CORE_STARTING, RelayClient } from '../app/relay/core-client';
import { createCoreServer, type CoreServer } from '../app/relay/core-server';
import type { RelayPort } from '../app/relay/protocol';
import { FakeCore, portPair, until } from '../app/relay/testing/fake-core';
import { registerIpcBridge, type BridgeIpcMain, type BridgeInvokeEvent } from './ipc-bridge';
import { CoreSupervisor, type CoreProcessHandle } from './core-supervisor';

const INFO = { rendererDir: '/r', training: true, stationId: 'training-01' };
const quiet = () => ({ info: vi.fn(), warn: vi.fn(), error: vi.fn() });

class FakeProcess extends EventEmitter implements CoreProcessHandle {
  readonly core = new FakeCore();
  readonly server: CoreServer;
  readonly port: RelayPort;
  private readonly ports = portPair();
  exited = false;
  /** A wedged core: pings go unanswered (the port is wrapped to drop them). */
  wedged = false;
  constructor(
    readonly pid: number,
    behaviour: 'serve' | 'fail' | 'never',
  ) {
    super();
    const inner = this.ports.core;
    const corePort: RelayPort = {
      post: (m) => inner.post(m),
      onMessage: (l) => inner.onMessage((m) => (this.wedged ? undefined : l(m))),
      onClose: (l) => inner.onClose(l),
      close: () => inner.close(),
    };
    this.server = createCoreServer(corePort, { log: quiet() });
    this.port = this.ports.main;
    if (behaviour === 'serve') setTimeout(() => this.server.serve(this.core, INFO), 1);
    if (behaviour === 'fail') setTimeout(() => this.server.fail('no station.config.json'), 1);
  }
  onExit(listener: (code: number) => void): void {
    this.once('exit', listener);
  }
  /** The process dies (crash or kill): its port closes, then Electron reports the exit. */
  exit(code: number): void {
    if (this.exited) return;
    this.exited = true;
    this.ports.close();
    setTimeout(() => this.emit('exit', code), 1);
  }
  kill(): void {
    this.exit(15);
  }
}

const supervisors: CoreSupervisor[] = [];
afterEach(async () => {
  for (const s of supervisors.splice(0)) await s.stop(100);
});

function setup(
  opts: { behaviours?: ('serve' | 'fail' | 'never')[]; maxRestarts?: number; heartbeatEveryMs?: number; heartbeatTimeoutMs?: number } = {},
) {
  const client = new RelayClient({ log: quiet() });
  const processes: FakeProcess[] = [];
  const onFatal = vi.fn();
  const onRestarted = vi.fn();
  const supervisor = new CoreSupervisor({
    client,
    spawn: () => {
      const p = new FakeProcess(100 + processes.length, opts.behaviours?.[processes.length] ?? 'serve');
      processes.push(p);
      return p;
    },
    backoffMs: 5,
    maxRestarts: opts.maxRestarts ?? 2,
    heartbeatEveryMs: opts.heartbeatEveryMs ?? 0,
    heartbeatTimeoutMs: opts.heartbeatTimeoutMs ?? 50,
    onFatal,
    onRestarted,
    log: quiet(),
  });
  supervisors.push(supervisor);
  return { client, processes, supervisor, onFatal, onRestarted };
}

describe('CoreSupervisor', () => {
  it('starts the core process and resolves with its ready info', async () => {
    const { client, processes, supervisor } = setup();
    expect(await supervisor.start()).toEqual(INFO);
    expect(processes).toHaveLength(1);
    expect(await client.dispatch(client.openSession('ipc'), 'stationInfo', {})).toEqual({ ok: true, value: 'did stationInfo' });
  });

  it('rejects the first start when the core cannot be composed, and kills the process', async () => {
    const { processes, supervisor } = setup({ behaviours: ['fail'] });
    await expect(supervisor.start()).rejects.toThrow('no station.config.json');
    expect(processes[0]?.exited).toBe(true);
    await new Promise((r) => setTimeout(r, 30));
    expect(processes).toHaveLength(1); // no restart of a start that never worked
  });

  it('when the process dies: the call in flight fails clearly, the window session ends, and a new process serves it', async () => {
    const { client, processes, supervisor, onRestarted } = setup();
    await supervisor.start();
    const session = client.openSession('ipc');
    const events: unknown[] = [];
    client.subscribe(session, (event, payload) => events.push({ event, payload }));
    await client.dispatch(session, 'stationInfo', {});
    processes[0]!.core.dispatchImpl = () => new Promise(() => {});
    const inFlight = client.dispatch(session, 'settleOrder', {});
    await until(() => processes[0]!.core.calls.length === 2);

    processes[0]!.exit(139); // SIGSEGV in a native module, say
    expect(await inFlight).toEqual(err('INTERNAL', CORE_GONE));
    expect(events).toEqual([{ event: 'sessionEnded', payload: { reason: 'restarted' } }]);
    expect(await client.dispatch(session, 'stationInfo', {})).toEqual(err('INTERNAL', CORE_STARTING));

    await until(() => onRestarted.mock.calls.length === 1);
    expect(processes).toHaveLength(2);
    expect(await client.dispatch(session, 'stationInfo', {})).toEqual({ ok: true, value: 'did stationInfo' });
    expect(processes[1]!.core.opened).toHaveLength(1);
  });

  it('gives up after too many restarts: onFatal once, no more processes', async () => {
    const { client, processes, supervisor, onFatal } = setup({ maxRestarts: 2 });
    await supervisor.start();
    for (let i = 0; i < 3; i++) {
      await until(() => processes.length === i + 1 && processes[i]!.listenerCount('exit') > 0);
      await until(() => client.ready);
      processes[i]!.exit(1);
    }
    await until(() => onFatal.mock.calls.length === 1);
    expect(onFatal.mock.calls[0]?.[0]).toContain('反复退出');
    expect(supervisor.failed).toBe(true);
    await new Promise((r) => setTimeout(r, 30));
    expect(processes).toHaveLength(3);
  });

  it('a restart that cannot compose the station is fatal', async () => {
    const { processes, supervisor, onFatal } = setup({ behaviours: ['serve', 'fail'] });
    await supervisor.start();
    processes[0]!.exit(1);
    await until(() => onFatal.mock.calls.length === 1);
    expect(onFatal.mock.calls[0]?.[0]).toContain('no station.config.json');
  });

  it('kills a core that stops answering pings, and restarts it', async () => {
    const { processes, supervisor, onRestarted } = setup({ heartbeatEveryMs: 10, heartbeatTimeoutMs: 30 });
    await supervisor.start();
    processes[0]!.wedged = true;
    await until(() => onRestarted.mock.calls.length === 1);
    expect(processes[0]!.exited).toBe(true);
    expect(processes).toHaveLength(2);
  });

  it('stop shuts the core down and does not restart it', async () => {
    const { processes, supervisor } = setup();
    await supervisor.start();
    const disposed = vi.fn(async () => {});
    processes[0]!.server.onShutdown(disposed);
    await supervisor.stop(1000);
    expect(disposed).toHaveBeenCalledOnce();
    expect(processes[0]!.exited).toBe(true);
    await new Promise((r) => setTimeout(r, 30));
    expect(processes).toHaveLength(1);
  });
});

describe('the IPC bridge over the relay', () => {
  it('checks the sender in main, then the call runs on the core in the other process', async () => {
    const { client, processes, supervisor } = setup();
    await supervisor.start();
    const handlers = new Map<string, Parameters<BridgeIpcMain['handle']>[1]>();
    registerIpcBridge(client, { handle: (c, l) => void handlers.set(c, l), removeHandler: (c) => void handlers.delete(c) }, quiet());
    const sender = Object.assign(new EventEmitter(), { id: 1, isDestroyed: () => false, send: vi.fn() });
    const trusted: BridgeInvokeEvent = { sender, senderFrame: { url: 'app://station/index.html', parent: null } };
    const untrusted: BridgeInvokeEvent = { sender, senderFrame: { url: 'https://evil.example/', parent: null } };
    expect(await handlers.get('station:stationInfo')!(untrusted, {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await handlers.get('station:stationInfo')!(trusted, {})).toEqual({ ok: true, value: 'did stationInfo' });
    expect(processes[0]!.core.calls).toHaveLength(1);
    expect(processes[0]!.core.opened[0]?.channel).toBe('ipc');
  });
});
