/** The outbox: intents recorded before a remote call, movements that know how to query and compensate them. */
export { NEVER_UNDONE_QUERY_TIMING } from './movement';
export { DEFAULT_OUTBOX_POLICY, OrderLockedError, Outbox, type OutboxPolicy, type RunResult } from './outbox';
export type { OutboxEvents } from './outbox-events';
export { IntentsRepo, OPEN_STATES, type IntentRecord, type IntentState } from './intents-repo';
export { toIntentView } from './intent-view';
export { intentHandlers } from './intent-handlers';
export type {
  CompensationOutcome,
  FinalMovement,
  FinalState,
  Finished,
  IntentContext,
  Movement,
  QueryOutcome,
  QueryTiming,
  RemoteOutcome,
} from './movement';
