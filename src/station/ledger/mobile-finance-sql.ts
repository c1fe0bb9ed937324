/**
 * The phone's payments and refunds (医保移动支付, mobile_pay_orders) beside the window's on the station's own finance
 * lists, shaped as the hospital ledger shows the same money (hospital-ledger/event-of-movement.ts, its v6 lists): the
 * self-pay part the wallet paid is a payment (channel and mode `mobile`, trade = payOrdId, its transaction the
 * centre's hiDocSn), listed once the order is booked paid and only when there was a self-pay part; a 6203 refund is
 * a 退费 under its serial (appRefdSn) with the insurance shares and the wallet's part back, done once booked
 * refunded. No operator: the patient paid on the phone. The HIS number is the stay's 住院号, else the clinic's order.
 * Each list reads one derived table `x`, the window's rows and the phone's under the same column names.
 */

const HIS_NO = 'COALESCE(m.ward_ipt_no, m.his_order_no, m.visit_no)';
const BOOKED = (effect: 'paid' | 'refunded', as: string) =>
  `LEFT JOIN mobile_pay_bookings ${as} ON ${as}.order_id = m.id AND ${as}.effect = '${effect}'`;
/** What the bill is now, as the ledger reads it from its events: refunded once 6203 was booked. */
const MOBILE_ORDER_STATE = `CASE WHEN back.at IS NOT NULL THEN 'refunded' WHEN m.state = 'refunding' THEN 'refunding' ELSE 'completed' END`;

/** Every payment: the window's (payments of outpatient orders) and the phone's self-pay parts. */
export const PAYMENTS_FROM = `(
  SELECT p.id, p.order_id, o.state AS order_state, o.his_order_no, o.operator_id, p.channel, p.mode, p.state, p.out_trade_no,
    p.transaction_id, p.amount_fen, p.created_at, p.updated_at, o.psn_no, NULL AS patient_sealed
  FROM payments p JOIN outpatient_orders o ON o.id = p.order_id
  UNION ALL
  SELECT m.id || '.self-pay', m.id, ${MOBILE_ORDER_STATE}, ${HIS_NO}, '', 'mobile', 'mobile',
    CASE WHEN back.at IS NOT NULL THEN 'refunded' ELSE 'paid' END, m.pay_ord_id, COALESCE(m.hi_doc_sn, ''), m.own_fen,
    paid.at, COALESCE(back.at, paid.at), m.psn_no, m.patient_sealed
  FROM mobile_pay_orders m JOIN mobile_pay_bookings paid ON paid.order_id = m.id AND paid.effect = 'paid' ${BOOKED('refunded', 'back')}
  WHERE m.own_fen > 0
) x`;

/** Every 退费: the window's (refunds of outpatient orders) and the phone's 6203s. */
export const REFUNDS_FROM = `(
  SELECT r.id, r.order_id, o.state AS order_state, o.his_order_no, r.operator_id, r.state, r.fund_fen, r.acct_fen, r.cash_fen,
    r.finished_at, r.created_at, CASE WHEN o.reason_code LIKE 'refund-%' THEN o.reason_text ELSE '' END AS reason_text,
    (SELECT rp.channel FROM refund_payments rp WHERE rp.refund_id = r.id LIMIT 1) AS channel, NULL AS mobile_channel,
    o.psn_no, NULL AS patient_sealed
  FROM refunds r JOIN outpatient_orders o ON o.id = r.order_id
  UNION ALL
  SELECT m.refund_sn, m.id, ${MOBILE_ORDER_STATE}, ${HIS_NO}, '', 'refunded', COALESCE(m.fund_fen, 0), COALESCE(m.acct_fen, 0),
    COALESCE(m.own_fen, 0), back.at, back.at, '', CASE WHEN m.own_fen > 0 THEN 'mobile' END,
    CASE WHEN m.own_fen > 0 THEN 'mobile' END, m.psn_no, m.patient_sealed
  FROM mobile_pay_orders m JOIN mobile_pay_bookings back ON back.order_id = m.id AND back.effect = 'refunded'
  WHERE m.refund_sn IS NOT NULL
) x`;

/** A refund went back on the channel: one of the window's legs, or the phone's wallet. */
export const REFUND_CHANNEL = `? IN (SELECT rp.channel FROM refund_payments rp WHERE rp.refund_id = x.id UNION ALL SELECT x.mobile_channel)`;
