/**
 * E-voucher (医保电子凭证) decode: the QR text a scan box delivered goes to the voucher service's `ec.query`,
 * which answers with a one-off ecToken and the holder's identity; 1101 then takes cert type 01 + ecToken.
 *
 * Wire: POST {baseUrl}/ec/query, body { transType: "ec.query", orgId, data: {...} }, answer
 * { code, message, data: <JSON text> } with code 0 on success (protocol-research §2.2).
 *
 * The QR text is a bearer credential: it is never logged and never copied into an error detail.
 */
import { z } from 'zod';
import { DEFAULT_MAX_ANSWER_BYTES, NO_REDIRECTS, isRedirect, readBoundedText } from '../http';

export const BUSINESS_TYPES = [
  '01101', // 挂号 registration
  '01102', // 住院建档
  '01103', // 入院登记
  '01104', // 缴纳预缴金
  '01201', // 问诊
  '01202', // 预约检查
  '01203', // 检查
  '01204', // 治疗
  '01301', // 结算 settlement
  '01302', // 取药
  '01303', // 取报告
  '01304', // 打印票据和清单
  '01305', // 病历材料复印
  '02121', // 药店购药
  '02122', // 下载外购处方
  '03131', // 医疗类 APP 线上身份认证
] as const;
export type BusinessType = (typeof BUSINESS_TYPES)[number];

const VoucherRequestSchema = z.object({
  orgId: z.string().regex(/^[A-Za-z0-9]{12}$/, 'orgId is the 12-character fixmedins_code'),
  businessType: z.enum(BUSINESS_TYPES),
  operatorId: z.string().min(1).max(30),
  operatorName: z.string().min(1).max(50),
  officeId: z.string().max(30).optional(),
  officeName: z.string().max(50).optional(),
  qrCode: z.string().min(1).max(2048),
});
export type VoucherRequest = z.input<typeof VoucherRequestSchema>;

export type VoucherOutcome =
  | { kind: 'ok'; ecToken: string; idNo: string; idType: string; userName: string; insuOrg: string }
  | { kind: 'rejected'; code: string; message: string }
  | { kind: 'unknown'; detail: string };

export interface VoucherClientOptions {
  timeoutMs: number;
  fetch?: typeof fetch;
}

const ReplySchema = z.object({
  code: z.union([z.string(), z.number()]).transform(String),
  message: z
    .string()
    .nullish()
    .transform((m) => m ?? ''),
  data: z.unknown().optional(),
});

const IdentitySchema = z.object({
  ecToken: z.string().min(1),
  idNo: z.string().min(1),
  idType: z.string(),
  userName: z.string().min(1),
  insuOrg: z.string(),
});

/** Rejects (before sending) only on an invalid request; every transport or format problem is 'unknown'. */
export async function decodeVoucher(baseUrl: string, request: VoucherRequest, options: VoucherClientOptions): Promise<VoucherOutcome> {
  const req = VoucherRequestSchema.parse(request);
  const body = {
    transType: 'ec.query',
    orgId: req.orgId,
    data: {
      orgId: req.orgId,
      businessType: req.businessType,
      operatorId: req.operatorId,
      operatorName: req.operatorName,
      officeId: req.officeId ?? '',
      officeName: req.officeName ?? '',
      ecQrCode: req.qrCode,
    },
  };

  const signal = AbortSignal.timeout(options.timeoutMs);
  let status: number;
  let text: string;
  try {
    const response = await (options.fetch ?? fetch)(`${baseUrl.replace(/\/+$/, '')}/ec/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json;charset=utf-8', accept: 'application/json' },
      body: JSON.stringify(body),
      signal,
      ...NO_REDIRECTS,
    });
    status = response.status;
    text = isRedirect(status) ? '' : await readBoundedText(response, DEFAULT_MAX_ANSWER_BYTES);
  } catch (error) {
    if (signal.aborted) return { kind: 'unknown', detail: `no answer within ${options.timeoutMs} ms` };
    return { kind: 'unknown', detail: `network: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (status < 200 || status > 299) return { kind: 'unknown', detail: `HTTP ${status}` };

  let reply: z.output<typeof ReplySchema>;
  try {
    reply = ReplySchema.parse(JSON.parse(text));
  } catch {
    return { kind: 'unknown', detail: `answer is not a voucher-service reply (${text.length} bytes)` };
  }
  if (reply.code !== '0') return { kind: 'rejected', code: reply.code, message: reply.message };

  // `data` is JSON text inside the JSON answer; some deployments send the object itself.
  let identity: z.output<typeof IdentitySchema>;
  try {
    identity = IdentitySchema.parse(typeof reply.data === 'string' ? JSON.parse(reply.data) : reply.data);
  } catch {
    return { kind: 'unknown', detail: 'code 0 but data lacks ecToken / idNo / userName' };
  }
  return { kind: 'ok', ...identity };
}
