/**
 * The page's calls to its service (/m/api on the same origin): the session token as bearer, an Idempotency-Key on
 * each POST (a retried tap is answered once), every answer checked with zod before the page shows it.
 */
import { z } from 'zod';

const fen = z.number().int();

export const Stay = z.object({
  iptNo: z.string(),
  patientName: z.string(),
  ward: z.string(),
  bedNo: z.string(),
  dept: z.string(),
  admittedAt: z.string(),
  dischargeOrdered: z.boolean(),
  admittedAtCentre: z.boolean(),
  pendingFen: fen,
  depositBalanceFen: fen,
  lines: z.array(
    z.object({
      lineNo: z.number().int(),
      day: z.string(),
      name: z.string(),
      spec: z.string(),
      unit: z.string(),
      quantity: z.string(),
      unitPriceFen: fen,
      amountFen: fen,
    }),
  ),
});
export type Stay = z.output<typeof Stay>;

export const Shares = z.object({ medfeeFen: fen, fundFen: fen, acctFen: fen, cashFen: fen, discharge: z.boolean() });
export type Shares = z.output<typeof Shares>;

export const Settlement = z.object({
  settlementId: z.string(),
  state: z.enum(['preparing', 'paying', 'paid', 'failed', 'unknown', 'refunding', 'refunded']),
  medfeeFen: fen,
  fundFen: fen,
  acctFen: fen,
  cashFen: fen,
  payOrderId: z.string().nullable(),
  detail: z.string().nullable(),
  refunds: z.array(z.object({ applicationId: z.string(), state: z.string(), reason: z.string(), detail: z.string().nullable() })),
});
export type Settlement = z.output<typeof Settlement>;
export const LiveSettlement = z.object({ settlement: Settlement.nullable() });

export const Refund = z.object({
  applicationId: z.string(),
  state: z.enum(['applied', 'refunded', 'refused', 'unknown']),
  detail: z.string().nullable(),
});

export const Guidance = z.object({
  drugs: z.array(z.object({ name: z.string(), spec: z.string(), quantity: z.string(), unit: z.string() })),
  printing: z.string(),
  leaving: z.array(z.string()),
});
export type Guidance = z.output<typeof Guidance>;

const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

/** What the patient reads when a call fails: the service's own words, or why there are none. */
export class PageError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

export interface PhoneApi {
  get<T>(path: string, schema: z.ZodType<T>): Promise<T>;
  post<T>(path: string, body: unknown, schema: z.ZodType<T>, idempotencyKey?: string): Promise<T>;
}

export function phoneApi(token: string): PhoneApi {
  async function call<T>(method: 'GET' | 'POST', path: string, schema: z.ZodType<T>, body?: unknown, key?: string): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`./api/${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(method === 'POST' ? { 'content-type': 'application/json', 'idempotency-key': key ?? newKey() } : {}),
        },
        ...(method === 'POST' ? { body: JSON.stringify(body ?? {}) } : {}),
      });
    } catch {
      throw new PageError('网络连接失败，请检查网络后重试', 'NETWORK');
    }
    const json: unknown = await res.json().catch(() => null);
    if (!res.ok) {
      const e = ErrorBody.safeParse(json);
      throw e.success ? new PageError(e.data.error.message, e.data.error.code) : new PageError(`服务暂时不可用（${res.status}）`, 'HTTP');
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new PageError('服务返回的数据无法识别，请稍后重试', 'BAD_ANSWER');
    return parsed.data;
  }
  return {
    get: (path, schema) => call('GET', path, schema),
    post: (path, body, schema, key) => call('POST', path, schema, body, key),
  };
}

export function newKey(): string {
  return crypto.randomUUID().replaceAll('-', '');
}
