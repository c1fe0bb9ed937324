/**
 * The relay protocol: how the Electron main process talks to the station core running in a utility process,
 * over one MessagePort (Electron's MessageChannelMain; in tests node:worker_threads' MessageChannel). It is
 * transport-agnostic: plain structured-clonable objects, one `t` tag each, checked with zod on *both* sides —
 * whatever arrives on a port is parsed before it is acted on, and anything that does not parse is rejected.
 *
 * main → core
 *   open  {session}                       a window's ClientSession begins (channel 'ipc')
 *   close {session}                       … and ends (window destroyed, bridge disposed)
 *   call  {id, session, op, input}        one StationApi call; `op`/`input` stay untrusted: the core's
 *                                         Dispatcher validates them exactly as for the loopback host
 *   ping  {id}                            heartbeat; the core answers pong {id}
 *   printed {id, outcome}                 the answer to a print request (below)
 *   shutdown                              dispose the core, answer `closed`, exit
 * core → main
 *   ready {rendererDir, training, stationId}   composed and serving (or failed {message}: it will exit)
 *   result {id, result}                   the Result of call {id}
 *   event {session, event, payload}       a core event for that session's window
 *   pong {id}
 *   print {id, html, fileName}            a slip to print: the Electron shell prints with its own Chromium
 *                                         (a hidden window), which only the main process can open
 *   closed                                the core is disposed
 *
 * The handshake that delivers the port is separate (Electron's parentPort): `start {dataDir, training}` with
 * the port transferred alongside.
 */
import { z } from 'zod';
import { EVENT_NAMES } from '../../shared/api-names';
import { ERROR_CODES } from '../../shared/result';

const Id = z.number().int().nonnegative();
const SessionId = z.string().min(1).max(64);

export const ResultSchema = z.union([
  // `.optional()`: an `ok(undefined)` whose key a sender dropped is still a success.
  z.object({ ok: z.literal(true), value: z.unknown().optional() }),
  z.object({
    ok: z.literal(false),
    // A code this build does not know still reaches the window as a failure instead of a hung call.
    error: z.object({ code: z.enum(ERROR_CODES).catch('INTERNAL'), message: z.string() }),
  }),
]);

export const ToCoreSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('open'), session: SessionId }),
  z.object({ t: z.literal('close'), session: SessionId }),
  z.object({ t: z.literal('call'), id: Id, session: SessionId, op: z.string().max(100), input: z.unknown().optional() }),
  z.object({ t: z.literal('ping'), id: Id }),
  z.object({
    t: z.literal('printed'),
    id: Id,
    outcome: z.union([
      z.object({ ok: z.literal(true), pdf: z.object({ path: z.string(), bytes: z.number().int().nonnegative() }) }),
      z.object({ ok: z.literal(false), message: z.string() }),
    ]),
  }),
  z.object({ t: z.literal('shutdown') }),
]);
export type ToCore = z.infer<typeof ToCoreSchema>;

export const FromCoreSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('ready'), rendererDir: z.string(), training: z.boolean(), stationId: z.string() }),
  z.object({ t: z.literal('failed'), message: z.string() }),
  z.object({ t: z.literal('result'), id: Id, result: ResultSchema }),
  z.object({ t: z.literal('event'), session: SessionId, event: z.enum(EVENT_NAMES), payload: z.unknown().optional() }),
  z.object({ t: z.literal('pong'), id: Id }),
  z.object({ t: z.literal('print'), id: Id, html: z.string(), fileName: z.string() }),
  z.object({ t: z.literal('closed') }),
]);
export type FromCore = z.infer<typeof FromCoreSchema>;

/** The first message on the utility process's parentPort; the relay's port travels with it. */
export const StartSchema = z.object({
  t: z.literal('start'),
  dataDir: z.string().min(1),
  /** true: training whatever the data dir holds; false: training only when it holds no station.config.json */
  training: z.boolean(),
});
export type StartMessage = z.infer<typeof StartSchema>;

/**
 * One end of the relay, whatever carries it. Electron's MessagePortMain hands listeners a MessageEvent
 * (`e.data`), Node's MessagePort the data itself: the adapters below (and the shell's) smooth that over.
 */
export interface RelayPort {
  post(message: FromCore | ToCore): void;
  onMessage(listener: (data: unknown) => void): void;
  /** The other end went away (its process exited or closed the port). */
  onClose(listener: () => void): void;
  close(): void;
}

/** The shape of Electron's MessagePortMain, structurally (so src/app needs no `electron`). */
export interface MessageEventPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  start(): void;
  close(): void;
}

export function messageEventPort(port: MessageEventPort): RelayPort {
  const relay: RelayPort = {
    post: (message) => port.postMessage(message),
    onMessage: (listener) => void port.on('message', (e) => listener(e.data)),
    onClose: (listener) => void port.on('close', listener),
    close: () => port.close(),
  };
  port.start();
  return relay;
}

/** The shape of node:worker_threads' MessagePort (used by the tests' fake port pair). */
export interface DataPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (data: unknown) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  close(): void;
}

export function dataPort(port: DataPort): RelayPort {
  return {
    post: (message) => port.postMessage(message),
    onMessage: (listener) => void port.on('message', listener),
    onClose: (listener) => void port.on('close', listener),
    close: () => port.close(),
  };
}

/** A short description of what failed to parse, for the log (never the message itself: it may hold patient data). */
export function describeRejection(data: unknown, error: z.ZodError): string {
  const tag = typeof data === 'object' && data !== null && 't' in data ? String((data as { t: unknown }).t).slice(0, 20) : typeof data;
  const where = error.issues[0] ? `${error.issues[0].path.join('.') || '(root)'}: ${error.issues[0].message}` : 'invalid';
  return `${tag} — ${where}`;
}
