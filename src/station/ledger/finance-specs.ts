/**
 * The three finance lists as the engine reads them: registrations (each 2201 the outbox sent, with the 2202
 * that undid it, if any), payments (each charge of a self-pay share) and refunds (each 退费 with what went back
 * by leg). Columns of the exports as a finance clerk reads them: Chinese headers, states as words, times in the
 * station's zone, amounts in yuan.
 */
import {
  PAYMENT_MODE_LABELS,
  PAYMENT_STATE_LABELS,
  REFUND_STATE_LABELS,
  REGISTRATION_STATE_LABELS,
  REGISTRATION_STATES,
  REVERSAL_STATE_LABELS,
  PAYMENT_STATES,
  REFUND_STATES,
  type PaymentRow,
  type PaymentState,
  type RefundRow,
  type RefundState,
  type RegistrationRow,
  type RegistrationState,
  type ReversalState,
} from '../../shared/finance-lists';
import type { OrderState } from '../../shared/domain';
import { PAY_CHANNEL_LABELS as CHANNEL_LABELS, PAY_CHANNELS, type PayChannel } from '../../shared/ledger';
import { fen } from '../../shared/money';
import { MOVEMENT_KINDS } from '../movements';
import { wallClock, type Cell } from './export-columns';
import type { ListSpec, RawRow } from './finance-search';
import { PAYMENTS_FROM, REFUNDS_FROM, REFUND_CHANNEL } from './mobile-finance-sql';

const channelOf = (value: unknown): PayChannel | null => PAY_CHANNELS.find((c) => c === value) ?? null;
const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const t = (value: string): Cell => ({ text: value });
const y = (value: number): Cell => ({ fen: value });
const clock = (iso: string | null, zone: string): Cell => t(iso ? wallClock(iso, zone) : '');

const REG = `'${MOVEMENT_KINDS.registration}'`;
const UNREG = `'${MOVEMENT_KINDS.registrationCancel}'`;
const SETTLE = `'${MOVEMENT_KINDS.settlement}'`;
/** The first 2202 after this 2201: the undo of this registration (a new 2201 only follows an undo). */
const FIRST_UNDO = `FROM intents c WHERE c.order_id = x.order_id AND c.kind = ${UNREG} AND c.created_at >= x.created_at
  ORDER BY c.created_at LIMIT 1`;

const REGISTRATION_STATE_SQL = `CASE x.state WHEN 'succeeded' THEN 'registered' WHEN 'failed' THEN 'failed'
  WHEN 'compensated' THEN 'reversed-2601' ELSE 'in-doubt' END`;

function reversalOf(state: unknown): ReversalState {
  if (state === null || state === undefined) return 'none';
  if (state === 'succeeded') return 'reversed';
  if (state === 'failed' || state === 'escalated') return 'failed';
  return 'reversing';
}

export const REGISTRATIONS: ListSpec<RegistrationRow> = {
  title: '挂号',
  from: 'intents x JOIN outpatient_orders o ON o.id = x.order_id',
  base: [`x.kind = ${REG}`],
  columns: `x.order_id, o.state AS order_state, o.his_order_no, o.operator_id, o.mdtrt_id, x.result AS reg_result, ${REGISTRATION_STATE_SQL} AS reg_state,
    (SELECT c.state ${FIRST_UNDO}) AS undo_state, (SELECT c.updated_at ${FIRST_UNDO}) AS undo_at,
    EXISTS (SELECT 1 FROM intents s WHERE s.order_id = x.order_id AND s.kind = ${SETTLE} AND s.state = 'succeeded'
      AND s.created_at >= x.created_at AND NOT EXISTS (SELECT 1 FROM intents c WHERE c.order_id = x.order_id
        AND c.kind = ${UNREG} AND c.created_at >= x.created_at AND c.created_at <= s.created_at)) AS settled`,
  id: 'x.id',
  time: 'x.created_at',
  amount: 'o.total_fen',
  operator: 'o.operator_id',
  state: REGISTRATION_STATE_SQL,
  states: REGISTRATION_STATES,
  channel: `EXISTS (SELECT 1 FROM payments p WHERE p.order_id = o.id AND p.channel = ? AND p.state IN ('paid', 'refunded'))`,
  present(raw: RawRow, ctx) {
    const reversal = reversalOf(raw.undo_state);
    const state = raw.reg_state as RegistrationState;
    return {
      list: 'registrations',
      id: raw.id,
      orderId: text(raw.order_id),
      orderState: raw.order_state as OrderState,
      hisOrderNo: text(raw.his_order_no),
      patientName: ctx.person.name,
      certNo: ctx.person.certNo,
      operatorId: text(raw.operator_id),
      stationId: ctx.stationId,
      // the centre's visit number from 2201's own answer (kept sealed with the intent), so a reversed one still shows it
      mdtrtId:
        typeof raw.reg_result === 'string' ? (ctx.openJson<{ mdtrt_id?: string }>(raw.reg_result).mdtrt_id ?? '') : text(raw.mdtrt_id),
      state,
      reversal,
      settled: raw.settled === 1,
      amountFen: fen(raw.amount),
      registeredAt: raw.at,
      reversedAt: reversal === 'reversed' ? text(raw.undo_at) : null,
    };
  },
  headers: [
    'HIS单号',
    '患者',
    '身份证号',
    '医保就诊ID',
    '收费员',
    '工作站',
    '登记状态',
    '撤销状态',
    '已结算',
    '金额(元)',
    '登记时间',
    '撤销时间',
  ],
  cells: (r, zone) => [
    t(r.hisOrderNo),
    t(r.patientName),
    t(r.certNo),
    t(r.mdtrtId),
    t(r.operatorId),
    t(r.stationId),
    t(REGISTRATION_STATE_LABELS[r.state]),
    t(REVERSAL_STATE_LABELS[r.reversal]),
    t(r.settled ? '是' : '否'),
    y(r.amountFen),
    clock(r.registeredAt, zone),
    clock(r.reversedAt, zone),
  ],
};

export const PAYMENTS: ListSpec<PaymentRow> = {
  title: '支付',
  from: PAYMENTS_FROM,
  psn: 'x.psn_no',
  patientSealed: 'x.patient_sealed',
  base: [],
  columns: `x.order_id, x.order_state, x.his_order_no, x.operator_id, x.channel, x.mode, x.state, x.out_trade_no, x.transaction_id, x.updated_at`,
  id: 'x.id',
  time: 'x.created_at',
  amount: 'x.amount_fen',
  operator: 'x.operator_id',
  state: 'x.state',
  states: PAYMENT_STATES,
  channel: 'x.channel = ?',
  present: (raw, ctx) => ({
    list: 'payments',
    id: raw.id,
    orderId: text(raw.order_id),
    orderState: raw.order_state as OrderState,
    hisOrderNo: text(raw.his_order_no),
    patientName: ctx.person.name,
    certNo: ctx.person.certNo,
    operatorId: text(raw.operator_id),
    stationId: ctx.stationId,
    channel: channelOf(raw.channel),
    mode: raw.mode === 'precreate' || raw.mode === 'mobile' ? raw.mode : 'micropay',
    amountFen: fen(raw.amount),
    state: raw.state as PaymentState,
    outTradeNo: text(raw.out_trade_no),
    transactionId: text(raw.transaction_id),
    createdAt: raw.at,
    updatedAt: text(raw.updated_at),
  }),
  headers: [
    'HIS单号',
    '患者',
    '身份证号',
    '收费员',
    '工作站',
    '渠道',
    '方式',
    '金额(元)',
    '状态',
    '商户订单号',
    '渠道交易号',
    '支付时间',
    '更新时间',
  ],
  cells: (r, zone) => [
    t(r.hisOrderNo),
    t(r.patientName),
    t(r.certNo),
    t(r.operatorId),
    t(r.stationId),
    t(r.channel ? CHANNEL_LABELS[r.channel] : ''),
    t(PAYMENT_MODE_LABELS[r.mode]),
    y(r.amountFen),
    t(PAYMENT_STATE_LABELS[r.state] ?? r.state),
    t(r.outTradeNo),
    t(r.transactionId),
    clock(r.createdAt, zone),
    clock(r.updatedAt, zone),
  ],
};

export const REFUNDS: ListSpec<RefundRow> = {
  title: '退费',
  from: REFUNDS_FROM,
  psn: 'x.psn_no',
  patientSealed: 'x.patient_sealed',
  base: [],
  columns: `x.order_id, x.order_state, x.his_order_no, x.operator_id, x.state, x.fund_fen, x.acct_fen, x.cash_fen, x.finished_at,
    x.reason_text, x.channel`,
  id: 'x.id',
  time: 'x.created_at',
  amount: '(x.fund_fen + x.acct_fen + x.cash_fen)',
  operator: 'x.operator_id',
  state: 'x.state',
  states: REFUND_STATES,
  channel: REFUND_CHANNEL,
  present: (raw, ctx) => ({
    list: 'refunds',
    id: raw.id,
    orderId: text(raw.order_id),
    orderState: raw.order_state as OrderState,
    hisOrderNo: text(raw.his_order_no),
    patientName: ctx.person.name,
    certNo: ctx.person.certNo,
    operatorId: text(raw.operator_id),
    stationId: ctx.stationId,
    state: raw.state as RefundState,
    fundFen: fen(Number(raw.fund_fen)),
    accountFen: fen(Number(raw.acct_fen)),
    cashFen: fen(Number(raw.cash_fen)),
    amountFen: fen(raw.amount),
    channel: channelOf(raw.channel),
    reason: ctx.openText(text(raw.reason_text)),
    createdAt: raw.at,
    finishedAt: typeof raw.finished_at === 'string' ? raw.finished_at : null,
  }),
  headers: [
    'HIS单号',
    '患者',
    '身份证号',
    '收费员',
    '工作站',
    '状态',
    '统筹(元)',
    '个人账户(元)',
    '自付(元)',
    '合计(元)',
    '退回渠道',
    '原因',
    '申请时间',
    '完成时间',
  ],
  cells: (r, zone) => [
    t(r.hisOrderNo),
    t(r.patientName),
    t(r.certNo),
    t(r.operatorId),
    t(r.stationId),
    t(REFUND_STATE_LABELS[r.state]),
    y(r.fundFen),
    y(r.accountFen),
    y(r.cashFen),
    y(r.amountFen),
    t(r.channel ? CHANNEL_LABELS[r.channel] : ''),
    t(r.reason),
    clock(r.createdAt, zone),
    clock(r.finishedAt, zone),
  ],
};
