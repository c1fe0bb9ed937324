/** The simulated HIS integration gateway: patients, prescriptions, settle confirm, settlement details. */
export {
  startHis,
  type HisBooking,
  type HisBooks,
  type HisControl,
  type HisOptions,
  type HisRequestLogEntry,
  type HisSimulator,
  type Prescribe,
} from './server';
export { CATALOGUE, DEPARTMENTS, PATIENTS, lineAmountFen, type CatalogueItem } from './seed';
export { TRAINING_SCENARIOS, scenarioOf, type TrainingScenario } from './scenario-orders';
export type { OrderRow, OrderState, PatientRow, SettlementRow } from './ledger';
