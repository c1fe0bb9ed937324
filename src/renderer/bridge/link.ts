/**
 * The state of the renderer's link to the station core. The Electron preload is always open; the WebSocket
 * client connects, drops and reconnects, and the screens show it.
 */
import type { Unsubscribe } from '../../shared/api';

/** connecting: before the first connection; reconnecting: a connection was lost and is being retried. */
export type BridgeLinkState = 'connecting' | 'open' | 'reconnecting';

export interface BridgeLinkSnapshot {
  readonly state: BridgeLinkState;
  /** How many times the link has opened. A new value means a new core session: events may have been missed. */
  readonly opens: number;
}

/** A small external store, shaped for React's useSyncExternalStore. */
export interface BridgeLink {
  current(): BridgeLinkSnapshot;
  subscribe(listener: () => void): Unsubscribe;
}

/** The Electron preload: open from the start, for the window's whole life. */
export function alwaysOpenLink(): BridgeLink {
  const snapshot: BridgeLinkSnapshot = { state: 'open', opens: 1 };
  return { current: () => snapshot, subscribe: () => () => {} };
}

/** A link whose snapshot the owner replaces; listeners are told after each change. */
export function mutableLink(initial: BridgeLinkSnapshot): BridgeLink & { set(next: BridgeLinkSnapshot): void } {
  let snapshot = initial;
  const listeners = new Set<() => void>();
  return {
    current: () => snapshot,
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    set(next) {
      if (next.state === snapshot.state && next.opens === snapshot.opens) return;
      snapshot = next;
      for (const listener of [...listeners]) listener();
    },
  };
}
