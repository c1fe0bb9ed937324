/**
 * The utility process's entry logic with a fake parentPort and a fake core entry: the start handshake, the
 * relay it serves, and how it exits. (Forking a real utility process needs the Electron binary; the real core
 * entry it calls is what the loopback host, the integration tests and every e2e test run.)
 */
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ComposedStation } from './compose';
import type { CoreEntryOptions } from './core-entry';
import { runCoreProcess, type ParentPortLike } from './core-process';
import { RelayClient } from './relay/core-client';
import { dataPort, type MessageEventPort } from './relay/protocol';
import { FakeCore, until } from './relay/testing/fake-core';

/** Node's MessagePort in the shape of Electron's MessagePortMain (listeners get `{data}`). */
function asEventPort(port: MessagePort): MessageEventPort {
  return {
    postMessage: (m) => port.postMessage(m),
    on: (event: 'message' | 'close', listener: (e: { data: unknown }) => void) =>
      event === 'message' ? port.on('message', (data) => listener({ data })) : port.on('close', () => listener({ data: undefined })),
    start: () => port.start(),
    close: () => port.close(),
  } as MessageEventPort;
}

class FakeParentPort implements ParentPortLike {
  private listener: ((e: { data: unknown; ports: readonly MessageEventPort[] }) => void) | null = null;
  on(_event: 'message', listener: (e: { data: unknown; ports: readonly MessageEventPort[] }) => void): void {
    this.listener = listener;
  }
  deliver(data: unknown, ports: readonly MessageEventPort[]): void {
    this.listener?.({ data, ports });
  }
}

const channels: MessageChannel[] = [];
afterEach(() => {
  for (const c of channels.splice(0)) {
    c.port1.close();
    c.port2.close();
  }
});

function setup(startCore: (o: CoreEntryOptions) => Promise<ComposedStation>) {
  const parent = new FakeParentPort();
  const exit = vi.fn();
  const log = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
  runCoreProcess(parent, { startCore, exit, log });
  const channel = new MessageChannel();
  channels.push(channel);
  const client = new RelayClient({ log });
  return { parent, exit, log, channel, client };
}

function fakeStation(core: FakeCore, close = vi.fn(async () => {})): ComposedStation {
  return { core, rendererDir: '/r', training: {}, config: { stationId: 'training-01' }, close } as unknown as ComposedStation;
}

describe('runCoreProcess', () => {
  it('composes the core from the start message and serves it on the port that came with it', async () => {
    const core = new FakeCore();
    const startCore = vi.fn(async (_o: CoreEntryOptions) => fakeStation(core));
    const { parent, channel, client } = setup(startCore);
    const attached = client.attach(dataPort(channel.port1));
    parent.deliver({ t: 'start', dataDir: '/data/station', training: false }, [asEventPort(channel.port2)]);
    expect(await attached).toEqual({ rendererDir: '/r', training: true, stationId: 'training-01' });
    expect(startCore).toHaveBeenCalledWith(
      expect.objectContaining({ dataDir: '/data/station', training: 'unless-configured', shell: 'electron' }),
    );
    expect(await client.dispatch(client.openSession('ipc'), 'stationInfo', {})).toEqual({ ok: true, value: 'did stationInfo' });
  });

  it('refuses a malformed start message (exit 2)', () => {
    const { parent, exit, channel } = setup(vi.fn());
    parent.deliver({ t: 'start', dataDir: 42 }, [asEventPort(channel.port2)]);
    expect(exit).toHaveBeenCalledWith(2);
    const second = setup(vi.fn());
    second.parent.deliver({ t: 'start', dataDir: '/d', training: true }, []); // no port
    expect(second.exit).toHaveBeenCalledWith(2);
  });

  it('reports a core that cannot be composed, then exits 1', async () => {
    const { parent, exit, channel, client } = setup(async () => {
      throw new Error('无法读取 station.config.json');
    });
    const attached = client.attach(dataPort(channel.port1));
    parent.deliver({ t: 'start', dataDir: '/d', training: false }, [asEventPort(channel.port2)]);
    await expect(attached).rejects.toThrow('无法读取 station.config.json');
    await until(() => exit.mock.calls.length === 1);
    expect(exit).toHaveBeenCalledWith(1);
  });

  it('closes the station and exits 0 when the main process goes away', async () => {
    const close = vi.fn(async () => {});
    const { parent, exit, channel, client } = setup(async () => fakeStation(new FakeCore(), close));
    const attached = client.attach(dataPort(channel.port1));
    parent.deliver({ t: 'start', dataDir: '/d', training: true }, [asEventPort(channel.port2)]);
    await attached;
    channel.port1.close();
    await until(() => exit.mock.calls.length === 1);
    expect(close).toHaveBeenCalledOnce();
    expect(exit).toHaveBeenCalledWith(0);
  });

  it('closes the station on shutdown and answers closed', async () => {
    const close = vi.fn(async () => {});
    const { parent, channel, client } = setup(async () => fakeStation(new FakeCore(), close));
    const attached = client.attach(dataPort(channel.port1));
    parent.deliver({ t: 'start', dataDir: '/d', training: true }, [asEventPort(channel.port2)]);
    await attached;
    expect(await client.shutdown(1000)).toBe(true);
    expect(close).toHaveBeenCalledOnce();
  });
});
