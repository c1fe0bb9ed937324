/** What the outpatient movements need: the remotes they call and the rows their final states write. */
import type { CardTerminalPort, CentrePort, HisPort, MessagePort, PaymentPort } from '../../ports';
import type { StationIds } from '../../ids';
import type { OrderEffectsDeps } from '../order-effects';

export type LostRegistration = 'query-and-cancel' | 'reverse-2601';

export interface OutpatientMovementDeps extends OrderEffectsDeps {
  gateway: CentrePort;
  his: HisPort;
  pay: PaymentPort;
  /** The patient-message gateway (HX-27); absent: no message movement is registered. */
  messageClient: MessagePort | null;
  newMsgid: () => string;
  ids: StationIds;
  /**
   * How a lost 2201 is undone: by default 5201 (find the visit by its HIS order number) and 2202; 'reverse-2601'
   * only where the province lets 2601 reverse 2201 (nhsa.lostRegistration).
   */
  lostRegistration?: LostRegistration;
  /** How often a QR on the screen is asked after. */
  qrPollEveryMs: number;
  /** The window's bank-card POS terminal; null where none is configured (a card sale is then refused). */
  cardTerminal?: CardTerminalPort | null;
}
