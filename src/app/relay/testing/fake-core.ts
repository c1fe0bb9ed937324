/** Test support: a StationCore that records what reaches it, and port pairs for the relay (node:worker_threads). */
import { MessageChannel } from 'node:worker_threads';
import type { StationEventMap, StationEventName } from '../../../shared/api';
import { ok, type Result } from '../../../shared/result';
import type { ClientSession, EventListener, StationCore } from '../../../station/api/core-contract';
import { dataPort, type RelayPort } from '../protocol';

export class FakeCore implements StationCore {
  readonly opened: ClientSession[] = [];
  readonly closed: ClientSession[] = [];
  readonly calls: { session: ClientSession; op: unknown; input: unknown }[] = [];
  readonly listeners = new Map<ClientSession, EventListener>();
  dispatchImpl: (op: unknown, input: unknown) => Promise<Result<unknown>> = async (op) => ok(`did ${String(op)}`);

  openSession(channel: ClientSession['channel']): ClientSession {
    const session: ClientSession = { id: `s${this.opened.length + 1}`, channel, operator: null };
    this.opened.push(session);
    return session;
  }
  closeSession(session: ClientSession): void {
    this.closed.push(session);
  }
  dispatch(session: ClientSession, op: unknown, input: unknown): Promise<Result<unknown>> {
    this.calls.push({ session, op, input });
    return this.dispatchImpl(op, input);
  }
  subscribe(session: ClientSession, listener: EventListener) {
    this.listeners.set(session, listener);
    return { dispose: () => void this.listeners.delete(session) };
  }
  emit<E extends StationEventName>(session: ClientSession, event: E, payload: StationEventMap[E]): void {
    this.listeners.get(session)?.(event, payload);
  }
  async dispose(): Promise<void> {}
}

/** Two connected relay ports, as MessageChannelMain gives the shell; `raw` posts anything (malformed messages). */
export function portPair(): {
  main: RelayPort;
  core: RelayPort;
  rawToCore(data: unknown): void;
  rawToMain(data: unknown): void;
  close(): void;
} {
  const channel = new MessageChannel();
  return {
    main: dataPort(channel.port1),
    core: dataPort(channel.port2),
    rawToCore: (data) => channel.port1.postMessage(data),
    rawToMain: (data) => channel.port2.postMessage(data),
    close: () => {
      channel.port1.close();
      channel.port2.close();
    },
  };
}

/** Resolves when `check` holds (checked every few ms), or fails after `timeoutMs`. */
export async function until(check: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
