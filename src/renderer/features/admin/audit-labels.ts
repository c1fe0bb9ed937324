import type { OperationName } from '../../../shared/api';
import type { AuditEntryView } from '../../../shared/domain';
import { ERROR_CODES, type ErrorCode } from '../../../shared/result';
import { TONE_COLORS } from '../../common/tone';
import { ERROR_TEXT } from '../../common/error-text';

/** Every operation is named here (the compiler checks), plus the actions the core records on its own. */
const OPERATION_LABELS: Record<OperationName, string> = {
  stationInfo: '查询工作站信息',
  login: '登录',
  logout: '退出登录',
  currentOperator: '查询当前操作员',
  listDevices: '查看外设',
  getConnectivity: '查询医保连接',
  identifyPatient: '识别参保人',
  testDevice: '外设测试',
  recentDeviceFrames: '查看外设记录',
  listOrders: '查询待缴费处方',
  preSettleOrder: '医保预结算',
  settleOrder: '医保结算',
  payOrderByCode: '付款码收款',
  payOrderByCash: '现金收款',
  payOrderByCard: '银行卡收款',
  cancelOrderSettlement: '撤销医保结算',
  refundOrder: '退费',
  payOrderByQr: '二维码收款',
  cancelOrderPayment: '取消收款二维码',
  selfPayOrder: '自费结算',
  listTodayOrders: '查看今日结算',
  getReceipt: '查看结算单',
  exportReceiptPdf: '导出结算单 PDF',
  printReceipt: '打印结算单',
  getPrintSettings: '查看打印设置',
  setPrintSettings: '修改打印设置',
  listSystemPrinters: '查看系统打印机',
  printTestPage: '打印测试页',
  outboxSummary: '查询待核实交易数',
  storageStatus: '查询本机存储状态',
  listIntents: '查看待核实交易',
  retryIntent: '要求立即核实',
  decideIntent: '人工处理交易',
  listOperators: '查看操作员',
  addOperator: '新增操作员',
  resetOperatorPassword: '重置操作员密码',
  unlockOperator: '解锁操作员',
  disableOperator: '停用操作员',
  enableOperator: '启用操作员',
  setUpFirstAdmin: '创建首个管理员',
  changePassword: '修改密码',
  lockSession: '锁屏',
  unlockSession: '解锁屏幕',
  listAudit: '查看审计日志',
  currentShift: '查看本班汇总',
  closeShift: '交班',
  dayClose: '日结',
  printShiftSlip: '打印交班单',
  printDaySlip: '打印日结单',
  searchOrders: '查询结算流水',
  orderFeeLines: '查看费用明细',
  exportOrders: '导出结算流水',
  cancelExport: '取消导出',
  searchFinance: '查询财务列表',
  exportFinance: '导出财务列表',
  quickReverse: '快速撤销',
  getReversalSettings: '查看撤销设置',
  setReversalSettings: '修改撤销设置',
  eVoucherReport: '电子凭证报表',
  exportEVoucherReport: '导出电子凭证报表',
  listWards: '查看病区',
  listWardPatients: '查看病区患者',
  admitStay: '医保入院登记',
  registerSelfPayStay: '自费转医保',
  stayBill: '住院费用预结算',
  dischargeStay: '出院办理',
  preSettleDischarge: '出院预结算',
  settleDischarge: '出院结算',
  surplusSuggestion: '查看预交金余额退款建议',
  refundSurplus: '预交金余额原路退款',
  payShortfallByCode: '出院补缴（付款码）',
  payShortfallByQr: '出院补缴（二维码）',
  cancelShortfallQr: '关闭补缴二维码',
  listWindowDepositRefunds: '查看待退预交金',
  payOutDepositRefund: '预交金余额窗口现金退款',
  printStayVoucher: '打印住院结算单',
  printDepositRefundSlip: '打印预交金退款凭证',
  findStayByIptNo: '按住院号查找住院登记',
  undoDischargeSettlement: '撤销出院结算',
  settleMidstay: '中途结算',
  printMidstayVoucher: '打印中途结算单',
  cancelAdmission: '撤销入院',
  runReconciliation: '对账',
  listReconciliations: '查看对账记录',
  exportReconciliation: '导出对账差异',
  resolveReconDifference: '处理对账差异',
  getClearingMonth: '查看异地清分',
  runClearing: '异地清分',
  exportClearing: '导出异地清分',
};

const CORE_ACTION_LABELS: Record<string, string> = {
  'session.closed': '会话结束',
  'ledger.export': '导出结算流水',
  'unknown-operation': '未知操作',
  'session.expired': '登录超时',
  'session.locked': '锁屏',
  'operators.setup': '创建首个管理员',
  'operators.add': '新增操作员',
  'operators.reset': '重置操作员密码',
  'operators.unlock': '解锁操作员',
  'operators.disable': '停用操作员',
  'operators.enable': '启用操作员',
  'operators.changePassword': '修改本人密码',
  'nhsa.signOut': '医保签退',
  'receipt.printed': '打印结算单',
  'receipt.reprinted': '补打结算单',
  'receipts.printSettings': '修改打印设置',
  'shift.open': '开班',
  'shift.close': '交班',
  'stay.undoSettlement': '撤销出院结算（原因）',
  'stay.cancelAdmission': '撤销入院（原因）',
  'shift.closeForOther': '代交班（管理员）',
  'shift.slip': '打印交班单',
  'shift.daySlip': '打印日结单',
  'report.eVoucher': '导出电子凭证报表',
  'reconciliation.auto': '自动对账',
  'reconciliation.export': '导出对账差异',
  'reconciliation.resolve': '处理对账差异',
  'clearing.confirm': '异地清分确认',
  'clearing.rollback': '异地清分回退',
  'clearing.check': '异地清分核对',
  'clearing.export': '导出异地清分',
};

const ACTION_LABELS: Record<string, string> = { ...OPERATION_LABELS, ...CORE_ACTION_LABELS };

/** `null` for an action this build has no name for; the raw action is shown alone then. */
export function actionLabel(action: string): string | null {
  return ACTION_LABELS[action] ?? null;
}

export const OUTCOME_LABELS: Record<AuditEntryView['outcome'], { label: string; color: string }> = {
  ok: { label: '成功', color: TONE_COLORS.ok },
  denied: { label: '拒绝', color: TONE_COLORS.warn },
  failed: { label: '失败', color: TONE_COLORS.danger },
};

/** Codes the core writes at the start of a detail that are not api error codes (its own background steps). */
const CORE_DETAIL_LABELS: Record<string, string> = {
  NHSA_SIGN_OUT: '医保签退失败',
};

const CODE_LABELS: Record<string, string> = {
  ...Object.fromEntries(ERROR_CODES.map((code: ErrorCode) => [code, ERROR_TEXT[code].title])),
  ...CORE_DETAIL_LABELS,
};

/**
 * A failure's detail in words: the core writes "CODE reason" (older rows "CODE: reason"); the admin reads
 * "label：reason", and the code moves to `code` for a small aside or a tooltip, never the start of the text.
 */
export function auditDetail(detail: string): { text: string; code: string | null } {
  const m = /^([A-Z][A-Z0-9_]+)(?::\s*|\s+|$)([\s\S]*)$/.exec(detail);
  const label = m ? CODE_LABELS[m[1]!] : undefined;
  if (!m || !label) return { text: detail, code: null };
  const reason = m[2]!.trim();
  return { text: reason ? `${label}：${reason}` : label, code: m[1]! };
}
