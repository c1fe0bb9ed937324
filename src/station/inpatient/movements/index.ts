/** The inpatient movements, one module each; the inpatient service registers them with the outbox. */
import type { Movement } from '../../outbox';
import { admissionMovement } from './admission';
import type { InpatientMovementDeps } from './deps';
import { feeBatchMovement } from './fee-batch';

export type { InpatientMovementDeps } from './deps';
export { AdmissionPayload } from './admission';
export { FeeBatchPayload } from './fee-batch';

export function inpatientMovements(d: InpatientMovementDeps): Movement<never, never>[] {
  return [admissionMovement(d), feeBatchMovement(d)] as unknown as Movement<never, never>[];
}
