/**
 * What the operator reads for every error code — the one table all screens share, so the same failure reads
 * the same everywhere. `core` marks the codes whose message from the core adds facts the title cannot know:
 * the centre's own reason, the field at fault, until when an account is locked.
 */
import type { ApiError, ErrorCode } from '../../shared/result';

const ERROR_TEXT: Record<ErrorCode, { title: string; core?: true }> = {
  INVALID_ARGUMENT: { title: '输入有误', core: true },
  UNAUTHENTICATED: { title: '登录已失效，请重新登录', core: true },
  FORBIDDEN: { title: '当前账号无权进行此操作' },
  BAD_CREDENTIALS: { title: '工号或密码错误', core: true },
  ACCOUNT_LOCKED: { title: '账号已锁定，请稍后再试或联系系统管理员', core: true },
  NOT_FOUND: { title: '未找到相关记录', core: true },
  SCAN_EXPIRED: { title: '扫码已过期，请患者重新出示医保电子凭证' },
  UNKNOWN_VOUCHER: { title: '无效的医保电子凭证，请患者刷新二维码后重试' },
  DEVICE_OFFLINE: { title: '设备未连接', core: true },
  DEVICE_ERROR: { title: '设备未能完成操作', core: true },
  CENTRE_UNREACHABLE: { title: '医保中心无法连接，请稍后重试' },
  CENTRE_REJECTED: { title: '医保中心拒绝办理', core: true },
  OUTCOME_UNKNOWN: { title: '结果未确认，系统正在自动核实，请勿重复操作', core: true },
  CONFLICT: { title: '操作冲突，请刷新后重试', core: true },
  INTERNAL: { title: '操作未完成', core: true },
  SETUP_REQUIRED: { title: '本工作站尚未设置管理员，请先创建首个管理员' },
  SESSION_LOCKED: { title: '屏幕已锁定，请输入密码解锁' },
  PASSWORD_CHANGE_REQUIRED: { title: '请先修改密码' },
};

export interface ErrorText {
  title: string;
  detail: string | null;
}

export function describeError(error: ApiError): ErrorText {
  const { title, core } = ERROR_TEXT[error.code];
  // "工号或密码错误，还可尝试 4 次" under the title 工号或密码错误 reads as just "还可尝试 4 次"
  const raw = error.message.trim();
  const message = raw.startsWith(`${title}，`) ? raw.slice(title.length + 1).trim() : raw;
  return { title, detail: core && message && message !== title ? message : null };
}
