/**
 * The station's mobile-payment (医保移动支付) API as data: what MobileSettlement takes and gives, shared with the
 * settlement service (src/service) that will expose it to phones. Money is integer fen.
 */
import { z } from 'zod';

const Fen = z.number().int().nonnegative();

export const MobileFeeLineSchema = z.object({
  /** HIS's line serial (feedetl_sn). */
  feedetlSn: z.string().min(1).max(30),
  /** National catalogue code and the hospital's own code. */
  medListCodg: z.string().min(1).max(50),
  medinsListCodg: z.string().min(1).max(50),
  cnt: z.string().regex(/^\d{1,10}(\.\d{1,4})?$/),
  pric: z.string().regex(/^\d{1,10}(\.\d{1,6})?$/),
  amountFen: Fen,
});
export type MobileFeeLine = z.infer<typeof MobileFeeLineSchema>;

export const MobilePrepareInputSchema = z.object({
  /** The hospital's order number for this bill (medOrgOrd): the same number is the same bill. */
  orderId: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/),
  kind: z.enum(['inpatient', 'outpatient']),
  /** 住院号 / 门诊号. */
  visitNo: z.string().min(1).max(30),
  /** From the patient's authorisation on the phone (e-voucher). */
  payAuthNo: z.string().min(1).max(64),
  patient: z.object({
    idNo: z.string().min(1).max(30),
    idType: z.string().min(1).max(6).default('01'),
    name: z.string().min(1).max(50),
    psnNo: z.string().min(1).max(30),
    insutype: z.string().min(1).max(6),
  }),
  medType: z.string().min(1).max(6),
  deptCode: z.string().min(1).max(30),
  deptName: z.string().min(1).max(100),
  /** yyyy-MM-dd HH:mm:ss, China time. */
  begntime: z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/),
  useAccount: z.boolean().default(true),
  /** An inpatient discharge: the HIS stay and the last fee line the bill covers; HIS books it after the pay. */
  ward: z.object({ iptNo: z.string().min(1).max(30), uptoLine: z.number().int().positive() }).optional(),
  /** An outpatient bill: the HIS order it pays and its patient; HIS books it after the pay. */
  clinic: z.object({ orderNo: z.string().min(1).max(40), patientId: z.string().min(1).max(40) }).optional(),
  lines: z.array(MobileFeeLineSchema).min(1).max(5000),
});
export type MobilePrepareInput = z.input<typeof MobilePrepareInputSchema>;

export const MobileOrderStateSchema = z.enum([
  'uploading',
  'upload-failed',
  'uploaded',
  'paying',
  'paid',
  /** Paid and booked at HIS (an inpatient discharge, an outpatient bill). */
  'completed',
  'refunding',
  'refunded',
  'cancelling',
  'cancelled',
]);
export type MobileOrderState = z.infer<typeof MobileOrderStateSchema>;

export const MobileOrderViewSchema = z.object({
  orderId: z.string(),
  kind: z.enum(['inpatient', 'outpatient']),
  visitNo: z.string(),
  state: MobileOrderStateSchema,
  /** A movement of this order is in doubt: the station is finding out (结果未知 — 正在核实). */
  inDoubt: z.boolean(),
  medfeeFen: Fen,
  payOrdId: z.string().nullable(),
  /** The pre-settled shares after 6201, the paid shares after 6202. */
  fundFen: Fen.nullable(),
  acctFen: Fen.nullable(),
  ownFen: Fen.nullable(),
  /** The remote's words when the last step was refused. */
  detail: z.string().optional(),
  /** An outpatient bill: the HIS order it pays. */
  hisOrderNo: z.string().nullable().optional(),
  /** A refunded outpatient bill: HIS has cancelled its booking (the registration, for 退号). */
  hisCancelled: z.boolean().optional(),
  createdAt: z.string().optional(),
});
export type MobileOrderView = z.infer<typeof MobileOrderViewSchema>;

export const MobileOrderRefSchema = z.object({ orderId: z.string().min(1).max(40) });
export type MobileOrderRef = z.infer<typeof MobileOrderRefSchema>;

/** The answer the centre wants for its callback: {"code":0} is an acknowledgement, anything else a retry. */
export const MobileNotifyAnswerSchema = z.object({ code: z.union([z.literal(0), z.literal(1)]), message: z.string() });
export type MobileNotifyAnswer = z.infer<typeof MobileNotifyAnswerSchema>;
