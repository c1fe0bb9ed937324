/** What the inpatient movements need: the centre and the rows their final states write. */
import type { HisWardClient } from '../../../insurance/his';
import type { CentrePort, PaymentPort } from '../../ports';
import type { StayPaymentsRepo } from '../stay-payments-repo';
import type { StaysRepo } from '../stays-repo';

export interface InpatientMovementDeps {
  gateway: CentrePort;
  his: Pick<HisWardClient, 'settle' | 'settlement' | 'cancelSettlement' | 'refundDeposit' | 'depositRefund' | 'insure'>;
  pay: PaymentPort;
  stays: StaysRepo;
  /** The shortfall's payment attempts at the bedside. */
  payments: StayPaymentsRepo;
  /** How often a QR on the nurse's screen is asked after. */
  qrPollEveryMs: number;
  newMsgid: () => string;
  now: () => Date;
}
