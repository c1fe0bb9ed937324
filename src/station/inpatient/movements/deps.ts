/** What the inpatient movements need: the centre and the rows their final states write. */
import type { CentrePort } from '../../ports';
import type { StaysRepo } from '../stays-repo';

export interface InpatientMovementDeps {
  gateway: CentrePort;
  stays: StaysRepo;
  newMsgid: () => string;
  now: () => Date;
}
