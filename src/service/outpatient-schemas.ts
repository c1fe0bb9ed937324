/** The outpatient paying interfaces' wire shapes (ZS-09): every input checked, every answer in /openapi.json. */
import { z } from 'zod';

const fen = z.number().int().describe('分 (integer fen)');

export const PatientIdParams = z.object({
  patientId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,40}$/)
    .describe('HIS 患者 ID'),
});
export const OrderNoParams = z.object({
  orderNo: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,40}$/)
    .describe('HIS 门诊待缴费流水号'),
});
export const PaymentParams = z.object({ paymentId: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/) });

/** The payment's state as the phone shows it: processing is asked again at resultUrl. */
export const PaymentState = z.enum(['processing', 'paid', 'failed', 'refunding', 'refunded']);

export const PaymentView = z.object({
  paymentId: z.string(),
  orderNo: z.string(),
  state: PaymentState,
  hisBooked: z.boolean().describe('HIS 已记账（发票、取药窗口可查）'),
  medfeeFen: fen,
  fundFen: fen.nullable().describe('统筹基金支付'),
  acctFen: fen.nullable().describe('个人账户支付'),
  cashFen: fen.nullable().describe('个人现金（微信医保钱包自付）'),
  payOrderId: z.string().nullable().describe('医保移动支付订单号'),
  detail: z.string().nullable(),
  createdAt: z.string().nullable(),
  resultUrl: z.string().describe('支付结果查询地址（GET，签名调用）'),
});

export const PayInput = z.object({ payAuthNo: z.string().min(1).max(64).describe('医保电子凭证授权码（患者在手机上授权所得）') }).strict();

const BillSummary = z.object({
  orderNo: z.string(),
  visitNo: z.string(),
  dept: z.string(),
  doctor: z.string(),
  totalFen: fen,
  createdAt: z.string(),
  expiresAt: z.string(),
  payment: z.object({ paymentId: z.string(), state: PaymentState }).nullable().describe('进行中或已完成的线上支付'),
});

export const PendingBillsView = z.object({
  patientId: z.string(),
  patientName: z.string().describe('姓名（脱敏）'),
  bills: z.array(BillSummary),
});

const BillLine = z.object({
  rxNo: z.string(),
  lineNo: z.number().int(),
  kind: z.enum(['drug', 'item']),
  name: z.string(),
  spec: z.string(),
  unit: z.string(),
  quantity: z.string(),
  unitPriceFen: fen,
  amountFen: fen,
});

export const BillView = BillSummary.omit({ payment: true }).extend({
  patientId: z.string(),
  state: z.enum(['unpaid', 'paid', 'expired', 'refunded']),
  lines: z.array(BillLine),
});

export const RegistrationRefundInput = z.object({ reason: z.string().min(1).max(200).describe('退号原因') }).strict();

export const RegistrationRefundView = z.object({
  orderNo: z.string(),
  paymentId: z.string(),
  state: z.enum(['refunded', 'refunding', 'refused']).describe('refunding：退款结果正在向医保移动支付中心核实'),
  registrationCancelled: z.boolean().describe('HIS 已取消挂号'),
  detail: z.string().nullable(),
});

export const PaidRecordsView = z.object({ patientId: z.string(), records: z.array(PaymentView) });

export const PaidRecordView = PaymentView.extend({
  his: z
    .object({
      hisSettleNo: z.string(),
      invoiceNo: z.string(),
      pickupWindow: z.string().describe('取药窗口（无药品为空）'),
      settledAt: z.string(),
      state: z.enum(['settled', 'cancelled']),
    })
    .nullable()
    .describe('HIS 的记账（尚未记账为空）'),
  lines: z.array(BillLine),
});
