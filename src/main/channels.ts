/**
 * IPC channel names, shared by the preload and the main-process bridge.
 *
 * The preload must stay small and dependency-free (a sandboxed preload is one bundled file), but
 * `OPERATION_NAMES` lives next to the zod schemas in src/shared/api.ts, and importing it would bundle
 * ~440 kB of zod into every window. So the names are restated here as records that `satisfies` a
 * `Record<Name, true>`: tsc fails if an operation or event is missing *or* extra, and channels.test.ts
 * checks the order-free equality at run time as well.
 */
import type { OperationName, StationEventName, StationSubscriptions } from '../shared/api';

const OPERATIONS = {
  stationInfo: true,
  login: true,
  logout: true,
  currentOperator: true,
  listDevices: true,
  getConnectivity: true,
  identifyPatient: true,
  listOperators: true,
  listAudit: true,
} as const satisfies Record<OperationName, true>;

const EVENTS = {
  deviceStatus: true,
  deviceWarning: true,
  scan: true,
  connectivity: true,
  sessionEnded: true,
} as const satisfies Record<StationEventName, true>;

export const CHANNEL_OPERATIONS = Object.keys(OPERATIONS) as OperationName[];
export const CHANNEL_EVENTS = Object.keys(EVENTS) as StationEventName[];

export function operationChannel(op: OperationName): `station:${OperationName}` {
  return `station:${op}`;
}

export function eventChannel(event: StationEventName): `station:event:${StationEventName}` {
  return `station:event:${event}`;
}

/** `scan` -> `onScan`; the same rule as `subscriptionName` in src/shared/api.ts (asserted by the test). */
export function subscriptionKey(event: StationEventName): keyof StationSubscriptions {
  return `on${event[0]!.toUpperCase()}${event.slice(1)}` as keyof StationSubscriptions;
}
