/**
 * What the gateway accepts, checked as the platform would: required fields, yuan with two decimals, the channels
 * adding up to the total and each charge group to its listed items. Refusals carry the platform's Chinese words.
 */
import { z } from 'zod';

export type Refusal = { result: string; text: string };

const Yuan = z.string().regex(/^-?\d{1,13}\.\d{2}$/);
const Need = z.string().min(1);
const Time17 = z.string().regex(/^\d{17}$/);

/** Yuan text with two decimals → fen, by its digits. */
export function yuanFen(text: string): number {
  const negative = text.startsWith('-');
  const [whole = '0', cents = '00'] = text.replace('-', '').split('.');
  const amount = Number(whole) * 100 + Number(cents);
  return negative ? -amount : amount;
}

export const IssueSchema = z.object({
  busNo: z.string().regex(/^[A-Za-z0-9_-]{1,50}$/),
  busType: z.enum(['01', '02', '03', '04', '05', '06', '07', '08']),
  payer: Need,
  busDateTime: Time17,
  placeCode: Need,
  payee: Need,
  author: Need,
  totalAmt: Yuan,
  payChannelDetail: z.array(z.object({ payChannelCode: Need, payChannelValue: Yuan })).min(1),
  chargeDetail: z.array(z.object({ chargeCode: Need, chargeName: Need, amt: Yuan, selfAmt: Yuan })).min(1),
  listDetail: z.array(z.object({ chargeCode: Need, code: Need, name: Need, number: Need, amt: Yuan, selfAmt: Yuan })),
});
export type IssueRequest = z.infer<typeof IssueSchema>;

export const ByBusNoSchema = z.object({ busNo: Need, busDateTime: Time17 });
export const WriteOffSchema = z.object({
  billBatchCode: Need,
  billNo: Need,
  reason: Need,
  operator: Need,
  busDateTime: Time17,
  placeCode: Need,
});
export type WriteOffRequest = z.infer<typeof WriteOffSchema>;
export const StatesSchema = z.object({ billBatchCode: Need, billNo: Need });
export const TotalsSchema = z.object({ placeCode: Need, busDate: z.string().regex(/^\d{8}$/) });

/** The body against `schema`, or the platform's parameter refusal naming the fields. */
export function admit<T>(schema: z.ZodType<T>, body: unknown): { ok: true; value: T } | ({ ok: false } & Refusal) {
  const parsed = schema.safeParse(body);
  if (parsed.success) return { ok: true, value: parsed.data };
  const fields = [...new Set(parsed.error.issues.map((i) => i.path.join('.') || '(data)'))].join(',');
  return { ok: false, result: 'E0004', text: `参数校验失败：${fields}` };
}

/** The bill's sums, as the platform checks them before issuing. */
export function sumsRefusal(r: IssueRequest): Refusal | undefined {
  const paid = r.payChannelDetail.reduce((sum, c) => sum + yuanFen(c.payChannelValue), 0);
  if (paid !== yuanFen(r.totalAmt)) return { result: 'E1001', text: '缴费渠道金额合计与票据总金额不一致' };
  for (const group of r.chargeDetail) {
    const items = r.listDetail.filter((i) => i.chargeCode === group.chargeCode);
    if (items.reduce((sum, i) => sum + yuanFen(i.amt), 0) !== yuanFen(group.amt))
      return { result: 'E1002', text: `收费项目${group.chargeCode}金额与明细合计不一致` };
  }
  return undefined;
}
