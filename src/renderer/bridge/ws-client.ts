/**
 * A StationApi over the loopback WebSocket (protocol in ./wire). Built for a cashier's day: a call never
 * throws, a call made while the link is down waits for it, and a lost connection fails only the calls that
 * were already sent — those may have run in the core, so they are never re-sent behind the operator's back.
 */
import {
  EVENT_NAMES,
  OPERATION_NAMES,
  subscriptionName,
  type OperationName,
  type StationApi,
  type StationCalls,
  type StationEventName,
  type StationSubscriptions,
  type Unsubscribe,
} from '../../shared/api';
import { err, type Result } from '../../shared/result';
import { mutableLink, type BridgeLink } from './link';
import { parseServerMessage, type CallMessage, type ServerMessage } from '../../shared/wire';

export const CONNECTION_LOST_MESSAGE = '与工作站核心的连接已断开';

export interface Backoff {
  initialMs: number;
  maxMs: number;
}

/** Loopback reconnects are cheap; the cap keeps a restarted core from waiting long for its screens. */
const DEFAULT_BACKOFF: Backoff = { initialMs: 250, maxMs: 5_000 };

export interface WsStationClient {
  readonly api: StationApi;
  readonly link: BridgeLink;
  /** Stops reconnecting and fails every pending call. */
  close(): void;
}

interface PendingCall {
  message: CallMessage;
  sent: boolean;
  settle: (result: Result<unknown>) => void;
}

type Listener = (payload: unknown) => void;

export function createWsStationClient(url: string, backoff: Backoff = DEFAULT_BACKOFF): WsStationClient {
  const link = mutableLink({ state: 'connecting', opens: 0 });
  const pending = new Map<number, PendingCall>();
  const listeners = new Map<StationEventName, Set<Listener>>(EVENT_NAMES.map((name) => [name, new Set()]));
  let socket: WebSocket | null = null;
  let nextId = 1;
  let retryDelay = backoff.initialMs;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;

  function connect(): void {
    const ws = new WebSocket(url);
    socket = ws;
    ws.addEventListener('open', () => {
      retryDelay = backoff.initialMs;
      link.set({ state: 'open', opens: link.current().opens + 1 });
      for (const call of pending.values()) if (!call.sent) send(ws, call);
    });
    ws.addEventListener('message', (event) => {
      if (typeof event.data !== 'string') return;
      const message = parseServerMessage(event.data);
      if (message) receive(message);
      else console.warn('station socket: ignored a malformed message');
    });
    // Browsers follow 'error' with 'close'; Node's WebSocket does not after a refused upgrade. Either ends it.
    ws.addEventListener('error', () => lost(ws));
    ws.addEventListener('close', () => lost(ws));
  }

  function lost(ws: WebSocket): void {
    if (socket !== ws) return;
    socket = null;
    ws.close();
    failSentCalls();
    if (closed) return;
    const { opens } = link.current();
    link.set({ state: opens === 0 ? 'connecting' : 'reconnecting', opens });
    retryTimer = setTimeout(connect, retryDelay);
    retryDelay = Math.min(retryDelay * 2, backoff.maxMs);
  }

  function send(ws: WebSocket, call: PendingCall): void {
    ws.send(JSON.stringify(call.message));
    call.sent = true;
  }

  function receive(message: ServerMessage): void {
    if (message.t === 'result') {
      const call = pending.get(message.id);
      if (!call) return;
      pending.delete(message.id);
      call.settle(message.result);
      return;
    }
    for (const listener of [...(listeners.get(message.event) ?? [])]) {
      try {
        listener(message.payload);
      } catch (error) {
        console.error(`station event listener for ${message.event} failed`, error);
      }
    }
  }

  function failSentCalls(): void {
    for (const [id, call] of pending) {
      if (!call.sent) continue;
      pending.delete(id);
      call.settle(err('INTERNAL', CONNECTION_LOST_MESSAGE));
    }
  }

  function call(op: OperationName, input: unknown): Promise<Result<unknown>> {
    if (closed) return Promise.resolve(err('INTERNAL', CONNECTION_LOST_MESSAGE));
    return new Promise((settle) => {
      const entry: PendingCall = { message: { t: 'call', id: nextId++, op, input }, sent: false, settle };
      pending.set(entry.message.id, entry);
      if (socket?.readyState === WebSocket.OPEN) send(socket, entry);
    });
  }

  function listen(event: StationEventName, listener: Listener): Unsubscribe {
    const set = listeners.get(event);
    // A wrapper per subscription, so subscribing one function twice still needs (and allows) two unsubscribes.
    const subscription: Listener = (payload) => listener(payload);
    set?.add(subscription);
    return () => void set?.delete(subscription);
  }

  // The contract's mapped types cannot be produced by a loop without a cast; the names come from the contract.
  const calls = Object.fromEntries(OPERATION_NAMES.map((op) => [op, (input: unknown) => call(op, input)])) as unknown as StationCalls;
  const subscriptions = Object.fromEntries(
    EVENT_NAMES.map((event) => [subscriptionName(event), (listener: Listener) => listen(event, listener)]),
  ) as unknown as StationSubscriptions;

  connect();

  return {
    api: { ...calls, ...subscriptions },
    link,
    close() {
      closed = true;
      clearTimeout(retryTimer);
      socket?.close();
      socket = null;
      for (const entry of pending.values()) entry.settle(err('INTERNAL', CONNECTION_LOST_MESSAGE));
      pending.clear();
    },
  };
}
