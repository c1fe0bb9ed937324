/**
 * The seam between the station core and its bridges (Electron IPC in src/main, the loopback WebSocket host in
 * src/host). A bridge opens one ClientSession per window / connection, forwards every call with the raw,
 * untrusted input, and forwards the core's events to that client. Validation, role checks and audit happen
 * inside `dispatch`, so every bridge gets them for free.
 */
import type { Result } from '../../shared/result';
import type { StationEventMap, StationEventName } from '../../shared/api';
import type { SignedInOperator } from '../../shared/domain';
import type { Disposable } from '../../shared/lifecycle';

export interface ClientSession {
  readonly id: string;
  /** 'ipc' for an Electron window, 'ws' for a loopback host connection */
  readonly channel: 'ipc' | 'ws';
  operator: SignedInOperator | null;
}

export type EventListener = <E extends StationEventName>(event: E, payload: StationEventMap[E]) => void;

export type { Disposable } from '../../shared/lifecycle';

export interface StationCore {
  openSession(channel: ClientSession['channel']): ClientSession;
  closeSession(session: ClientSession): void;
  /** `op` and `input` come straight from the untrusted side; unknown ops and bad input answer INVALID_ARGUMENT. */
  dispatch(session: ClientSession, op: unknown, input: unknown): Promise<Result<unknown>>;
  /** Events for this client (device status, scans, connectivity, its own session end). */
  subscribe(session: ClientSession, listener: EventListener): Disposable;
  dispose(): Promise<void>;
}
