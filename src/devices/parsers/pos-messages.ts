/**
 * The bank-card POS terminal's messages (our UnionPay-style protocol over serial; framing in pos-frame.ts). A
 * payload is ASCII fields separated by FS (0x1C).
 *
 *   request  TYPE FS REF FS AMOUNT [FS ORIG]
 *   answer   TYPE FS CODE FS REF FS AMOUNT FS TRACE FS RRN FS CARD FS MESSAGE
 *
 *   TYPE    00 消费 sale · 01 撤销 void · 02 退货 refund · 03 查询 query (by REF) · 99 状态 (who are you)
 *   REF     the station's reference number (1..20 of [0-9A-Za-z]): a sale's REF is its idempotency key — the
 *           terminal refuses a second sale under a REF it has seen, and 查询 answers what that REF did
 *   AMOUNT  12 digits of fen
 *   ORIG    void / refund: the original sale's REF
 *   CODE    00 approved; 25 no such transaction (查询); 51 insufficient funds; 55 wrong PIN; 94 duplicate REF;
 *           98 the card was taken out / cancelled; anything else refused
 *   TRACE   6 digits, the terminal's voucher number (凭证号); RRN 12 characters, the reference number (参考号)
 *   CARD    the card number masked (622588******1234); MESSAGE the terminal's words (UTF-8)
 */
import { z } from 'zod';
import { POS_BYTES } from './pos-frame';

export const POS_TYPES = { sale: '00', void: '01', refund: '02', query: '03', status: '99' } as const;
export type PosType = keyof typeof POS_TYPES;
const TYPE_OF = Object.fromEntries(Object.entries(POS_TYPES).map(([k, v]) => [v, k])) as Record<string, PosType>;

export const POS_APPROVED = '00';
export const POS_NOT_FOUND = '25';

export interface PosRequest {
  type: PosType;
  ref: string;
  amountFen: number;
  origRef?: string;
}

export interface PosAnswer {
  type: PosType;
  code: string;
  ref: string;
  amountFen: number;
  trace: string;
  rrn: string;
  cardMasked: string;
  message: string;
}

const Ref = z.string().regex(/^[0-9A-Za-z]{1,20}$/);
const Amount = z.number().int().min(0).max(999_999_999_999);

export const PosRequestSchema = z
  .object({ type: z.enum(Object.keys(POS_TYPES) as [PosType, ...PosType[]]), ref: Ref, amountFen: Amount, origRef: Ref.optional() })
  .strict();

const AnswerFields = z.tuple([
  z.enum(Object.values(POS_TYPES) as [string, ...string[]]),
  z.string().regex(/^[0-9A-Z]{2}$/),
  Ref,
  z.string().regex(/^\d{12}$/),
  z.string().regex(/^(\d{6})?$/),
  z.string().regex(/^[0-9A-Za-z]{0,12}$/),
  z.string().regex(/^[0-9*]{0,19}$/),
  z.string().max(200),
]);

const FS = String.fromCharCode(POS_BYTES.FS);

export function encodePosRequest(request: PosRequest): Uint8Array {
  const r = PosRequestSchema.parse(request);
  const fields = [POS_TYPES[r.type], r.ref, String(r.amountFen).padStart(12, '0'), ...(r.origRef ? [r.origRef] : [])];
  return new TextEncoder().encode(fields.join(FS));
}

/** A terminal's answer, checked field by field; a payload that does not fit is a problem, never a guess. */
export function decodePosAnswer(payload: Uint8Array): { ok: true; answer: PosAnswer } | { ok: false; problem: string } {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(payload);
  } catch {
    return { ok: false, problem: '编码错误' };
  }
  const parsed = AnswerFields.safeParse(text.split(FS));
  if (!parsed.success) return { ok: false, problem: `字段不符（${parsed.error.issues[0]?.path.join('.') ?? '?'}）` };
  const [type, code, ref, amount, trace, rrn, cardMasked, message] = parsed.data;
  return { ok: true, answer: { type: TYPE_OF[type]!, code, ref, amountFen: Number(amount), trace, rrn, cardMasked, message } };
}
