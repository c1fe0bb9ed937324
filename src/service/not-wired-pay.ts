/**
 * The mobile-pay port until the composition root wires the NHSA mobile-payment channel (src/station/mobile-pay):
 * nothing is paid, the phone is told to settle at the window. Never "paid" by default.
 */
import type { MobilePayPort } from './ports';

const NOT_WIRED = '医保移动支付通道尚未接入，请到住院收费处办理出院结算';

export const NOT_WIRED_PAY: MobilePayPort = {
  prepare: () => Promise.resolve({ kind: 'failed', reason: NOT_WIRED }),
  pay: (_o, payOrderId) => Promise.resolve({ kind: 'failed', payOrderId, reason: NOT_WIRED }),
  query: (_s, payOrderId) => Promise.resolve({ kind: 'failed', payOrderId, reason: NOT_WIRED }),
  refund: () => Promise.resolve({ kind: 'refused', reason: NOT_WIRED }),
};
