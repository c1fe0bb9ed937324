/** The service's wire shapes (zod): every input checked, every answer described in /openapi.json from these. */
import { z } from 'zod';

export const IptNoParams = z.object({ iptNo: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/) });
export const SettlementParams = z.object({ settlementId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) });

const fen = z.number().int().describe('分 (integer fen)');

export const FeeLineView = z.object({
  lineNo: z.number().int(),
  day: z.string(),
  kind: z.enum(['drug', 'item']),
  name: z.string(),
  spec: z.string(),
  unit: z.string(),
  quantity: z.string(),
  unitPriceFen: fen,
  amountFen: fen,
});

/** HM-02: the stay and what no settlement covers yet. */
export const StayFeesView = z.object({
  iptNo: z.string(),
  patientName: z.string().describe('姓名（脱敏）'),
  ward: z.string(),
  bedNo: z.string(),
  dept: z.string(),
  admittedAt: z.string(),
  hisState: z.enum(['in', 'discharge-ordered', 'settled', 'cancelled']),
  dischargeOrdered: z.boolean(),
  admittedAtCentre: z.boolean().describe('已办理医保入院登记'),
  pendingFen: fen,
  depositBalanceFen: fen,
  lines: z.array(FeeLineView),
});

/** HM-05: the shares the centre's pre-settlement (2303) priced. */
export const SharesView = z.object({
  iptNo: z.string(),
  medfeeFen: fen,
  fundFen: fen.describe('统筹基金支付'),
  acctFen: fen.describe('个人账户支付'),
  cashFen: fen.describe('个人现金（自付）'),
  uptoLine: z.number().int(),
  discharge: z.boolean().describe('出院预结算（否：在院中途预结算）'),
});

/** HM-11: the checks the phone passed before paying. The payment password is the wallet's own step. */
export const SecurityChecks = z.object({
  face: z.object({
    passed: z.boolean(),
    certifyId: z.string().min(1).max(64),
    verifiedAt: z.iso.datetime({ offset: true }),
  }),
  location: z.object({
    latitude: z.number().min(-90).max(90),
    longitude: z.number().min(-180).max(180),
    accuracyMeters: z.number().min(0).max(100_000),
  }),
});

export const SettleInput = z.object({
  payAuthNo: z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,64}$/)
    .describe('医保电子凭证授权码 (HM-01)'),
  security: SecurityChecks,
});

export const SETTLEMENT_STATES = ['preparing', 'paying', 'paid', 'failed', 'unknown', 'refunding', 'refunded'] as const;

export const SettlementView = z.object({
  settlementId: z.string(),
  iptNo: z.string(),
  state: z.enum(SETTLEMENT_STATES),
  medfeeFen: fen,
  fundFen: fen,
  acctFen: fen,
  cashFen: fen,
  payOrderId: z.string().nullable(),
  detail: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  refunds: z.array(
    z.object({
      applicationId: z.string(),
      state: z.enum(['applied', 'refunded', 'refused', 'unknown']),
      reason: z.string(),
      detail: z.string().nullable(),
    }),
  ),
});

export const RefundInput = z.object({ reason: z.string().trim().min(2).max(200) });
export const RefundView = z.object({
  applicationId: z.string(),
  settlementId: z.string(),
  state: z.enum(['applied', 'refunded', 'refused', 'unknown']),
  detail: z.string().nullable(),
});

/** The phone's account on its wallet: a WeChat openid (o…), an Alipay user id (2088 and 12 digits). */
export const SubscribeInput = z.discriminatedUnion('wallet', [
  z.object({
    wallet: z.literal('wechat'),
    toUser: z
      .string()
      .regex(/^o[A-Za-z0-9_-]{20,40}$/)
      .describe('微信 openid'),
  }),
  z.object({
    wallet: z.literal('alipay'),
    toUser: z
      .string()
      .regex(/^2088\d{12}$/)
      .describe('支付宝 user id'),
  }),
]);
export const SubscriptionView = z.object({ iptNo: z.string(), wallet: z.enum(['wechat', 'alipay']), queued: z.array(z.string()) });

/** HM-12. */
export const GuidanceView = z.object({
  iptNo: z.string(),
  drugs: z.array(z.object({ name: z.string(), spec: z.string(), quantity: z.string(), unit: z.string() })),
  printing: z.string(),
  leaving: z.array(z.string()),
});

export const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string(), issues: z.array(z.string()).optional() }) });

/** A patient page's session: the token goes to the phone in the page address's fragment, never in a query. */
export const PhoneSessionView = z.object({
  token: z.string(),
  iptNo: z.string(),
  expiresAt: z.iso.datetime(),
  pageUrl: z.string().describe('相对服务地址：/m/#t=令牌'),
});

export const LiveSettlementView = z.object({ settlement: SettlementView.nullable() });
