/**
 * Electron IPC in front of the StationCore (VS Code's `validatedIpcMain`): one `ipcMain.handle` per
 * operation, and per call the sender frame must be the main frame of an app:// page. Each window
 * (webContents) is one ClientSession, opened on its first trusted call and closed when the webContents is
 * destroyed; the core's events for that session go back to that window only. Schema validation, role
 * checks and audit happen in `core.dispatch`, so this file adds no business rule.
 *
 * Electron is reached only through the structural types below (ipcMain and IpcMainInvokeEvent satisfy
 * them), so the bridge is unit-tested with fakes and no Electron binary.
 */
import { OPERATION_NAMES, type OperationName } from '../shared/api';
import { err, type Result } from '../shared/result';
import type { ClientSession, Disposable, StationCore } from '../station/api/core-contract';
import { eventChannel, operationChannel } from './channels';
import { isTrustedSender } from './policy';

export interface BridgeFrame {
  readonly url: string;
  readonly parent: BridgeFrame | null;
}

export interface BridgeWebContents {
  readonly id: number;
  isDestroyed(): boolean;
  send(channel: string, ...args: unknown[]): void;
  once(event: 'destroyed', listener: () => void): unknown;
}

export interface BridgeInvokeEvent {
  readonly sender: BridgeWebContents;
  /** null when the frame has already navigated away or been destroyed */
  readonly senderFrame: BridgeFrame | null;
}

export interface BridgeIpcMain {
  handle(channel: string, listener: (event: BridgeInvokeEvent, ...args: unknown[]) => Promise<Result<unknown>>): void;
  removeHandler(channel: string): void;
}

export interface BridgeLogger {
  warn(message: string): void;
  error(message: string, cause?: unknown): void;
}

interface WindowSession {
  session: ClientSession;
  events: Disposable;
}

export interface IpcBridge extends Disposable {
  /**
   * An operation on behalf of a window, in that window's session (its operator, its role checks): for the shell's
   * own channels (print-ipc.ts), which have already checked the sender.
   */
  dispatchFor(sender: BridgeWebContents, op: OperationName, input: unknown): Promise<Result<unknown>>;
}

export function registerIpcBridge(core: StationCore, ipc: BridgeIpcMain, log: BridgeLogger = console): IpcBridge {
  const windows = new Map<number, WindowSession>();
  let disposed = false;

  function close(id: number): void {
    const entry = windows.get(id);
    if (!entry) return;
    windows.delete(id);
    entry.events.dispose();
    core.closeSession(entry.session);
  }

  function sessionFor(contents: BridgeWebContents): ClientSession {
    const existing = windows.get(contents.id);
    if (existing) return existing.session;
    const session = core.openSession('ipc');
    const events = core.subscribe(session, (event, payload) => {
      if (!contents.isDestroyed()) contents.send(eventChannel(event), payload);
    });
    windows.set(contents.id, { session, events });
    contents.once('destroyed', () => close(contents.id));
    return session;
  }

  async function handle(op: OperationName, event: BridgeInvokeEvent, args: unknown[]): Promise<Result<unknown>> {
    const frame = event.senderFrame;
    if (!isTrustedSender(frame?.url, frame !== null && frame.parent === null)) {
      log.warn(`[ipc] refused ${op} from untrusted frame ${frame?.url ?? '(gone)'} of webContents ${event.sender.id}`);
      return err('FORBIDDEN', '请求来源不可信');
    }
    // The preload always sends exactly one argument; anything else did not come through it.
    if (args.length !== 1) return err('INVALID_ARGUMENT', '参数个数错误');
    if (disposed || event.sender.isDestroyed()) return err('INTERNAL', '工作站正在退出');
    const session = sessionFor(event.sender);
    try {
      return await core.dispatch(session, op, args[0]);
    } catch (cause) {
      // dispatch answers with Results; a throw is a bug, and its text must not reach the page.
      log.error(`[ipc] ${op} threw`, cause);
      return err('INTERNAL', '内部错误');
    }
  }

  for (const op of OPERATION_NAMES) {
    ipc.handle(operationChannel(op), (event, ...args) => handle(op, event, args));
  }

  return {
    async dispatchFor(sender, op, input) {
      if (disposed || sender.isDestroyed()) return err('INTERNAL', '工作站正在退出');
      try {
        return await core.dispatch(sessionFor(sender), op, input);
      } catch (cause) {
        log.error(`[ipc] ${op} threw`, cause);
        return err('INTERNAL', '内部错误');
      }
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const op of OPERATION_NAMES) ipc.removeHandler(operationChannel(op));
      for (const id of [...windows.keys()]) close(id);
    },
  };
}
