/** Shift close (交班) and day close (日结): the service, its handlers and its slips. */
export { ShiftService, hasTill, type ShiftDeps } from './shift-service';
export { shiftSummary, type ShiftWindow } from './shift-summary';
export { shiftHandlers } from './shift-handlers';
