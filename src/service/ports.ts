/**
 * What the settlement service needs from the outside, as ports: the NHSA mobile-payment channel (医保移动支付,
 * built apart in src/station/mobile-pay and wired by the composition root) and where its records live. Tests use
 * doubles; the service never knows which channel or which store it has.
 */
/** The bill a phone settles: the stay at the centre and the shares its pre-settlement priced (integer fen). */
export interface MobilePayOrder {
  /** The service's settlement id, fixed before the first call: the channel books each id once. */
  settlementId: string;
  stayId: string;
  iptNo: string;
  mdtrtId: string;
  psnNo: string;
  medfeeFen: number;
  fundFen: number;
  acctFen: number;
  cashFen: number;
  /** The e-voucher authorisation the phone obtained (HM-01): the channel exchanges it for the payer's identity. */
  payAuthNo: string;
}

/** A channel's answer about a pay order: settled, refused (nothing moved), or not known yet (ask again). */
export type MobilePayState =
  | { kind: 'paid'; payOrderId: string; setlId: string; paidAt: string }
  | { kind: 'failed'; payOrderId: string | null; reason: string }
  | { kind: 'unknown'; payOrderId: string | null; detail: string }
  /** Paid, then refunded without the phone's application: the window undid the discharge by the phone's refund (HM-07). */
  | { kind: 'refunded'; payOrderId: string; detail: string };

export type MobileRefundState =
  { kind: 'refunded'; refundId: string; refundedAt: string } | { kind: 'refused'; reason: string } | { kind: 'unknown'; detail: string };

export interface MobilePayPort {
  /** 6201: the fees uploaded and a pay order created; returns its id. */
  prepare(order: MobilePayOrder): Promise<{ kind: 'ok'; payOrderId: string } | { kind: 'failed'; reason: string }>;
  /** 6202: insurance and self-pay in one step. A lost answer is settled by query, never paid twice. */
  pay(order: MobilePayOrder, payOrderId: string): Promise<MobilePayState>;
  /** 6301: the pay order's result. */
  query(settlementId: string, payOrderId: string): Promise<MobilePayState>;
  /**
   * 6203: the insurance part reversed and the self-pay part back to the wallet it came from. Once per
   * applicationId: asked again with the same id (after an unknown answer) it answers what happened, never refunds twice.
   */
  refund(r: {
    settlementId: string;
    payOrderId: string;
    applicationId: string;
    reason: string;
    cashFen: number;
  }): Promise<MobileRefundState>;
}
