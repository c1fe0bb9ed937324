/** Patient self-service at a face terminal (HX-T1): the runner, its ports and its reports. */
export { SELF_SERVICE_OPERATOR, type SelfServiceDevices, type SelfServicePort } from './ports';
export { DEFAULT_STEP_TIMEOUT_MS, SelfServiceRunner, type ActiveSelfService, type SelfServiceRunnerOptions } from './self-service-runner';
export {
  SELF_SERVICE_PHASES,
  SELF_SERVICE_TEXT,
  type SelfServiceOutcome,
  type SelfServicePhase,
  type SelfServiceReport,
} from './self-service-session';
