/**
 * The StationApi: one contract typing both ends of every bridge (Electron IPC and the loopback WebSocket
 * host). Each operation names its input schema and the roles allowed to call it; the core validates and
 * checks roles itself, so hidden buttons are never the only guard.
 */
import { z } from 'zod';
import { fen } from './money';
import type { Result } from './result';
import { EVENT_NAMES, OPERATION_NAMES, subscriptionName, type OperationName, type StationEventName } from './api-names';

export { EVENT_NAMES, OPERATION_NAMES, subscriptionName, type OperationName, type StationEventName };
import type {
  AuditEntryView,
  ConnectivityView,
  DeviceFrameView,
  DeviceStatusView,
  DeviceTestView,
  IntentView,
  OrderLineView,
  OrderView,
  OutboxSummary,
  StorageAlarmView,
  PatientView,
  ReceiptView,
  ScanEvent,
  StationInfo,
} from './domain';
import { Role, type OperatorAdminView, type SignedInOperator } from './domain';
import { checkIdNumber } from './id-number';
import {
  ExportFinanceInput,
  QuickReverseInput,
  ReversalSettingsInput,
  SearchFinanceInput,
  type FinancePage,
  type ReversalSettings,
} from './finance-lists';
import { ClearingMonthInput, ExportClearingInput, RunClearingInput, type ClearingMonthView, type ClearingRunView } from './clearing';
import {
  ExportReconciliationInput,
  ListReconciliationsInput,
  ResolveReconDifferenceInput,
  RunReconciliationInput,
  type ReconciliationRunView,
  type ReconResolutionView,
} from './reconciliation';
import {
  CancelExportInput,
  EVoucherReportInput,
  ExportEVoucherReportInput,
  ExportOrdersInput,
  OrderFeeLinesInput,
  SearchOrdersInput,
  type EVoucherReportView,
  type ExportProgress,
  type OrderPage,
} from './ledger';
import { PrintSettingsInputSchema, type PrintSettingsView, type SystemPrintersView } from './printing';
import {
  AdmitStayInput,
  CancelAdmissionInput,
  MidstayVoucherInput,
  RefundSurplusInput,
  StayInput,
  StayByIptNoInput,
  UndoDischargeSettlementInput,
  ShortfallByCodeInput,
  WardStaysInput,
  type DischargePreviewView,
  type MidstaySettlementView,
  type StayBillView,
  type StayView,
  type SurplusSuggestionView,
  type WardPatientView,
  type WindowDepositRefundView,
  type WardView,
} from './inpatient';
import { CloseShiftInput, DayCloseInput, ShiftInput, type DayCloseView, type ShiftView } from './shifts';

/** Who may call: nobody signed in, any signed-in operator, or the listed roles. */
export type Access = 'public' | 'operator' | readonly Role[];

const Empty = z.object({}).strict();

export const LoginInput = z
  .object({
    login: z.string().trim().min(1, '请输入工号').max(32),
    password: z.string().min(1, '请输入密码').max(128),
  })
  .strict();

/** A typed ID number (GB 11643), upper-cased; refused with the same words the cashier's screen shows. */
export const IdNumber = z.string().transform((text, ctx) => {
  const checked = checkIdNumber(text);
  if (checked.ok) return checked.value;
  ctx.addIssue({ code: 'custom', message: checked.message });
  return z.NEVER;
});

export const IdentifyInput = z.discriminatedUnion('method', [
  /** a code the station's own scan box read; the renderer only knows its id */
  z.object({ method: z.literal('scan'), scanId: z.string().uuid() }).strict(),
  /** the social-security card in the station's card reader (mdtrt_cert_type 03, HX-01) */
  z
    .object({
      method: z.literal('card'),
      deviceId: z
        .string()
        .regex(/^[a-z0-9][a-z0-9_-]{0,31}$/)
        .optional(),
    })
    .strict(),
  /** the patient verifies at the face terminal, which yields an e-voucher token (mdtrt_cert_type 01) */
  z
    .object({
      method: z.literal('face'),
      deviceId: z
        .string()
        .regex(/^[a-z0-9][a-z0-9_-]{0,31}$/)
        .optional(),
    })
    .strict(),
  /** the resident ID card (居民身份证) in the station's card reader: its number, read not typed (mdtrt_cert_type 02, AQ-13) */
  z
    .object({
      method: z.literal('idcard-reader'),
      deviceId: z
        .string()
        .regex(/^[a-z0-9][a-z0-9_-]{0,31}$/)
        .optional(),
    })
    .strict(),
  /** ID-card number typed by the cashier (mdtrt_cert_type 02) */
  z
    .object({
      method: z.literal('idcard'),
      certNo: IdNumber,
      insuredRegion: z
        .string()
        .regex(/^\d{6}$/)
        .optional(),
    })
    .strict(),
]);

const DeviceId = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, '设备编号无效');

export const DeviceTestInput = z.object({ deviceId: DeviceId }).strict();
export const DeviceFramesInput = z.object({ deviceId: DeviceId, limit: z.number().int().min(1).max(200).default(50) }).strict();

export const OrdersInput = z.object({ identificationId: z.string().uuid() }).strict();
export const OrderInput = z.object({ orderId: z.string().uuid() }).strict();
/** The cashier's cancel of an order awaiting its cash share: why, in a few words (kept with the order and the audit). */
export const CancelSettlementInput = z
  .object({ orderId: z.string().uuid(), reason: z.string().trim().max(60, '撤销原因不能超过 60 个字').optional() })
  .strict();
/** 退费 of a completed bill: the reason is required (it goes to HIS and the platform with the refund). */
export const RefundOrderInput = z
  .object({
    orderId: z.string().uuid(),
    reason: z.string().trim().min(1, '请填写退费原因').max(60, '退费原因不能超过 60 个字'),
    // 部分退费: the lines (their seq) to refund; none, or every one, is the whole bill.
    lines: z.array(z.number().int().positive()).max(200).default([]),
  })
  .strict();
export const PayByQrInput = z.object({ orderId: z.string().uuid(), wallet: z.enum(['wechat', 'alipay']).optional() }).strict();
export const PayByCodeInput = z.object({ orderId: z.string().uuid(), scanId: z.string().uuid() }).strict();
/** Cash at the window: what the patient handed over, in fen (at least the share due; the core checks that). */
export const PayByCashInput = z
  .object({ orderId: z.string().uuid(), tenderedFen: z.number().int().positive().max(100_000_000).transform(fen) })
  .strict();

const IntentId = z.string().uuid();
export const IntentListInput = z
  .object({ scope: z.enum(['open', 'all']).default('open'), limit: z.number().int().min(1).max(500).default(100) })
  .strict();
export const IntentRetryInput = z.object({ intentId: IntentId }).strict();
export const IntentDecisionInput = z
  .object({
    intentId: IntentId,
    /** after checking with the remote by other means: it happened there / it did not / try automatically again */
    decision: z.enum(['happened', 'did-not-happen', 'resume']),
    note: z.string().trim().min(4, '请写明核实依据（至少4个字）').max(500),
  })
  .strict();

const OperatorId = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{2,32}$/, '工号为 2–32 位字母、数字、下划线或连字符');
const OperatorName = z.string().trim().min(1, '请输入姓名').max(32, '姓名最多 32 个字');
const NewPassword = z.string().min(1, '请输入密码').max(128);

export const AddOperatorInput = z
  .object({ id: OperatorId, name: OperatorName, roles: z.array(Role).min(1, '请至少选择一个角色').max(4), password: NewPassword })
  .strict();
export const SetUpFirstAdminInput = z.object({ id: OperatorId, name: OperatorName, password: NewPassword }).strict();
export const OperatorRefInput = z.object({ id: OperatorId }).strict();
export const ResetPasswordInput = z.object({ id: OperatorId, password: NewPassword }).strict();
export const ChangePasswordInput = z.object({ current: z.string().min(1, '请输入原密码').max(128), next: NewPassword }).strict();
export const UnlockSessionInput = z.object({ password: z.string().min(1, '请输入密码').max(128) }).strict();

export const AuditListInput = z
  .object({
    limit: z.number().int().min(1).max(500).default(100),
  })
  .strict();

export const operations = {
  stationInfo: { input: Empty, access: 'public' },
  login: { input: LoginInput, access: 'public' },
  logout: { input: Empty, access: 'operator' },
  currentOperator: { input: Empty, access: 'public' },
  listDevices: { input: Empty, access: 'operator' },
  getConnectivity: { input: Empty, access: 'operator' },
  identifyPatient: { input: IdentifyInput, access: ['cashier', 'doctor', 'nurse'] },
  testDevice: { input: DeviceTestInput, access: ['admin'] },
  recentDeviceFrames: { input: DeviceFramesInput, access: ['admin'] },
  listOrders: { input: OrdersInput, access: ['cashier', 'doctor', 'nurse'] },
  preSettleOrder: { input: OrderInput, access: ['cashier', 'doctor', 'nurse'] },
  settleOrder: { input: OrderInput, access: ['cashier', 'doctor', 'nurse'] },
  payOrderByCode: { input: PayByCodeInput, access: ['cashier', 'doctor', 'nurse'] },
  payOrderByCash: { input: PayByCashInput, access: ['cashier'] },
  payOrderByCard: { input: OrderInput, access: ['cashier'] },
  cancelOrderSettlement: { input: CancelSettlementInput, access: ['cashier', 'admin'] },
  refundOrder: { input: RefundOrderInput, access: ['cashier', 'admin'] },
  payOrderByQr: { input: PayByQrInput, access: ['cashier', 'doctor', 'nurse'] },
  cancelOrderPayment: { input: OrderInput, access: ['cashier', 'doctor', 'nurse'] },
  selfPayOrder: { input: OrderInput, access: ['cashier', 'doctor', 'nurse'] },
  listTodayOrders: { input: Empty, access: ['cashier', 'doctor', 'nurse', 'admin'] },
  getReceipt: { input: OrderInput, access: ['cashier', 'doctor', 'nurse', 'admin'] },
  exportReceiptPdf: { input: OrderInput, access: ['cashier', 'doctor', 'nurse', 'admin'] },
  printReceipt: { input: OrderInput, access: ['cashier', 'doctor', 'nurse', 'admin'] },
  getPrintSettings: { input: Empty, access: 'operator' },
  setPrintSettings: { input: PrintSettingsInputSchema, access: ['admin'] },
  listSystemPrinters: { input: Empty, access: ['admin'] },
  printTestPage: { input: Empty, access: ['admin'] },
  outboxSummary: { input: Empty, access: 'operator' },
  storageStatus: { input: Empty, access: 'operator' },
  listIntents: { input: IntentListInput, access: ['admin'] },
  retryIntent: { input: IntentRetryInput, access: ['admin'] },
  decideIntent: { input: IntentDecisionInput, access: ['admin'] },
  listOperators: { input: Empty, access: ['admin'] },
  addOperator: { input: AddOperatorInput, access: ['admin'] },
  resetOperatorPassword: { input: ResetPasswordInput, access: ['admin'] },
  unlockOperator: { input: OperatorRefInput, access: ['admin'] },
  disableOperator: { input: OperatorRefInput, access: ['admin'] },
  enableOperator: { input: OperatorRefInput, access: ['admin'] },
  setUpFirstAdmin: { input: SetUpFirstAdminInput, access: 'public' },
  changePassword: { input: ChangePasswordInput, access: 'operator' },
  lockSession: { input: Empty, access: 'operator' },
  unlockSession: { input: UnlockSessionInput, access: 'operator' },
  listAudit: { input: AuditListInput, access: ['admin'] },
  currentShift: { input: Empty, access: ['cashier', 'doctor', 'nurse'] },
  closeShift: { input: CloseShiftInput, access: ['cashier', 'doctor', 'nurse', 'admin'] },
  dayClose: { input: DayCloseInput, access: ['admin'] },
  printShiftSlip: { input: ShiftInput, access: ['cashier', 'doctor', 'nurse', 'admin'] },
  printDaySlip: { input: DayCloseInput, access: ['admin'] },
  // the lists (issue 13): a cashier sees names and ID numbers masked, an admin in full (PERSONAL_DATA_ROLES)
  searchOrders: { input: SearchOrdersInput, access: ['admin', 'cashier'] },
  orderFeeLines: { input: OrderFeeLinesInput, access: ['admin', 'cashier'] },
  exportOrders: { input: ExportOrdersInput, access: ['admin', 'cashier'] },
  cancelExport: { input: CancelExportInput, access: ['admin', 'cashier'] },
  searchFinance: { input: SearchFinanceInput, access: ['admin', 'cashier'] },
  exportFinance: { input: ExportFinanceInput, access: ['admin', 'cashier'] },
  quickReverse: { input: QuickReverseInput, access: ['admin'] },
  getReversalSettings: { input: Empty, access: ['admin'] },
  setReversalSettings: { input: ReversalSettingsInput, access: ['admin'] },
  // DQ-05: the e-voucher report, and its export
  eVoucherReport: { input: EVoucherReportInput, access: ['admin'] },
  exportEVoucherReport: { input: ExportEVoucherReportInput, access: ['admin'] },
  // the nurse at the bedside (issue 15): the ward, 医保入院登记, the bill to date, the discharge and its surplus
  listWards: { input: Empty, access: ['nurse', 'admin'] },
  listWardPatients: { input: WardStaysInput, access: ['nurse', 'admin'] },
  admitStay: { input: AdmitStayInput, access: ['nurse', 'admin'] },
  registerSelfPayStay: { input: AdmitStayInput, access: ['nurse', 'admin'] },
  stayBill: { input: StayInput, access: ['nurse', 'admin'] },
  dischargeStay: { input: StayInput, access: ['nurse', 'admin'] },
  preSettleDischarge: { input: StayInput, access: ['nurse', 'admin'] },
  settleDischarge: { input: StayInput, access: ['nurse', 'admin'] },
  surplusSuggestion: { input: StayInput, access: ['nurse', 'admin'] },
  refundSurplus: { input: RefundSurplusInput, access: ['nurse', 'admin'] },
  payShortfallByCode: { input: ShortfallByCodeInput, access: ['nurse', 'admin'] },
  payShortfallByQr: { input: StayInput, access: ['nurse', 'admin'] },
  cancelShortfallQr: { input: StayInput, access: ['nurse', 'admin'] },
  // the window: deposit surpluses the bedside sent there, paid out in cash
  listWindowDepositRefunds: { input: Empty, access: ['cashier', 'admin'] },
  payOutDepositRefund: { input: StayInput, access: ['cashier', 'admin'] },
  printStayVoucher: { input: StayInput, access: ['nurse', 'admin'] },
  printDepositRefundSlip: { input: StayInput, access: ['cashier', 'admin'] },
  findStayByIptNo: { input: StayByIptNoInput, access: ['cashier', 'admin'] },
  undoDischargeSettlement: { input: UndoDischargeSettlementInput, access: ['cashier', 'admin'] },
  // 中途结算 while the patient stays, its slip, and 撤销入院 (2404) while no fee line is at the centre
  settleMidstay: { input: StayInput, access: ['nurse', 'admin'] },
  printMidstayVoucher: { input: MidstayVoucherInput, access: ['nurse', 'admin'] },
  cancelAdmission: { input: CancelAdmissionInput, access: ['nurse', 'admin'] },
  // AQ-06: a day reconciled with the centre (3201/3202) from the hospital ledger, and the runs kept
  runReconciliation: { input: RunReconciliationInput, access: ['admin'] },
  listReconciliations: { input: ListReconciliationsInput, access: ['admin'] },
  exportReconciliation: { input: ExportReconciliationInput, access: ['admin'] },
  // issue 14 item 3: a 3202 difference's suggestion carried out (2208 / 5204 and the outbox / a person), audited
  resolveReconDifference: { input: ResolveReconDifferenceInput, access: ['admin'] },
  // ZS-07: the month's cross-region clearing (3260 check, 3261 confirm, 3262 roll back) in its 5th–8th window
  getClearingMonth: { input: ClearingMonthInput, access: ['admin'] },
  runClearing: { input: RunClearingInput, access: ['admin'] },
  exportClearing: { input: ExportClearingInput, access: ['admin'] },
} as const satisfies Record<OperationName, { input: z.ZodType; access: Access }>;

export interface OperationOutputs {
  stationInfo: StationInfo;
  login: SignedInOperator;
  logout: null;
  currentOperator: SignedInOperator | null;
  listDevices: DeviceStatusView[];
  getConnectivity: ConnectivityView;
  identifyPatient: PatientView;
  testDevice: DeviceTestView;
  recentDeviceFrames: DeviceFrameView[];
  listOrders: OrderView[];
  preSettleOrder: OrderView;
  settleOrder: OrderView;
  payOrderByCode: OrderView;
  payOrderByCash: OrderView;
  payOrderByCard: OrderView;
  cancelOrderSettlement: OrderView;
  refundOrder: OrderView;
  payOrderByQr: OrderView;
  cancelOrderPayment: OrderView;
  selfPayOrder: OrderView;
  listTodayOrders: OrderView[];
  getReceipt: ReceiptView;
  exportReceiptPdf: { fileName: string; path: string; bytes: number };
  /** the slip marked as this print (补打 from the second on); `printed` null: the caller prints it */
  printReceipt: { receipt: ReceiptView; settings: PrintSettingsView; printed: { printer: string; copies: number } | null };
  getPrintSettings: PrintSettingsView;
  setPrintSettings: PrintSettingsView;
  listSystemPrinters: SystemPrintersView;
  /** `printed` null: the core has no printer of its own; `html` is the page for the caller to print */
  printTestPage: { printed: { printer: string; copies: number } | null; html: string; settings: PrintSettingsView };
  outboxSummary: OutboxSummary;
  storageStatus: StorageAlarmView;
  listIntents: IntentView[];
  retryIntent: IntentView;
  decideIntent: IntentView;
  listOperators: OperatorAdminView[];
  addOperator: OperatorAdminView;
  resetOperatorPassword: OperatorAdminView;
  unlockOperator: OperatorAdminView;
  disableOperator: OperatorAdminView;
  enableOperator: OperatorAdminView;
  setUpFirstAdmin: null;
  changePassword: SignedInOperator;
  lockSession: null;
  unlockSession: SignedInOperator;
  listAudit: AuditEntryView[];
  /** the operator's open shift (opened now if none) with its summary so far */
  currentShift: ShiftView;
  /** the shift as closed (a second close answers the same); one's own close signs the window out */
  closeShift: ShiftView;
  dayClose: DayCloseView;
  /** 交班单 / 日结单: `printed` null: the core has no printer of its own; `html` is the page for the caller to print */
  printShiftSlip: { printed: { printer: string; copies: number } | null; html: string; settings: PrintSettingsView };
  printDaySlip: { printed: { printer: string; copies: number } | null; html: string; settings: PrintSettingsView };
  searchOrders: OrderPage;
  orderFeeLines: OrderLineView[];
  /** the export runs on: `exportProgress` events tell how far, and where the file is when it is done */
  exportOrders: { exportId: string; total: number };
  cancelExport: { cancelled: boolean };
  searchFinance: FinancePage;
  exportFinance: { exportId: string; total: number };
  quickReverse: OrderView;
  getReversalSettings: ReversalSettings;
  setReversalSettings: ReversalSettings;
  eVoucherReport: EVoucherReportView;
  /** the file written in the exports folder */
  exportEVoucherReport: { file: string; rows: number };
  listWards: WardView[];
  listWardPatients: WardPatientView[];
  admitStay: StayView;
  /** 自费转医保: a stay HIS admitted self-pay, registered at the centre late (2401 with HIS's admission time) */
  registerSelfPayStay: StayView;
  /** 2303 of the bill to date (every fee line uploaded first) */
  stayBill: StayBillView;
  dischargeStay: StayView;
  preSettleDischarge: DischargePreviewView;
  /** 2304 and HIS's booking with the deposits applied; with a shortfall the stay rests settled, its amount to collect */
  settleDischarge: StayView;
  surplusSuggestion: SurplusSuggestionView;
  refundSurplus: StayView;
  /** the shortfall paid by the patient's payment code, then HIS books the discharge */
  payShortfallByCode: StayView;
  /** a QR for the shortfall on the screen (in the stay's payments); HIS books the discharge once it is paid */
  payShortfallByQr: StayView;
  /** the shortfall's QR closed at the platform (Esc at the bedside); paid just before, it is booked instead */
  cancelShortfallQr: StayView;
  listWindowDepositRefunds: WindowDepositRefundView[];
  /** the surplus paid out of the drawer and recorded at HIS as refunded in cash */
  payOutDepositRefund: StayView;
  /** 住院结算单: printed by the core's printer, or the page for the caller when it has none */
  printStayVoucher: { printed: { printer: string; copies: number } | null; html: string; settings: PrintSettingsView };
  /** 预交金退款凭证 of a surplus paid out at the window */
  printDepositRefundSlip: { printed: { printer: string; copies: number } | null; html: string; settings: PrintSettingsView };
  findStayByIptNo: StayView;
  /** HIS's booking and the centre's settlement undone: the stay discharged and unsettled again */
  undoDischargeSettlement: StayView;
  /** 2304 (mid_setl_flag 1) of the bill to date and HIS's midway booking with the deposits applied */
  settleMidstay: MidstaySettlementView;
  /** 中途结算单: as printStayVoucher */
  printMidstayVoucher: { printed: { printer: string; copies: number } | null; html: string; settings: PrintSettingsView };
  /** the stay cancelled at the centre (2404) */
  cancelAdmission: StayView;
  /** the run as kept (a run that could not finish is kept as failed and answers its error) */
  runReconciliation: ReconciliationRunView;
  listReconciliations: ReconciliationRunView[];
  /** the file written in the exports folder */
  exportReconciliation: { file: string; rows: number };
  resolveReconDifference: ReconResolutionView;
  getClearingMonth: ClearingMonthView;
  /** the run as kept (one the centre refused or did not answer is kept as failed and answers its error) */
  runClearing: ClearingRunView;
  exportClearing: { file: string; rows: number };
}

export type OperationInput<K extends OperationName> = z.input<(typeof operations)[K]['input']>;
export type OperationArgs<K extends OperationName> = z.output<(typeof operations)[K]['input']>;

/** Events the core pushes to the screens. */
export interface StationEventMap {
  deviceStatus: DeviceStatusView;
  deviceWarning: { deviceId: string; message: string; at: string };
  scan: ScanEvent;
  connectivity: ConnectivityView;
  outboxAlarm: OutboxSummary;
  storageAlarm: StorageAlarmView;
  orderUpdated: OrderView;
  /** A stay changed in the core (a step finished, its e-bill moved): the ids only, not a view. The bedside's list joins
   *  HIS's ward (balances, the bill to date) with the stay, so a screen showing it reads it again as it reads it on F5:
   *  one source of truth, never a half view beside a full one. */
  stayUpdated: { stayId: string; iptNo: string };
  /** `disabled`: an administrator disabled the operator while signed in. */
  /** Why a window's sign-in ended: its own logout, the session lifetime, an administrator disabling the account or
   *  resetting its password (the old password must not keep a window open), or the core restarting under it. */
  sessionEnded: { reason: 'logout' | 'expired' | 'disabled' | 'password-reset' | 'restarted' };
  /** An export's progress, to every signed-in window: each shows only its own operator's. */
  exportProgress: ExportProgress & { operatorId: string };
}
// Every event name has a payload type, and no payload type lacks a name.
type _EventsComplete = [keyof StationEventMap] extends [StationEventName]
  ? [StationEventName] extends [keyof StationEventMap]
    ? true
    : never
  : never;
export const EVENTS_COMPLETE: _EventsComplete = true;

export type Unsubscribe = () => void;

export type StationCalls = {
  [K in OperationName]: (input: OperationInput<K>) => Promise<Result<OperationOutputs[K]>>;
};
export type StationSubscriptions = {
  [E in StationEventName as `on${Capitalize<E>}`]: (listener: (payload: StationEventMap[E]) => void) => Unsubscribe;
};

/**
 * What the renderer holds as `window.station`: one function per operation and one `onX(cb)` per event,
 * each returning an unsubscribe. The Electron preload and the WebSocket client both `satisfies` it.
 */
export type StationApi = StationCalls & StationSubscriptions;

export function isOperationName(name: unknown): name is OperationName {
  return typeof name === 'string' && Object.hasOwn(operations, name);
}

export function isEventName(name: unknown): name is StationEventName {
  return typeof name === 'string' && (EVENT_NAMES as readonly string[]).includes(name);
}

/** Whether an operator holding `roles` (null: nobody signed in) may call; one matching role is enough. */
export function mayCall(access: Access, roles: readonly Role[] | null): boolean {
  if (access === 'public') return true;
  if (roles === null) return false;
  if (access === 'operator') return true;
  return roles.some((role) => access.includes(role));
}
