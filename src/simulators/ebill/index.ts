/** The simulated fiscal e-bill gateway (Bosssoft): its own ledger of bills, red bills and day totals, and faults. */
export {
  EBILL_SIM_SERVICES,
  startEBillSimulator,
  type EBillFaultKind,
  type EBillSimService,
  type EBillSimulator,
  type EBillSimulatorControl,
  type EBillSimulatorOptions,
} from './server';
export type { SimBill, SimBook, SimRedBill } from './ledger';
