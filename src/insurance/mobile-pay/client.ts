/**
 * The mobile-payment centre's client: each transaction sealed in the SM4/SM2 envelope, the answer's signature
 * verified and its data checked with zod. Outcomes are the three the outbox needs: ok, rejected (the centre said
 * no, nothing happened) and unknown (no trustworthy answer: it may have happened).
 */
import { z } from 'zod';
import { yuanToFen, type Fen } from '../../shared/money';
import { openMobilePay, sealMobilePay, type MobilePayKeys } from '../crypto';
import { NO_REDIRECTS, readBoundedText } from '../http';
import type { MobilePayConfig } from './config';

export type MobilePayOutcome<T> =
  | { kind: 'ok'; value: T }
  | { kind: 'rejected'; code: string; message: string }
  | { kind: 'unknown'; reason: 'network' | 'timeout' | 'http' | 'malformed' | 'signature' | 'busy'; detail: string };

const Yuan = z.union([z.string(), z.number()]).transform((v, ctx): Fen => {
  try {
    return yuanToFen(v);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'not a yuan amount' });
    return z.NEVER;
  }
});

export const UploadAnswer = z.object({
  payOrdId: z.string().min(1),
  payToken: z.string().min(1),
  extData: z.object({ mdtrtId: z.string().min(1), feeSumamt: Yuan, fundPay: Yuan, psnAcctPay: Yuan, ownPayAmt: Yuan }),
});
export type UploadAnswer = z.output<typeof UploadAnswer>;

export const OrderAnswer = z.object({
  payOrdId: z.string().min(1),
  medOrgOrd: z.string().optional(),
  ordStas: z.string().min(1),
  feeSumamt: Yuan,
  ownPayAmt: Yuan,
  psnAcctPay: Yuan,
  fundPay: Yuan,
  hiDocSn: z.string().optional(),
  refunds: z.array(z.object({ appRefdSn: z.string(), refStatus: z.string() })).optional(),
});
export type OrderAnswer = z.output<typeof OrderAnswer>;

export const RefundAnswer = z.object({ payOrdId: z.string(), appRefdSn: z.string(), refStatus: z.enum(['SUCC', 'FAIL', 'EXP']) });
export type RefundAnswer = z.output<typeof RefundAnswer>;

const RevokeAnswer = z.object({ success: z.boolean() });

/** ordStas as groups (protocol-research.md §3.5): the individual codes are provincial. */
export function orderStage(ordStas: string): 'in-progress' | 'settled' | 'cancelled' | 'failed' {
  const n = Number(ordStas);
  if (n >= 3 && n <= 6) return 'settled';
  if (n >= 7 && n <= 13) return 'cancelled';
  if (n >= 14) return 'failed';
  return 'in-progress';
}

const BUSY_CODES = new Set(['9999']);

export interface FeeLine {
  feedetlSn: string;
  medListCodg: string;
  medinsListCodg: string;
  cnt: string;
  pric: string;
  amountFen: number;
}

export interface UploadInput {
  medOrgOrd: string;
  payAuthNo: string;
  idNo: string;
  idType: string;
  userName: string;
  psnNo: string;
  insutype: string;
  medType: string;
  iptOtpNo: string;
  deptCode: string;
  deptName: string;
  chrgBchno: string;
  begntime: string;
  acctUsedFlag: '0' | '1';
  lines: readonly FeeLine[];
}

const yuan = (fen: number) => `${Math.trunc(fen / 100)}.${String(Math.abs(fen) % 100).padStart(2, '0')}`;

export class MobilePayClient {
  private readonly keys: MobilePayKeys;

  constructor(
    private readonly config: MobilePayConfig,
    private readonly now: () => Date = () => new Date(),
    private readonly fetchFn: typeof fetch = fetch,
  ) {
    this.keys = {
      appId: config.appId,
      appSecret: config.appSecret,
      privateKeyHex: config.privateKeyHex,
      peerPublicKeyHex: config.centrePublicKeyHex,
      userId: config.userId,
    };
  }

  /** 6201 fee upload; the same medOrgOrd with the same lines gives the same order (the centre's idempotency). */
  upload(input: UploadInput): Promise<MobilePayOutcome<UploadAnswer>> {
    const sum = input.lines.reduce((s, l) => s + l.amountFen, 0);
    return this.call('uldFeeInfo', UploadAnswer, {
      orgCodg: this.config.orgCodg,
      medOrgOrd: input.medOrgOrd,
      payAuthNo: input.payAuthNo,
      psnNo: input.psnNo,
      insutype: input.insutype,
      idNo: input.idNo,
      idType: input.idType,
      userName: input.userName,
      iptOtpNo: input.iptOtpNo,
      deptCode: input.deptCode,
      deptName: input.deptName,
      medType: input.medType,
      feeType: '01',
      psnSetlway: '01',
      chrgBchno: input.chrgBchno,
      begntime: input.begntime,
      acctUsedFlag: input.acctUsedFlag,
      medfeeSumamt: yuan(sum),
      feedetailList: input.lines.map((l) => ({
        feedetlSn: l.feedetlSn,
        medListCodg: l.medListCodg,
        medinsListCodg: l.medinsListCodg,
        cnt: l.cnt,
        pric: l.pric,
        detItemFeeSumamt: yuan(l.amountFen),
      })),
    });
  }

  /** 6202 pay order: insurance and self-pay in one step. */
  pay(input: { payAuthNo: string; payOrdId: string; payToken: string; mdtrtId: string; chrgBchno: string; acctUsedFlag: '0' | '1' }) {
    return this.call('pay_order', OrderAnswer, { ...input, orgCodg: this.config.orgCodg, orgBizSer: input.chrgBchno, feeType: '01' });
  }

  /** 6301 order result. */
  query(input: { payOrdId: string; payToken: string; idNo: string; userName: string; idType: string }) {
    return this.call('query_order_info', OrderAnswer, { ...input, orgCodg: this.config.orgCodg });
  }

  /** 6203 refund of the whole bill (refdType ALL), idempotent by appRefdSn. */
  refund(input: {
    payOrdId: string;
    appRefdSn: string;
    payAuthNo: string;
    totlFen: number;
    fundFen: number;
    acctFen: number;
    cashFen: number;
  }) {
    const at = this.now();
    const stamp = new Date(at.getTime() + 8 * 3600_000).toISOString().replace(/[-T:]/g, '').slice(0, 14);
    return this.call('refund_Order', RefundAnswer, {
      appId: this.config.appId,
      payOrdId: input.payOrdId,
      appRefdSn: input.appRefdSn,
      appRefdTime: stamp,
      totlRefdAmt: yuan(input.totlFen),
      psnAcctRefdAmt: yuan(input.acctFen),
      fundRefdAmt: yuan(input.fundFen),
      cashRefdAmt: yuan(input.cashFen),
      refdType: 'ALL',
      payAuthNo: input.payAuthNo,
    });
  }

  /** 6401 cancel an unpaid upload. */
  revoke(input: { payOrdId: string; payToken: string; idNo: string; userName: string; idType: string }) {
    return this.call('revoke_order', RevokeAnswer, { ...input, orgCodg: this.config.orgCodg });
  }

  private async call<T extends z.ZodType>(path: string, schema: T, data: Record<string, unknown>): Promise<MobilePayOutcome<z.output<T>>> {
    const envelope = sealMobilePay(this.keys, data, String(this.now().getTime()));
    let text: string;
    let status: number;
    try {
      const response = await this.fetchFn(`${this.config.baseUrl}/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json;charset=utf-8' },
        body: JSON.stringify(envelope),
        signal: AbortSignal.timeout(this.config.timeoutMs),
        ...NO_REDIRECTS,
      });
      status = response.status;
      text = await readBoundedText(response, 1024 * 1024);
    } catch (e) {
      const timeout = e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError');
      return { kind: 'unknown', reason: timeout ? 'timeout' : 'network', detail: e instanceof Error ? e.message : String(e) };
    }
    if (status !== 200) return { kind: 'unknown', reason: 'http', detail: `HTTP ${status}` };
    let body: Record<string, unknown>;
    try {
      body = z.record(z.string(), z.unknown()).parse(JSON.parse(text));
    } catch {
      return { kind: 'unknown', reason: 'malformed', detail: 'answer is not a JSON object' };
    }
    const code = String(body.code ?? '');
    if (code !== '0') {
      const message = typeof body.message === 'string' ? body.message : '';
      // A busy centre did nothing, but says "try again": unknown keeps the outbox asking rather than giving up.
      if (BUSY_CODES.has(code)) return { kind: 'unknown', reason: 'busy', detail: `${code} ${message}` };
      return { kind: 'rejected', code, message };
    }
    let opened: unknown;
    try {
      opened = openMobilePay(this.keys, body);
    } catch (e) {
      return { kind: 'unknown', reason: 'signature', detail: e instanceof Error ? e.message : String(e) };
    }
    const parsed = schema.safeParse(opened);
    if (!parsed.success) return { kind: 'unknown', reason: 'malformed', detail: parsed.error.message };
    return { kind: 'ok', value: parsed.data };
  }
}
