import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { OPERATION_NAMES } from '../shared/api';
import type { Result } from '../shared/result';
import { registerIpcBridge, type BridgeFrame, type BridgeInvokeEvent, type BridgeIpcMain } from './ipc-bridge';
import { FakeCore } from '../app/relay/testing/fake-core';

type Handler = Parameters<BridgeIpcMain['handle']>[1];

class FakeIpcMain implements BridgeIpcMain {
  readonly handlers = new Map<string, Handler>();
  handle(channel: string, listener: Handler): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  invoke(channel: string, event: BridgeInvokeEvent, ...args: unknown[]): Promise<Result<unknown>> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`no handler for ${channel}`);
    return handler(event, ...args);
  }
}

class FakeWebContents extends EventEmitter {
  private destroyed = false;
  readonly sent: { channel: string; args: unknown[] }[] = [];
  constructor(readonly id: number) {
    super();
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  send(channel: string, ...args: unknown[]): void {
    if (this.destroyed) throw new Error('Object has been destroyed');
    this.sent.push({ channel, args });
  }
  destroy(): void {
    this.destroyed = true;
    this.emit('destroyed');
  }
}

const mainFrame = (url: string): BridgeFrame => ({ url, parent: null });
const invokeEvent = (sender: FakeWebContents, frame: BridgeFrame | null): BridgeInvokeEvent => ({ sender, senderFrame: frame });
const APP = 'app://station/index.html';
const quiet = { warn: vi.fn(), error: vi.fn() };

function setup() {
  const core = new FakeCore();
  const ipc = new FakeIpcMain();
  const bridge = registerIpcBridge(core, ipc, quiet);
  return { core, ipc, bridge };
}

describe('registerIpcBridge', () => {
  it('registers one handler per operation, on its own channel', () => {
    const { ipc } = setup();
    expect([...ipc.handlers.keys()].sort()).toEqual(OPERATION_NAMES.map((op) => `station:${op}`).sort());
  });

  it('forwards a trusted call to core.dispatch with the raw input and returns its Result', async () => {
    const { core, ipc } = setup();
    const wc = new FakeWebContents(7);
    const input = { login: 'sf001', password: 'Train@2026' };
    const result = await ipc.invoke('station:login', invokeEvent(wc, mainFrame(APP)), input);
    expect(result).toEqual({ ok: true, value: 'did login' });
    expect(core.calls).toEqual([{ session: core.opened[0], op: 'login', input }]);
    expect(core.opened[0]?.channel).toBe('ipc');
  });

  it('refuses untrusted senders with FORBIDDEN before touching the core', async () => {
    const { core, ipc } = setup();
    const wc = new FakeWebContents(1);
    const frames: (BridgeFrame | null)[] = [
      null, // frame gone
      mainFrame('https://evil.example/'),
      mainFrame('file:///tmp/x.html'),
      mainFrame('app://other/index.html'),
      { url: APP, parent: mainFrame(APP) }, // a same-origin subframe
    ];
    for (const frame of frames) {
      const result = await ipc.invoke('station:stationInfo', invokeEvent(wc, frame), {});
      expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    expect(core.opened).toHaveLength(0);
    expect(core.calls).toHaveLength(0);
  });

  it('accepts exactly one argument', async () => {
    const { core, ipc } = setup();
    const wc = new FakeWebContents(1);
    for (const args of [[], [{}, 'extra']]) {
      const result = await ipc.invoke('station:stationInfo', invokeEvent(wc, mainFrame(APP)), ...args);
      expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    }
    expect(core.calls).toHaveLength(0);
  });

  it('keeps one session per webContents, and closes it when the webContents is destroyed', async () => {
    const { core, ipc } = setup();
    const a = new FakeWebContents(1);
    const b = new FakeWebContents(2);
    await ipc.invoke('station:stationInfo', invokeEvent(a, mainFrame(APP)), {});
    await ipc.invoke('station:currentOperator', invokeEvent(a, mainFrame(APP)), {});
    await ipc.invoke('station:stationInfo', invokeEvent(b, mainFrame(APP)), {});
    expect(core.opened).toHaveLength(2);
    expect(core.calls.map((c) => c.session.id)).toEqual(['s1', 's1', 's2']);

    a.destroy();
    expect(core.closed).toEqual([core.opened[0]]);
    expect(core.listeners.has(core.opened[0]!)).toBe(false);
  });

  it("sends a session's events to its own window only, on the event's channel", async () => {
    const { core, ipc } = setup();
    const a = new FakeWebContents(1);
    const b = new FakeWebContents(2);
    await ipc.invoke('station:stationInfo', invokeEvent(a, mainFrame(APP)), {});
    await ipc.invoke('station:stationInfo', invokeEvent(b, mainFrame(APP)), {});
    core.emit(core.opened[0]!, 'sessionEnded', { reason: 'expired' });
    expect(a.sent).toEqual([{ channel: 'station:event:sessionEnded', args: [{ reason: 'expired' }] }]);
    expect(b.sent).toEqual([]);
  });

  it('turns a throwing dispatch into INTERNAL without leaking its message', async () => {
    const { core, ipc } = setup();
    core.dispatchImpl = async () => {
      throw new Error('SQLITE_CORRUPT at /var/lib/secret.db');
    };
    const result = await ipc.invoke('station:listAudit', invokeEvent(new FakeWebContents(1), mainFrame(APP)), { limit: 5 });
    expect(result).toEqual({ ok: false, error: { code: 'INTERNAL', message: '内部错误' } });
  });

  it('dispose removes every handler and closes every session', async () => {
    const { core, ipc, bridge } = setup();
    const a = new FakeWebContents(1);
    await ipc.invoke('station:stationInfo', invokeEvent(a, mainFrame(APP)), {});
    bridge.dispose();
    expect(ipc.handlers.size).toBe(0);
    expect(core.closed).toEqual([core.opened[0]]);
    a.destroy(); // after dispose: nothing closes twice
    expect(core.closed).toHaveLength(1);
    bridge.dispose(); // idempotent
  });
});
