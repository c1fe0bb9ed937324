/** What the inpatient movements need: the centre and the rows their final states write. */
import type { HisWardClient } from '../../../insurance/his';
import type { CentrePort, PaymentPort } from '../../ports';
import type { StaysRepo } from '../stays-repo';

export interface InpatientMovementDeps {
  gateway: CentrePort;
  his: Pick<HisWardClient, 'settle' | 'settlement' | 'refundDeposit' | 'depositRefund'>;
  pay: Pick<PaymentPort, 'refund' | 'refundQuery'>;
  stays: StaysRepo;
  newMsgid: () => string;
  now: () => Date;
}
