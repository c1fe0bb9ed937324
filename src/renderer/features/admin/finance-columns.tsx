/** The columns of the finance lists (挂号 / 支付 / 退费) as the admin reads them: states as words, amounts in yuan. */
import { Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import {
  PAYMENT_MODE_LABELS,
  PAYMENT_STATE_LABELS,
  REFUND_STATE_LABELS,
  REGISTRATION_STATE_LABELS,
  REVERSAL_STATE_LABELS,
  type FinanceListName,
  type FinanceRow,
  type PaymentRow,
  type RefundRow,
  type RegistrationRow,
} from '../../../shared/finance-lists';
import { PAY_CHANNEL_LABELS } from '../../../shared/ledger';
import { formatYuan } from '../../../shared/money';
import { formatDateTime } from '../../common/format';

/** The channels' names in the lists and their filters. */
export const CHANNEL_LABELS = PAY_CHANNEL_LABELS;
const code = (text: string) => <span className="code">{text}</span>;
const when = (iso: string | null) => (iso ? formatDateTime(iso) : '—');

const REGISTRATION_COLUMNS: TableColumnsType<RegistrationRow> = [
  { title: '登记时间', key: 'at', render: (_, r) => when(r.registeredAt), width: 150 },
  { title: 'HIS单号', key: 'his', render: (_, r) => code(r.hisOrderNo), width: 120 },
  { title: '患者', key: 'patient', render: (_, r) => r.patientName, width: 80 },
  { title: '身份证号', key: 'cert', render: (_, r) => code(r.certNo), width: 170 },
  { title: '就诊ID', key: 'mdtrt', render: (_, r) => code(r.mdtrtId || '—'), width: 160 },
  { title: '收费员', key: 'op', render: (_, r) => code(r.operatorId), width: 70 },
  { title: '工作站', key: 'station', render: (_, r) => code(r.stationId), width: 110 },
  { title: '登记', key: 'state', render: (_, r) => <Tag>{REGISTRATION_STATE_LABELS[r.state]}</Tag>, width: 90 },
  { title: '撤销', key: 'reversal', render: (_, r) => <Tag>{REVERSAL_STATE_LABELS[r.reversal]}</Tag>, width: 110 },
  { title: '结算', key: 'settled', render: (_, r) => (r.settled ? '已结算' : '未结算'), width: 60 },
  { title: '金额', key: 'amount', align: 'right', render: (_, r) => formatYuan(r.amountFen), width: 90 },
  { title: '撤销时间', key: 'undo', render: (_, r) => when(r.reversedAt), width: 150 },
];

const PAYMENT_COLUMNS: TableColumnsType<PaymentRow> = [
  { title: '支付时间', key: 'at', render: (_, r) => when(r.createdAt), width: 150 },
  { title: 'HIS单号', key: 'his', render: (_, r) => code(r.hisOrderNo), width: 120 },
  { title: '患者', key: 'patient', render: (_, r) => r.patientName, width: 80 },
  { title: '身份证号', key: 'cert', render: (_, r) => code(r.certNo), width: 170 },
  { title: '收费员', key: 'op', render: (_, r) => code(r.operatorId), width: 70 },
  { title: '工作站', key: 'station', render: (_, r) => code(r.stationId), width: 110 },
  { title: '渠道', key: 'channel', render: (_, r) => (r.channel ? CHANNEL_LABELS[r.channel] : '—'), width: 60 },
  { title: '方式', key: 'mode', render: (_, r) => PAYMENT_MODE_LABELS[r.mode], width: 60 },
  { title: '金额', key: 'amount', align: 'right', render: (_, r) => formatYuan(r.amountFen), width: 90 },
  { title: '状态', key: 'state', render: (_, r) => <Tag>{PAYMENT_STATE_LABELS[r.state] ?? r.state}</Tag>, width: 80 },
  { title: '商户订单号', key: 'trade', render: (_, r) => code(r.outTradeNo), width: 150 },
  { title: '渠道交易号', key: 'txn', render: (_, r) => code(r.transactionId || '—'), width: 150 },
];

const REFUND_COLUMNS: TableColumnsType<RefundRow> = [
  { title: '申请时间', key: 'at', render: (_, r) => when(r.createdAt), width: 150 },
  { title: 'HIS单号', key: 'his', render: (_, r) => code(r.hisOrderNo), width: 120 },
  { title: '患者', key: 'patient', render: (_, r) => r.patientName, width: 80 },
  { title: '身份证号', key: 'cert', render: (_, r) => code(r.certNo), width: 170 },
  { title: '收费员', key: 'op', render: (_, r) => code(r.operatorId), width: 70 },
  { title: '状态', key: 'state', render: (_, r) => <Tag>{REFUND_STATE_LABELS[r.state]}</Tag>, width: 90 },
  { title: '统筹', key: 'fund', align: 'right', render: (_, r) => formatYuan(r.fundFen), width: 80 },
  { title: '个人账户', key: 'acct', align: 'right', render: (_, r) => formatYuan(r.accountFen), width: 80 },
  { title: '自付', key: 'cash', align: 'right', render: (_, r) => formatYuan(r.cashFen), width: 80 },
  { title: '渠道', key: 'channel', render: (_, r) => (r.channel ? CHANNEL_LABELS[r.channel] : '—'), width: 60 },
  { title: '原因', key: 'reason', render: (_, r) => r.reason || '—', width: 120 },
  { title: '完成时间', key: 'done', render: (_, r) => when(r.finishedAt), width: 150 },
];

/** Each list's columns over the one row type the page carries. */
export const FINANCE_COLUMNS = {
  registrations: REGISTRATION_COLUMNS,
  payments: PAYMENT_COLUMNS,
  refunds: REFUND_COLUMNS,
} as unknown as Record<FinanceListName, TableColumnsType<FinanceRow>>;

export const FINANCE_STATE_OPTIONS: Record<FinanceListName, { value: string; label: string }[]> = {
  registrations: Object.entries(REGISTRATION_STATE_LABELS).map(([value, label]) => ({ value, label })),
  payments: Object.entries(PAYMENT_STATE_LABELS).map(([value, label]) => ({ value, label })),
  refunds: Object.entries(REFUND_STATE_LABELS).map(([value, label]) => ({ value, label })),
};
