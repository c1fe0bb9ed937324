/** A saga's next-step table, shared by the outpatient saga and the ones after it. */
export { actionableStates, nextStep, type NextStepRule, type NextStepTable } from './next-step';
