/**
 * The core's end of the relay (runs in the utility process): parses every message from the main process,
 * opens one ClientSession per window session, hands each call to the same `core.dispatch` (the Dispatcher)
 * the loopback host uses, and pushes each session's events back. It also lends the core a ReceiptPdfPrinter
 * that asks the main process to print (only it can open the hidden window that prints a slip).
 */
import { err, type Result } from '../../shared/result';
import type { ClientSession, Disposable, StationCore } from '../../station/api/core-contract';
import type { ReceiptPdf, ReceiptPdfPrinter } from '../../station/receipts/receipt-pdf';
import { describeRejection, ToCoreSchema, type FromCore, type RelayPort, type ToCore } from './protocol';

export interface RelayLogger {
  warn(message: string): void;
  error(message: string, cause?: unknown): void;
}

export interface ReadyInfo {
  rendererDir: string;
  training: boolean;
  stationId: string;
}

export interface CoreServer {
  /** Prints through the main process; give it to the composition root as the receipt printer. */
  readonly printer: ReceiptPdfPrinter;
  /** Composed: from now on calls reach `core` (messages that came before are handled now, in order). */
  serve(core: StationCore, info: ReadyInfo): void;
  /** Composition failed: the main process is told why (the process then exits). */
  fail(message: string): void;
  /** The main process asked for a shutdown: `dispose` the core; `closed` is sent when it resolves. */
  onShutdown(handler: () => Promise<void>): void;
  /** The main process went away (its end of the port closed). */
  onDisconnect(handler: () => void): void;
}

interface Served {
  core: StationCore;
  sessions: Map<string, { session: ClientSession; events: Disposable }>;
}

export function createCoreServer(port: RelayPort, opts: { log?: RelayLogger; printTimeoutMs?: number } = {}): CoreServer {
  const log = opts.log ?? console;
  const printTimeoutMs = opts.printTimeoutMs ?? 60_000;
  const early: ToCore[] = [];
  const prints = new Map<number, { resolve(pdf: ReceiptPdf): void; reject(e: Error): void; timer: NodeJS.Timeout }>();
  let served: Served | null = null;
  let nextPrintId = 1;
  let shutdownHandler: () => Promise<void> = async () => {};
  let disconnectHandler: () => void = () => {};
  let shuttingDown = false;

  const post = (message: FromCore) => {
    try {
      port.post(message);
    } catch (cause) {
      // A value that cannot be cloned (a bug in a handler): the window still gets an answer.
      log.error(`[relay] cannot send ${message.t}`, cause);
      if (message.t === 'result') port.post({ t: 'result', id: message.id, result: err('INTERNAL', '内部错误') });
    }
  };

  function handle(s: Served, msg: ToCore): void {
    switch (msg.t) {
      case 'open': {
        if (s.sessions.has(msg.session)) return;
        const session = s.core.openSession('ipc');
        const events = s.core.subscribe(session, (event, payload) => post({ t: 'event', session: msg.session, event, payload }));
        s.sessions.set(msg.session, { session, events });
        return;
      }
      case 'close': {
        const entry = s.sessions.get(msg.session);
        if (!entry) return;
        s.sessions.delete(msg.session);
        entry.events.dispose();
        s.core.closeSession(entry.session);
        return;
      }
      case 'call': {
        const entry = s.sessions.get(msg.session);
        if (!entry) {
          post({ t: 'result', id: msg.id, result: err('INTERNAL', '会话不存在') });
          return;
        }
        const answer = (result: Result<unknown>) => post({ t: 'result', id: msg.id, result });
        s.core.dispatch(entry.session, msg.op, msg.input).then(answer, (cause: unknown) => {
          // dispatch answers with Results; a throw is a bug, and its text must not reach the page.
          log.error(`[relay] ${msg.op} threw`, cause);
          answer(err('INTERNAL', '内部错误'));
        });
        return;
      }
      case 'ping':
        post({ t: 'pong', id: msg.id });
        return;
      case 'printed': {
        const pending = prints.get(msg.id);
        if (!pending) return;
        prints.delete(msg.id);
        clearTimeout(pending.timer);
        if (msg.outcome.ok) pending.resolve(msg.outcome.pdf);
        else pending.reject(new Error(msg.outcome.message));
        return;
      }
      case 'shutdown': {
        if (shuttingDown) return;
        shuttingDown = true;
        for (const [id, entry] of s.sessions) {
          s.sessions.delete(id);
          entry.events.dispose();
          s.core.closeSession(entry.session);
        }
        shutdownHandler()
          .catch((cause: unknown) => log.error('[relay] shutdown failed', cause))
          .finally(() => post({ t: 'closed' }));
        return;
      }
    }
  }

  port.onMessage((data) => {
    const parsed = ToCoreSchema.safeParse(data);
    if (!parsed.success) {
      log.warn(`[relay] rejected a malformed message from main: ${describeRejection(data, parsed.error)}`);
      const id = callIdOf(data);
      if (id !== null) post({ t: 'result', id, result: err('INVALID_ARGUMENT', '消息格式错误') });
      return;
    }
    // Print answers and pings need no core; everything else waits until it is composed.
    if (!served && parsed.data.t !== 'printed' && parsed.data.t !== 'ping') {
      early.push(parsed.data);
      return;
    }
    if (!served) {
      handle({ core: NO_CORE, sessions: new Map() }, parsed.data);
      return;
    }
    handle(served, parsed.data);
  });
  port.onClose(() => {
    for (const [id, pending] of prints) {
      prints.delete(id);
      clearTimeout(pending.timer);
      pending.reject(new Error('工作站主进程已退出'));
    }
    disconnectHandler();
  });

  const printer: ReceiptPdfPrinter = {
    print: (html, fileName) =>
      new Promise<ReceiptPdf>((resolve, reject) => {
        const id = nextPrintId++;
        const timer = setTimeout(() => {
          prints.delete(id);
          reject(new Error(`生成 PDF 超时（${printTimeoutMs} ms）`));
        }, printTimeoutMs);
        prints.set(id, { resolve, reject, timer });
        post({ t: 'print', id, html, fileName });
      }),
  };

  return {
    printer,
    serve(core, info) {
      if (served) throw new Error('the relay already serves a core');
      served = { core, sessions: new Map() };
      post({ t: 'ready', ...info });
      for (const msg of early.splice(0)) handle(served, msg);
    },
    fail(message) {
      post({ t: 'failed', message });
    },
    onShutdown(handler) {
      shutdownHandler = handler;
    },
    onDisconnect(handler) {
      disconnectHandler = handler;
    },
  };
}

function callIdOf(data: unknown): number | null {
  if (typeof data !== 'object' || data === null) return null;
  const { t, id } = data as { t?: unknown; id?: unknown };
  return t === 'call' && typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? id : null;
}

/** Stands in before composition for the messages that need no core (never called). */
const NO_CORE: StationCore = {
  openSession: () => {
    throw new Error('no core yet');
  },
  closeSession: () => {},
  dispatch: async () => err('INTERNAL', '工作站核心正在启动'),
  subscribe: () => ({ dispose() {} }),
  dispose: async () => {},
};
