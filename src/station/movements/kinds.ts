/**
 * The one vocabulary of movement kinds: every call that moves money or insurance state has exactly one kind,
 * named `<remote>.<operation>`, stored with its intent. A workflow refers to kinds only through this table.
 */
export const MOVEMENT_KINDS = {
  // NHSA outpatient (two-ends interface)
  registration: 'nhsa.2201',
  registrationCancel: 'nhsa.2202',
  fees: 'nhsa.2204',
  feesCancel: 'nhsa.2205',
  settlement: 'nhsa.2207',
  settlementCancel: 'nhsa.2208',
  // NHSA inpatient (住院): admission and its cancel, fee lines uploaded in batches during the stay
  admission: 'nhsa.2401',
  admissionCancel: 'nhsa.2404',
  inpatientFees: 'nhsa.2301',
  // ... and a line HIS took back after it was uploaded, cancelled at the centre by its feedetl_sn
  inpatientFeeCancel: 'nhsa.2302',
  discharge: 'nhsa.2402',
  // 转科/转床 or a changed admission diagnosis, told to the centre (no money moves)
  admissionChange: 'nhsa.2403',
  dischargeCancel: 'nhsa.2405',
  inpatientSettlement: 'nhsa.2304',
  inpatientSettlementCancel: 'nhsa.2305',
  // 自费转医保: a self-pay stay registered at the centre late, then turned insured at HIS
  hisWardInsure: 'his.ward-insure',
  // HIS's inpatient booking of a discharge settlement (deposits applied)
  hisWardSettle: 'his.ward-settle',
  // ... and its cancel, when the window undoes the discharge settlement
  hisWardSettleCancel: 'his.ward-settle-cancel',
  // A discharge's surplus deposit back on its channel, then recorded at HIS
  depositChannelRefund: 'pay.deposit-refund',
  depositRecord: 'his.deposit-refund',
  // A surplus the bedside sent to the window, paid out in cash from the cashier's drawer (then recorded at HIS)
  depositCashRefund: 'cash.deposit-refund',
  // A discharge's shortfall collected at the bedside: the patient's payment code or a QR on the nurse's screen
  wardMicropay: 'pay.ward-micropay',
  wardQr: 'pay.ward-qr',
  // HIS bookings
  hisConfirm: 'his.confirm',
  hisSelfPay: 'his.selfpay',
  // The unified payment platform (WeChat / Alipay)
  micropay: 'pay.micropay',
  qr: 'pay.qr',
  // Cash at the window: local, no remote, the same intent → final shape
  cash: 'cash.take',
  cashRefund: 'cash.refund',
  // The bank-card POS terminal on the window's serial line
  cardSale: 'pos.sale',
  cardRefund: 'pos.refund',
  // The patient-message gateway
  push: 'msg.push',
  // The refund of a completed bill (退费): HIS's application (or its withdrawal), the centre's 2208, the money back
  // on its channel, HIS's confirmation (its settle.cancel)
  refundApply: 'his.refund-apply',
  refundWithdraw: 'his.refund-withdraw',
  refundSettlementCancel: 'nhsa.2208-refund',
  payRefund: 'pay.refund',
  refundConfirm: 'his.refund-confirm',
  // A partial refund (部分退费): the remaining lines uploaded and settled again after the 2208 and 2205
  refundFees: 'nhsa.2204-refund',
  refundSettlement: 'nhsa.2207-refund',
  mobileUpload: 'mobile.6201',
  mobilePay: 'mobile.6202',
  mobileRefund: 'mobile.6203',
  mobileCancel: 'mobile.6401',
  // a bill the centre settled outside the station's own 6202 (the patient paid in the NHSA app): its callback, then 6301
  mobileCentrePaid: 'mobile.6301-paid',
  mobileWardSettle: 'his.mobile-ward-settle',
  mobileClinicSettle: 'his.mobile-clinic-settle',
  mobileClinicCancel: 'his.mobile-clinic-cancel',
  // the discharge booking's cancel, when the phone applies for a refund after HIS booked it
  mobileWardCancel: 'his.mobile-ward-cancel',
  // The fiscal e-bill of a booked settlement (财政电子票据) and its red-flush after a refund: no money moves
  ebillIssue: 'ebill.issue',
  ebillRedFlush: 'ebill.redFlush',
} as const;

export type MovementKind = (typeof MOVEMENT_KINDS)[keyof typeof MOVEMENT_KINDS];

/** Kinds that only tell someone something: an order's saga never waits on them. */
export const NOTICE_KINDS: readonly MovementKind[] = [MOVEMENT_KINDS.push, MOVEMENT_KINDS.ebillIssue, MOVEMENT_KINDS.ebillRedFlush];

/** Kinds that book the order at HIS (insured confirm or self-pay). */
export const HIS_BOOKING_KINDS: readonly MovementKind[] = [MOVEMENT_KINDS.hisConfirm, MOVEMENT_KINDS.hisSelfPay];

/** Kinds that take the cash share. */
export const PAYMENT_KINDS: readonly MovementKind[] = [
  MOVEMENT_KINDS.micropay,
  MOVEMENT_KINDS.qr,
  MOVEMENT_KINDS.cash,
  MOVEMENT_KINDS.cardSale,
];

/** The steps of a refund (退费). */
export const REFUND_KINDS: readonly MovementKind[] = [
  MOVEMENT_KINDS.refundApply,
  MOVEMENT_KINDS.refundWithdraw,
  MOVEMENT_KINDS.refundSettlementCancel,
  MOVEMENT_KINDS.payRefund,
  MOVEMENT_KINDS.cashRefund,
  MOVEMENT_KINDS.cardRefund,
  MOVEMENT_KINDS.refundConfirm,
  MOVEMENT_KINDS.refundFees,
  MOVEMENT_KINDS.refundSettlement,
];

/** The insurance steps' cancels, in the order an undo runs them. */
export const UNDO_KINDS: readonly MovementKind[] = [
  MOVEMENT_KINDS.settlementCancel,
  MOVEMENT_KINDS.feesCancel,
  MOVEMENT_KINDS.registrationCancel,
];
