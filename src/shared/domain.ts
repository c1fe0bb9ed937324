/** Domain types that cross the IPC boundary. Pure data: the renderer and the core both speak these. */
import { z } from 'zod';
import type { Fen } from './money';
import type { OrderReasonCode } from './order-reasons';

export const ROLES = ['cashier', 'doctor', 'nurse', 'admin'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

export const ROLE_LABELS: Record<Role, string> = {
  cashier: '收费员',
  doctor: '医生',
  nurse: '护士',
  admin: '系统管理员',
};

export interface OperatorView {
  id: string; // login name, e.g. "sf001"; also the NHSA `opter`
  name: string;
  /** For a signed-in operator: the workspace this sign-in opens, the first of `roles`. */
  role: Role;
}

/** The operator a window is signed in as. */
export interface SignedInOperator extends OperatorView {
  /** Everything the operator may do; the core checks access against all of them. */
  roles: Role[];
  /** An admin set the password (or reset it): nothing but changing it is allowed until then. */
  mustChangePassword: boolean;
}

/** One row of the admin's operators list. */
export interface OperatorAdminView {
  id: string;
  name: string;
  roles: Role[];
  disabled: boolean;
  /** ISO time while locked after wrong passwords; null otherwise */
  lockedUntil: string | null;
  mustChangePassword: boolean;
}

/** NHSA insurance types (险种) the product knows by name; others show their code. */
export const INSUTYPE_LABELS: Record<string, string> = {
  '310': '职工基本医疗保险',
  '320': '公务员医疗补助',
  '330': '大额医疗费用补助',
  '390': '城乡居民基本医疗保险',
  '392': '城乡居民大病医疗保险',
  '410': '长期照护保险',
};

export type CertType = '01' | '02' | '03'; // e-voucher / ID card / social-security card
export const CERT_TYPE_LABELS: Record<CertType, string> = {
  '01': '医保电子凭证',
  '02': '居民身份证',
  '03': '社会保障卡',
};

export interface InsuranceView {
  insutype: string;
  insutypeName: string;
  psnType: string;
  insuredRegion: string; // insuplc_admdvs, 6 digits
  insuredRegionName: string;
  balanceFen: Fen; // personal-account balance (个人账户余额), integer fen
  employer: string;
  status: string; // psn_insu_stas: 1 参保缴费 / 2 暂停 / 4 终止
}

/** What the cashier screen shows of an identified person; never carries the raw voucher or token. */
export interface PatientView {
  identificationId: string;
  psnNo: string;
  name: string;
  gender: '1' | '2' | '9' | string;
  birthDate: string; // yyyy-MM-dd
  age: number;
  certNoMasked: string; // 350203********1234
  certType: CertType;
  insurances: InsuranceView[];
  identifiedAt: string; // ISO time
  treatmentRegion: string; // mdtrtarea_admvs of this station
  crossRegion: boolean;
  /** Identified by the hospital card and not insured (HIS has no psn_no): orders can only be paid as self-pay. */
  uninsured?: boolean;
}

export const DEVICE_ROLES = ['qr-scanner', 'card-reader', 'face-terminal', 'pos-terminal'] as const;
export type DeviceRole = (typeof DEVICE_ROLES)[number];
export const DEVICE_ROLE_LABELS: Record<DeviceRole, string> = {
  'qr-scanner': '扫码墩',
  'card-reader': '读卡器',
  'face-terminal': '刷脸终端',
  'pos-terminal': '银行卡终端',
};

export type DeviceState = 'connected' | 'connecting' | 'disconnected' | 'error';
export const DEVICE_STATE_LABELS: Record<DeviceState, string> = {
  connected: '已连接',
  connecting: '连接中',
  disconnected: '未连接',
  error: '故障',
};

export interface DeviceStatusView {
  id: string;
  role: DeviceRole;
  model: string;
  path: string;
  state: DeviceState;
  detail: string; // last warning or error, Chinese, for the operator
  since: string; // ISO time of the last state change
}

/** One entry of a device's recent traffic for the IT panel; codes are masked (a voucher QR is a credential). */
export interface DeviceFrameView {
  at: string;
  deviceId: string;
  kind: 'scan' | 'warning' | 'status' | 'command';
  summary: string;
}

/** The outcome of an admin's test read (扫码/读卡/刷脸 测试). */
export interface DeviceTestView {
  deviceId: string;
  ok: boolean;
  detail: string;
  at: string;
}

/** What a scan was, decided by the station — the raw code stays in the main process. */
export type ScanKind = 'nhsa-ec' | 'wechat-pay' | 'alipay-pay' | 'hospital-card' | 'unknown';
export const SCAN_KIND_LABELS: Record<ScanKind, string> = {
  'nhsa-ec': '医保电子凭证',
  'wechat-pay': '微信付款码',
  'alipay-pay': '支付宝付款码',
  'hospital-card': '就诊卡',
  unknown: '无法识别的条码',
};

export interface ScanEvent {
  scanId: string;
  deviceId: string;
  kind: ScanKind;
  at: string;
}

export type LinkState = 'online' | 'offline' | 'unknown';
export interface ConnectivityView {
  nhsa: LinkState;
  nhsaDetail: string;
  signedInToday: boolean; // the current operator holds today's 9001 sign_no
}

export interface StationInfo {
  stationId: string;
  institutionCode: string;
  institutionName: string;
  treatmentRegion: string;
  trainingMode: boolean;
  version: string;
  shell: 'electron' | 'browser';
  /** A live station without operators: only creating the first administrator is possible. */
  needsSetup: boolean;
  /** Minutes without input after which the window locks (config `security.idleLockMinutes`). */
  idleLockMinutes: number;
}

export interface AuditEntryView {
  id: number;
  at: string;
  operatorId: string | null;
  action: string;
  outcome: 'ok' | 'denied' | 'failed';
  detail: string;
}

/** Movements whose outcome the station is still resolving (locked orders), and those waiting for a person. */
export interface OutboxSummary {
  inDoubt: number;
  escalated: number;
}

/**
 * The station's own storage (its SQLite file) refusing writes — disk full, I/O error, locked too long. While
 * failing, nothing new is sent (an intent that cannot be written is never sent) and the background work retries.
 */
export interface StorageAlarmView {
  failing: boolean;
  /** SQLite's code (SQLITE_FULL, SQLITE_IOERR_…, SQLITE_BUSY) of the latest failure. */
  code: string | null;
  since: string | null;
}

export const INTENT_STATES = ['prepared', 'succeeded', 'failed', 'unknown', 'compensating', 'compensated', 'escalated'] as const;
export type IntentStateName = (typeof INTENT_STATES)[number];
export const INTENT_STATE_LABELS: Record<IntentStateName, string> = {
  prepared: '已登记，待应答',
  succeeded: '成功',
  failed: '未发生',
  unknown: '结果未知 — 正在核实',
  compensating: '正在冲正',
  compensated: '已冲正',
  escalated: '待人工处理',
};

/** One money / insurance movement of the outbox, as the admin queue shows it (no personal data). */
export interface IntentView {
  id: string;
  kind: string;
  kindLabel: string;
  orderId: string;
  externalId: string;
  state: IntentStateName;
  attempts: number;
  detail: string;
  createdAt: string;
  updatedAt: string;
}

/** An outpatient charge order (收费单) as HIS issued it and the station settles it (HX-08..HX-26). */
export const ORDER_STATES = [
  'open', // fetched from HIS, nothing sent to the centre yet
  'previewed', // registered (2201), details uploaded (2204), pre-settled (2206): the split is known
  'insurance-settled', // 2207 done; HIS confirm and/or the self-pay share still to come
  'awaiting-payment', // a cash share remains: QR shown or payment code expected
  'completed', // everything settled and confirmed with HIS
  'reversed', // the insurance settlement was reversed (self-pay failed, manual reversal)
  'expiring', // the top-up window passed: the station is cancelling the settlement (2208) and registration (2202)
  'expired', // the top-up window passed; registration reversed (HX-33..35)
  'reversing', // the self-pay part failed: the station is undoing the insurance steps (2208, 2205, 2202), then 'open' again
  'in-doubt', // a movement's outcome is unknown: locked until the outbox resolves it
  'refunding', // a completed bill being refunded (退费): HIS application, 2208, the money back, HIS confirms
  'refunded', // refunded: the centre's settlement cancelled, the self-pay part back on its channel, HIS confirmed
] as const;
export type OrderState = (typeof ORDER_STATES)[number];
export const ORDER_STATE_LABELS: Record<OrderState, string> = {
  open: '待结算',
  previewed: '已预结算',
  'insurance-settled': '医保已结算',
  'awaiting-payment': '待补缴自付',
  completed: '已完成',
  reversed: '已冲销',
  expiring: '超时撤销中',
  expired: '已过期',
  reversing: '自付失败，正在撤销医保结算',
  'in-doubt': '结果未知 — 正在核实',
  refunding: '退费中',
  refunded: '已退费',
};

export interface OrderLineView {
  seq: number;
  name: string;
  spec: string;
  unit: string;
  quantity: string; // decimal text as HIS gives it ("2", "0.5")
  unitPriceFen: Fen;
  amountFen: Fen;
  chargeLevel: string; // 甲类/乙类/丙类 after 2204 (never the code, chargeLevelName), '' before
}

/** The split of a settlement, all in fen; fund + account + cash = total exactly. */
export interface SettlementSplitView {
  totalFen: Fen;
  fundFen: Fen; // fund_pay_sumamt: 统筹 + 大病 + 公务员 + 救助 …
  poolFen: Fen; // hifp_pay 统筹基金
  accountFen: Fen; // acct_pay 个人账户
  cashFen: Fen; // psn_cash_pay 现金 (self-pay by WeChat / Alipay)
  deductibleFen: Fen; // act_pay_dedc 本次起付线
  balanceAfterFen: Fen; // balc
}

/** How an order is paid: insurance first (2201…2207) then the cash share, or self-pay only through HIS (HX-20). */
export type SettleMode = 'insurance' | 'self-pay';
export const SETTLE_MODE_LABELS: Record<SettleMode, string> = { insurance: '医保结算', 'self-pay': '自费结算' };

export type PaymentWalletName = 'wechat' | 'alipay';
/** How the cash share was taken: a wallet, or notes at the window (现金). */
export type PaymentChannelName = PaymentWalletName | 'cash' | 'card';
export const WALLET_LABELS: Record<PaymentChannelName | 'unknown', string> = {
  wechat: '微信支付',
  alipay: '支付宝',
  cash: '现金',
  card: '银行卡',
  unknown: '—',
};
export type PaymentState = 'pending' | 'paid' | 'failed' | 'reversed' | 'closed';
export const PAYMENT_STATE_LABELS: Record<PaymentState, string> = {
  pending: '等待付款',
  paid: '已付款',
  failed: '付款失败',
  reversed: '已撤销',
  closed: '已关闭',
};

/**
 * One self-pay attempt: a payment code on the scan box (micropay), a QR on the screen (precreate, HX-22), or notes
 * at the window (cash).
 */
export interface PaymentView {
  outTradeNo: string;
  mode: 'micropay' | 'precreate' | 'cash' | 'card';
  wallet: PaymentChannelName | 'unknown';
  amountFen: Fen;
  /** cash only: what the patient handed over (收款) and the change given back (找零). */
  cash?: { tenderedFen: Fen; changeFen: Fen };
  state: PaymentState;
  /** precreate: the code_url to draw as a QR while pending; null otherwise. */
  qrCode: string | null;
  /** precreate: when the QR stops being payable (the countdown). */
  expiresAt: string | null;
  updatedAt: string;
}

/** What HIS booked for the order (HX-18/20, details HX-25). */
export interface HisSettlementView {
  hisSettleNo: string;
  invoiceNo: string;
  pickupWindow: string;
  settledAt: string;
  type: 'insured' | 'selfpay';
}

export interface OrderView {
  id: string;
  hisOrderNo: string;
  psnNo: string;
  patientName: string;
  doctorName: string;
  deptName: string;
  createdAt: string;
  state: OrderState;
  lines: OrderLineView[];
  totalFen: Fen;
  split: SettlementSplitView | null;
  setlId: string | null;
  /** When the self-pay window closes (awaiting-payment). */
  payBefore: string | null;
  /** Why the order is where it is, as a code (src/shared/order-reasons.ts); null when nothing needs saying. */
  reason: OrderReasonCode | null;
  /** The reason as the cashier reads it (ORDER_REASON_LABELS, with what is being done about it). */
  detail: string;
  settleMode: SettleMode;
  payments: PaymentView[];
  /** Known once HIS answered the settlement details (HX-25). */
  his: HisSettlementView | null;
  /** The patient message (HX-27): none (no payer to address), pending, sent. */
  push: 'none' | 'pending' | 'sent';
  /** The fiscal e-bill (AQ-15), where the station issues them: absent or null while it has none. */
  ebill?: OrderEBillView | null;
}

/**
 * An order's fiscal e-bill (财政电子票据): issuing (the answer is being checked), issued, refused by the platform
 * (IT issues it again), red-flushed after a whole refund (with the red bill), or its red-flush refused.
 */
export interface OrderEBillView {
  state: 'issuing' | 'issued' | 'refused' | 'red-flushed' | 'red-flush-refused';
  code: string;
  no: string;
  checkCode: string;
  url: string;
  red: { code: string; no: string; checkCode: string; url: string } | null;
}

/** One fund's share on the slip (setldetail). */
export interface ReceiptFundLine {
  fundType: string;
  fundName: string;
  amountFen: Fen;
}

/** One payment given back on its own channel by a refund (退费). */
export interface ReceiptRefundPayment {
  wallet: PaymentView['wallet'];
  outTradeNo: string;
  outRefundNo: string;
  amountFen: Fen;
}

/** What a finished refund gave back (退费凭证): the fund and account parts to the centre, the self-pay part by channel. */
export interface ReceiptRefundView {
  fundFen: Fen;
  accountFen: Fen;
  cashFen: Fen;
  payments: ReceiptRefundPayment[];
  refundedAt: string;
  /** The lines refunded by a partial refund (部分退费); empty when the whole bill went back. */
  lines: OrderLineView[];
}

/**
 * The settlement slip (门诊结算单, DQ-06): what the patient takes away. Everything in fen; names as printed.
 * `supplementaryCumulativeDeductibleFen` (补充累计起付) is printed only where the scheme supplies it.
 */
export interface ReceiptView {
  orderId: string;
  institutionName: string;
  institutionCode: string;
  title: string;
  settleMode: SettleMode;
  patientName: string;
  certNoMasked: string;
  insutypeName: string;
  hisOrderNo: string;
  setlId: string | null;
  mdtrtId: string | null;
  hisSettleNo: string;
  invoiceNo: string;
  deptName: string;
  doctorName: string;
  lines: OrderLineView[];
  totalFen: Fen;
  fundFen: Fen;
  poolFen: Fen;
  accountFen: Fen;
  cashFen: Fen;
  deductibleFen: Fen;
  balanceAfterFen: Fen;
  supplementaryCumulativeDeductibleFen: Fen | null;
  funds: ReceiptFundLine[];
  payments: PaymentView[];
  pickupWindow: string;
  operatorName: string;
  settledAt: string;
  printedAt: string;
  trainingMode: boolean;
  /** Set from the second print of the same slip on (补打): which print this is; printedAt is its time. */
  reprint?: { printNo: number } | null;
  /**
   * Set on a refunded order's slip, which is then its refund slip (退费凭证); and on the slip of a bill whose
   * latest refund took some lines back (部分退费): the rest's settlement, with the refunded lines listed.
   */
  refund?: ReceiptRefundView | null;
  /** The order's fiscal e-bill (AQ-15), printed once issued; absent where the station issues none. */
  ebill?: OrderEBillView | null;
}
