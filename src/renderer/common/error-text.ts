/**
 * The messages catalogue: what the operator reads for every error code the station can send, and for the scan
 * box's own surprises — what happened (`title`) and what to do now (`next`), in the cashier's words. The code
 * itself goes on a small detail line for support, never in the title. `core` marks the codes whose message
 * from the core adds facts the title cannot know: the centre's own reason, the field at fault, until when an
 * account is locked.
 */
import type { ScanKind } from '../../shared/domain';
import type { ApiError, ErrorCode } from '../../shared/result';

export interface MessageText {
  title: string;
  next: string;
}

export const ERROR_TEXT: Record<ErrorCode, MessageText & { core?: true | 'next' }> = {
  // The schemas' messages say what to do ("身份证号校验位不正确，请核对后重新输入"): they are the next step.
  INVALID_ARGUMENT: { title: '输入有误', next: '请核对输入后重新提交', core: 'next' },
  UNAUTHENTICATED: { title: '登录已失效', next: '请重新登录后再办理', core: true },
  FORBIDDEN: { title: '当前账号无权进行此操作', next: '请由有此权限的人员办理，或请系统管理员调整角色' },
  BAD_CREDENTIALS: { title: '工号或密码错误', next: '请核对后重新输入；连续输错会锁定账号', core: true },
  ACCOUNT_LOCKED: { title: '账号已锁定', next: '请稍后再试，或请系统管理员解锁', core: true },
  NOT_FOUND: { title: '未找到相关记录', next: '请刷新后重试；仍找不到请联系信息科', core: true },
  PATIENT_NOT_FOUND: {
    title: '查不到该患者',
    next: '请核对身份证号，或请患者重新出示医保电子凭证；未参保的患者请出示就诊卡，按自费办理',
    core: true,
  },
  NOT_INSURED: { title: '该患者未参保，不能医保结算', next: '请按 F8 自费结算' },
  NO_BENEFITS: { title: '该患者本次不能享受医保待遇', next: '请告知患者原因（见下方），按 F8 改为自费结算', core: true },
  ORDER_BUSY: { title: '这张收费单有一笔交易正在处理', next: '请稍候，不要重复操作；可以先办理下一位患者', core: true },
  SCAN_EXPIRED: { title: '扫码已过期', next: '请患者重新出示医保电子凭证' },
  UNKNOWN_VOUCHER: { title: '无效的医保电子凭证', next: '请患者在手机上刷新医保电子凭证后重新扫码' },
  DEVICE_OFFLINE: { title: '设备未连接', next: '请检查设备的连接线和电源，或改用其他识别方式（F2 输入身份证号）', core: true },
  DEVICE_ERROR: { title: '设备未能完成操作', next: '请按下方原因处理后重试', core: true },
  CENTRE_UNREACHABLE: { title: '医保中心暂时无法连接', next: '请稍后重试；持续无法连接请联系信息科', core: true },
  CENTRE_REJECTED: { title: '医保中心拒绝办理', next: '请按下方原因处理；处理不了可改为自费结算（F8）或联系医保科', core: true },
  OUTCOME_UNKNOWN: { title: '结果还未确认，系统正在自动核实', next: '请不要重复操作，也不要另行收费；核实后屏幕会更新', core: true },
  CONFLICT: { title: '当前状态不能进行此操作', next: '请按屏幕上的提示操作，或按 Esc 后重新识别患者', core: true },
  INTERNAL: { title: '操作未完成', next: '请联系信息科，并告知下方的代码', core: true },
  STORAGE_FAILED: {
    title: '工作站无法保存数据，本次操作未办理',
    next: '请暂停收费并联系信息科（原因见屏幕上方的告警）；告警消失后再继续办理',
  },
  SETUP_REQUIRED: { title: '本工作站尚未设置管理员', next: '请先创建首个管理员' },
  SESSION_LOCKED: { title: '屏幕已锁定', next: '请输入密码解锁' },
  PASSWORD_CHANGE_REQUIRED: { title: '需要先修改密码', next: '请修改密码后继续' },
};

export interface ErrorText extends MessageText {
  /** The core's own words where they add facts (the centre's reason), else null. */
  detail: string | null;
  /** The raw code, for the detail line and for support. */
  code: ErrorCode;
}

export function describeError(error: ApiError): ErrorText {
  const { title, next, core } = ERROR_TEXT[error.code];
  // "工号或密码错误，还可尝试 4 次" under the title 工号或密码错误 reads as just "还可尝试 4 次"
  const raw = error.message.trim();
  const message = raw.startsWith(`${title}，`) ? raw.slice(title.length + 1).trim() : raw;
  if (core === 'next') return { title, next: schemaMessage(message) || next, detail: null, code: error.code };
  return { title, next, detail: core && message && message !== title ? message : null, code: error.code };
}

/** "参数无效：certNo: 身份证号校验位不正确…" (the core's refusal) reads as the schema's own words. */
function schemaMessage(message: string): string {
  return message
    .replace(/^参数无效：/, '')
    .replace(/^[\w.]+: /, '')
    .trim();
}

/** The detail line under a message: the core's reason, then the code. */
export function errorDetailLine(text: ErrorText): string {
  return text.detail ? `${text.detail}（代码 ${text.code}）` : `代码 ${text.code}`;
}

/** A code on the scan box that identifies nobody (an e-voucher or a hospital card does) while the cashier waits for a patient. */
export const SCAN_TEXT: Record<Exclude<ScanKind, 'nhsa-ec' | 'hospital-card'>, MessageText> = {
  'wechat-pay': { title: '扫到的是微信付款码，不是医保电子凭证', next: '请先识别患者：请患者在微信或支付宝中打开「医保电子凭证」后扫码' },
  'alipay-pay': { title: '扫到的是支付宝付款码，不是医保电子凭证', next: '请先识别患者：请患者在微信或支付宝中打开「医保电子凭证」后扫码' },
  unknown: { title: '扫到的条码无法识别', next: '请患者出示医保电子凭证或就诊卡，对准扫码墩重新扫码' },
};

/** Bytes from the scan box that were not a whole code (line noise, a cut-off frame): the core's deviceWarning. */
export const SCAN_BOX_NOISE_TEXT: MessageText = {
  title: '扫码墩收到的数据不完整，没有识别出条码',
  next: '请患者重新扫码；反复出现请检查扫码墩的连接线',
};
