/**
 * IPC channel names, shared by the preload and the main-process bridge. The names come from the zod-free
 * src/shared/api-names.ts, so the sandboxed preload stays one small bundle.
 */
import { EVENT_NAMES, OPERATION_NAMES, subscriptionName, type OperationName, type StationEventName } from '../shared/api-names';
import type { StationSubscriptions } from '../shared/api';

export const CHANNEL_OPERATIONS: readonly OperationName[] = OPERATION_NAMES;
export const CHANNEL_EVENTS: readonly StationEventName[] = EVENT_NAMES;

export function operationChannel(op: OperationName): `station:${OperationName}` {
  return `station:${op}`;
}

export function eventChannel(event: StationEventName): `station:event:${StationEventName}` {
  return `station:event:${event}`;
}

export function subscriptionKey(event: StationEventName): keyof StationSubscriptions {
  return subscriptionName(event);
}
