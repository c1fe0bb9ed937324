/**
 * The main process's end of the relay: a StationCore whose work happens in another process. The IPC bridge
 * (src/main/ipc-bridge.ts) checks each sender and then calls this exactly as it would call an in-process core;
 * this forwards over the port and resolves with the Result that comes back.
 *
 * Its sessions outlive one core process. When the process dies (`detach`), every call in flight answers
 * INTERNAL with a message saying so, and every window is told its session ended (the new core has no signed-in
 * operator); when the supervisor attaches a new process, the open sessions are opened there again. A call
 * while no core is attached answers at once — it never waits on a process that may not come back.
 *
 * The ClientSession objects it hands out are handles: `operator` stays null here (who is signed in is known
 * to the core's own session, on the other side); the IPC bridge never reads it.
 */
import type { StationEventMap, StationEventName } from '../../shared/api';
import { err, type Result } from '../../shared/result';
import type { ClientSession, Disposable, EventListener, StationCore } from '../../station/api/core-contract';
import type { ReceiptPdf } from '../../station/receipts/receipt-pdf';
import type { ReadyInfo, RelayLogger } from './core-server';
import { describeRejection, FromCoreSchema, type FromCore, type RelayPort } from './protocol';

export interface RelayClientOptions {
  /** A call without an answer after this long answers INTERNAL (default 120 s: above every outside timeout). */
  callTimeoutMs?: number;
  /** How the main process prints a slip for the core; without it a print request fails. */
  print?: (html: string, fileName: string) => Promise<ReceiptPdf>;
  log?: RelayLogger;
}

export const CORE_STARTING = '工作站核心正在启动，请稍候重试';
export const CORE_GONE = '工作站核心进程意外退出，正在重新启动；刚才的操作如涉及结算，请稍后查看订单状态';

interface Attachment {
  port: RelayPort;
  ready: boolean;
  calls: Map<number, { resolve(r: Result<unknown>): void; timer: NodeJS.Timeout }>;
  pings: Map<number, (alive: boolean) => void>;
  onReady: { resolve(info: ReadyInfo): void; reject(e: Error): void };
  onClosed: (() => void) | null;
}

interface RemoteSession {
  session: ClientSession;
  listener: EventListener | null;
}

export class RelayClient implements StationCore {
  private readonly callTimeoutMs: number;
  private readonly log: RelayLogger;
  private readonly sessions = new Map<string, RemoteSession>();
  private current: Attachment | null = null;
  private nextId = 1;
  private nextSession = 1;

  constructor(private readonly options: RelayClientOptions = {}) {
    this.callTimeoutMs = options.callTimeoutMs ?? 120_000;
    this.log = options.log ?? console;
  }

  /** Whether a composed core answers now. */
  get ready(): boolean {
    return this.current?.ready ?? false;
  }

  /**
   * Talk to the core on the other end of `port` from now on. Resolves when it is composed (`ready`); rejects
   * when it reports `failed` or the port closes first. Open sessions are opened there once it is ready.
   */
  attach(port: RelayPort): Promise<ReadyInfo> {
    if (this.current) this.detach('replaced');
    return new Promise<ReadyInfo>((resolve, reject) => {
      const a: Attachment = { port, ready: false, calls: new Map(), pings: new Map(), onReady: { resolve, reject }, onClosed: null };
      this.current = a;
      port.onMessage((data) => {
        if (this.current !== a) return;
        const parsed = FromCoreSchema.safeParse(data);
        if (!parsed.success) {
          this.log.warn(`[relay] rejected a malformed message from the core: ${describeRejection(data, parsed.error)}`);
          // A call whose answer is unreadable still ends, rather than waiting for its timeout.
          const id = resultIdOf(data);
          if (id !== null) this.settle(a, id, err('INTERNAL', '工作站核心的应答无法识别'));
          return;
        }
        this.receive(a, parsed.data);
      });
      port.onClose(() => {
        if (this.current === a) this.detach('the core closed its port');
      });
    });
  }

  /**
   * The core process is gone (exited, killed, or its port closed): answer everything in flight, end every
   * window's session, and answer new calls at once until the next `attach`.
   */
  detach(reason: string): void {
    const a = this.current;
    if (!a) return;
    this.current = null;
    a.onReady.reject(new Error(`工作站核心未能启动：${reason}`));
    for (const [id, call] of a.calls) {
      a.calls.delete(id);
      clearTimeout(call.timer);
      call.resolve(err('INTERNAL', CORE_GONE));
    }
    for (const [id, answer] of a.pings) {
      a.pings.delete(id);
      answer(false);
    }
    a.onClosed?.();
    try {
      a.port.close();
    } catch {
      // already closed
    }
    if (a.ready) {
      for (const { listener } of this.sessions.values()) listener?.('sessionEnded', { reason: 'restarted' });
    }
  }

  openSession(channel: ClientSession['channel']): ClientSession {
    const session: ClientSession = { id: `${channel}-${this.nextSession++}`, channel, operator: null };
    this.sessions.set(session.id, { session, listener: null });
    if (this.current?.ready) this.current.port.post({ t: 'open', session: session.id });
    return session;
  }

  closeSession(session: ClientSession): void {
    if (!this.sessions.delete(session.id)) return;
    if (this.current?.ready) this.current.port.post({ t: 'close', session: session.id });
  }

  dispatch(session: ClientSession, op: unknown, input: unknown): Promise<Result<unknown>> {
    const a = this.current;
    if (!a?.ready) return Promise.resolve(err('INTERNAL', CORE_STARTING));
    if (!this.sessions.has(session.id)) return Promise.resolve(err('INTERNAL', '会话已结束'));
    // The Dispatcher on the other side rejects unknown operations; only the envelope needs a string.
    if (typeof op !== 'string') return Promise.resolve(err('INVALID_ARGUMENT', '未知的操作'));
    const id = this.nextId++;
    return new Promise<Result<unknown>>((resolve) => {
      const timer = setTimeout(() => {
        a.calls.delete(id);
        this.log.warn(`[relay] ${op} had no answer in ${this.callTimeoutMs} ms`);
        resolve(err('INTERNAL', `工作站核心 ${Math.round(this.callTimeoutMs / 1000)} 秒内未应答`));
      }, this.callTimeoutMs);
      a.calls.set(id, { resolve, timer });
      try {
        a.port.post({ t: 'call', id, session: session.id, op, input });
      } catch (cause) {
        // e.g. an input that cannot be cloned; the preload never sends one.
        this.log.warn(`[relay] cannot send ${op}: ${cause instanceof Error ? cause.message : String(cause)}`);
        this.settle(a, id, err('INVALID_ARGUMENT', '参数无法传递'));
      }
    });
  }

  subscribe(session: ClientSession, listener: EventListener): Disposable {
    const entry = this.sessions.get(session.id);
    if (entry) entry.listener = listener;
    return {
      dispose: () => {
        const current = this.sessions.get(session.id);
        if (current?.listener === listener) current.listener = null;
      },
    };
  }

  /** Resolves true when the core answers a ping within `timeoutMs` (the supervisor's heartbeat). */
  ping(timeoutMs: number): Promise<boolean> {
    const a = this.current;
    if (!a?.ready) return Promise.resolve(false);
    const id = this.nextId++;
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        a.pings.delete(id);
        resolve(false);
      }, timeoutMs);
      a.pings.set(id, (alive) => {
        clearTimeout(timer);
        resolve(alive);
      });
      a.port.post({ t: 'ping', id });
    });
  }

  /** Asks the core to dispose itself; resolves when it says `closed`, or after `timeoutMs` (false). */
  shutdown(timeoutMs: number): Promise<boolean> {
    const a = this.current;
    if (!a) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        a.onClosed = null;
        resolve(false);
      }, timeoutMs);
      a.onClosed = () => {
        clearTimeout(timer);
        resolve(true);
      };
      a.port.post({ t: 'shutdown' });
    });
  }

  /** StationCore's dispose: the shell calls shutdown/stop through its supervisor instead. */
  async dispose(): Promise<void> {
    await this.shutdown(10_000);
    this.detach('disposed');
  }

  private receive(a: Attachment, msg: FromCore): void {
    switch (msg.t) {
      case 'ready':
        if (a.ready) return;
        a.ready = true;
        for (const id of this.sessions.keys()) a.port.post({ t: 'open', session: id });
        a.onReady.resolve({ rendererDir: msg.rendererDir, training: msg.training, stationId: msg.stationId });
        return;
      case 'failed':
        this.log.error(`[relay] the core failed to start: ${msg.message}`);
        a.onReady.reject(new Error(msg.message));
        return;
      case 'result':
        if (!a.calls.has(msg.id)) this.log.warn(`[relay] a result for call ${msg.id} came after its timeout; dropped`);
        this.settle(a, msg.id, msg.result.ok ? { ok: true, value: msg.result.value } : msg.result);
        return;
      case 'event': {
        const listener = this.sessions.get(msg.session)?.listener;
        // Parsed as one of the event names; the payload is the core's own (trusted) value.
        if (listener) listener(msg.event, msg.payload as StationEventMap[StationEventName]);
        return;
      }
      case 'pong': {
        const answer = a.pings.get(msg.id);
        a.pings.delete(msg.id);
        answer?.(true);
        return;
      }
      case 'print':
        void this.print(a, msg.id, msg.html, msg.fileName);
        return;
      case 'closed': {
        const onClosed = a.onClosed;
        a.onClosed = null;
        onClosed?.();
        return;
      }
    }
  }

  private async print(a: Attachment, id: number, html: string, fileName: string): Promise<void> {
    let outcome: { ok: true; pdf: ReceiptPdf } | { ok: false; message: string };
    try {
      if (!this.options.print) throw new Error('本工作站外壳不能生成 PDF');
      const pdf = await this.options.print(html, fileName);
      outcome = { ok: true, pdf: { path: pdf.path, bytes: pdf.bytes } };
    } catch (cause) {
      outcome = { ok: false, message: cause instanceof Error ? cause.message : String(cause) };
    }
    if (this.current === a) a.port.post({ t: 'printed', id, outcome });
  }

  private settle(a: Attachment, id: number, result: Result<unknown>): void {
    const call = a.calls.get(id);
    if (!call) return;
    a.calls.delete(id);
    clearTimeout(call.timer);
    call.resolve(result);
  }
}

function resultIdOf(data: unknown): number | null {
  if (typeof data !== 'object' || data === null) return null;
  const { t, id } = data as { t?: unknown; id?: unknown };
  return t === 'result' && typeof id === 'number' ? id : null;
}
