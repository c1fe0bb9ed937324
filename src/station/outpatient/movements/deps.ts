/** What the outpatient movements need: the remotes they call and the rows their final states write. */
import type { CentrePort, HisPort, MessagePort, PaymentPort } from '../../ports';
import type { StationIds } from '../../ids';
import type { OrderEffectsDeps } from '../order-effects';

export interface OutpatientMovementDeps extends OrderEffectsDeps {
  gateway: CentrePort;
  his: HisPort;
  pay: PaymentPort;
  /** The patient-message gateway (HX-27); absent: no message movement is registered. */
  messageClient: MessagePort | null;
  newMsgid: () => string;
  ids: StationIds;
  /** How often a QR on the screen is asked after. */
  qrPollEveryMs: number;
}
