/**
 * The loopback WebSocket wire protocol between a browser page and the station host (src/host). The Electron
 * shell does not use it: there the preload exposes the StationApi directly.
 *
 * Connection
 *   The host opens the page as `http://127.0.0.1:<port>/<path>#code=<launch code>` (a browser's command line is
 *   readable by every local process, so it never carries the token). The page takes the code out of the
 *   fragment (fragments never reach server logs or the Referer header), removes it from the address bar,
 *   trades it once with `POST /session` (same Origin) for the token, and connects to
 *   `ws://<location.host>/station?token=<token>`. The host checks the token and the Origin
 *   during the HTTP upgrade and refuses a bad one there (401/403), so an unauthenticated socket never exists.
 *   Each connection is one core session: a reconnect starts signed out unless the host restores the session.
 *
 * Messages: one JSON object per text frame.
 *   client -> server  { "t": "call",   "id": number, "op": OperationName, "input": unknown }
 *   server -> client  { "t": "result", "id": number, "result": Result }      exactly one per call, same id
 *   server -> client  { "t": "event",  "event": StationEventName, "payload": unknown }
 *   `id` is chosen by the client and never reused while the page lives. The server answers every call with
 *   a Result — an unknown `op` or bad `input` is the core's INVALID_ARGUMENT, never a dropped call — and
 *   pushes every event of the session; the client filters events to its own listeners, so there is no
 *   subscribe message. A frame that is not a call envelope cannot be answered: the server closes the socket
 *   with 1008 (policy violation). The client ignores (and logs) frames it cannot read, e.g. an event name a
 *   newer host added.
 */
import { z } from 'zod';
import { EVENT_NAMES, type OperationName, type StationEventName } from './api';
import { ERROR_CODES, type Result } from './result';

export const STATION_SOCKET_PATH = '/station';
export const TOKEN_PARAM = 'token';
/**
 * The launch page carries a one-time code, not the token: the browser's command line (`--app=URL`) is visible
 * to every process on the machine. The page trades the code here (POST, same Origin) for the session token;
 * the code is then spent.
 */
export const LAUNCH_CODE_PARAM = 'code';
export const SESSION_PATH = '/session';
export const SessionAnswerSchema = z.object({ token: z.string().min(16) }).strict();

export interface CallMessage {
  t: 'call';
  id: number;
  op: OperationName;
  input: unknown;
}

export interface ResultMessage {
  t: 'result';
  id: number;
  result: Result<unknown>;
}

export interface EventMessage {
  t: 'event';
  event: StationEventName;
  payload: unknown;
}

export type ServerMessage = ResultMessage | EventMessage;

/** A call as the server receives it: the envelope is checked, `op` and `input` are left to the core's dispatch. */
export interface ReceivedCall {
  t: 'call';
  id: number;
  op: string;
  /** absent when the client sent `undefined` (JSON drops the key); the core treats it as `{}` */
  input?: unknown;
}

const MessageId = z.number().int().nonnegative();

const ResultSchema = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({
    ok: z.literal(false),
    // A code this build does not know still reaches the screen as a failure instead of a hung call.
    error: z.object({ code: z.enum(ERROR_CODES).catch('INTERNAL'), message: z.string() }),
  }),
]);

const ServerMessageSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('result'), id: MessageId, result: ResultSchema }),
  z.object({ t: z.literal('event'), event: z.enum(EVENT_NAMES), payload: z.unknown() }),
]);

const ReceivedCallSchema = z.object({
  t: z.literal('call'),
  id: MessageId,
  op: z.string(),
  input: z.unknown().optional(),
});

export function stationSocketUrl(host: string, token: string): string {
  return `ws://${host}${STATION_SOCKET_PATH}?${new URLSearchParams({ [TOKEN_PARAM]: token }).toString()}`;
}

/** `null` for anything that is not a well-formed server message. */
export function parseServerMessage(text: string): ServerMessage | null {
  const parsed = ServerMessageSchema.safeParse(parseJson(text));
  return parsed.success ? parsed.data : null;
}

/** The server's half; `null` for anything that is not a call envelope. */
export function parseCall(text: string): ReceivedCall | null {
  const parsed = ReceivedCallSchema.safeParse(parseJson(text));
  return parsed.success ? parsed.data : null;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Largest client frame the host accepts; calls are small JSON objects. */
export const MAX_CLIENT_FRAME_BYTES = 64 * 1024;
