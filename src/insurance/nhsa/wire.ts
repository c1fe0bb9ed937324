/**
 * Tolerant readers for output fields. Centres differ in JSON types (a code as 1 or "1", an amount as 3300.1
 * or "3300.10", an optional text as null or absent); these schemas accept the variants and yield one type.
 * Amounts become integer fen through the exact, digit-based conversion of src/shared/money.
 */
import { z } from 'zod';
import { fenToYuan, yuanToFen, type Fen } from '../../shared/money';

const scalar = z.union([z.string(), z.number()]);

/** Optional text: null / absent -> "". */
export const text = scalar.nullish().transform((value) => (value == null ? '' : String(value)));

/** Text that must be present and non-empty (identifiers). */
export const requiredText = scalar.transform(String).pipe(z.string().trim().min(1));

/** A number sent as a number or numeric text. */
export const numeric = scalar.transform((value, ctx) => {
  const n = typeof value === 'number' ? value : value.trim() === '' ? Number.NaN : Number(value);
  if (Number.isFinite(n)) return n;
  ctx.issues.push({ code: 'custom', message: 'not a number', input: value });
  return z.NEVER;
});

/** A yuan amount ("12.30", 12.3) as integer fen; more than 2 decimals or non-numeric is an issue. */
export const yuanAsFen = scalar.transform((value, ctx): Fen => {
  try {
    return yuanToFen(value);
  } catch {
    ctx.issues.push({ code: 'custom', message: 'not a yuan amount with at most 2 decimals', input: value });
    return z.NEVER;
  }
});

/** A list that a centre may send as null or leave out when empty. */
export function list<T extends z.ZodType>(item: T) {
  return z
    .array(item)
    .nullish()
    .transform((items): z.output<T>[] => items ?? []);
}

// ---- inputs: what the station gives a transaction ----------------------------------------------------------

/** An amount in integer fen from the station's side; the wire gets yuan text with two decimals. */
export const fenInput = z
  .number()
  .int()
  .refine(Number.isSafeInteger, 'not a safe integer')
  .transform((value): Fen => value as Fen);

/** A non-negative amount in fen (fees, totals). */
export const nonNegativeFenInput = fenInput.refine((value) => value >= 0, 'must not be negative');

/** A decimal written as text, so that quantities and unit prices reach the wire exactly as the HIS has them. */
export function decimalInput(maxScale: number, opts: { signed?: boolean } = {}) {
  const re = new RegExp(`^${opts.signed ? '-?' : ''}\\d{1,12}(?:\\.\\d{1,${maxScale}})?$`);
  return z.string().regex(re, `a decimal with at most ${maxScale} places`);
}

/** Optional text sent as "" when absent: provincial gateways reject requests with missing keys. */
export function optionalText(max: number) {
  return z.string().max(max).default('');
}

export function requiredInputText(max: number) {
  return z.string().trim().min(1).max(max);
}

/** "yyyy-MM-dd HH:mm:ss", Beijing time — the interface's datetime form. */
export const dateTimeInput = z.string().regex(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/, 'yyyy-MM-dd HH:mm:ss');
/** "yyyy-MM-dd". */
export const dateInput = z.string().regex(/^\d{4}-\d\d-\d\d$/, 'yyyy-MM-dd');

/** Flags the interface writes as "0" / "1". */
export const flagInput = z.enum(['0', '1']);

// ---- outputs: what the centre answers -----------------------------------------------------------------------

/** An amount the centre may leave out or send as null: absent means none, i.e. 0 fen. */
export const optionalYuanAsFen = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((value, ctx): Fen => {
    if (value == null || value === '') return 0 as Fen;
    try {
      return yuanToFen(value);
    } catch {
      ctx.issues.push({ code: 'custom', message: 'not a yuan amount with at most 2 decimals', input: value });
      return z.NEVER;
    }
  });

/** A decimal (quantity, unit price, ratio) kept as text exactly as sent: 0.1 and "0.10" both stay decimals. */
export const decimalText = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const textValue = typeof value === 'number' ? String(value) : value.trim();
  if (/^-?\d+(?:\.\d+)?$/.test(textValue)) return textValue;
  ctx.issues.push({ code: 'custom', message: 'not a decimal', input: value });
  return z.NEVER;
});

/** The same, where the centre may leave it out. */
export const optionalDecimalText = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((value, ctx) => {
    if (value == null || value === '') return '';
    const textValue = typeof value === 'number' ? String(value) : value.trim();
    if (/^-?\d+(?:\.\d+)?$/.test(textValue)) return textValue;
    ctx.issues.push({ code: 'custom', message: 'not a decimal', input: value });
    return z.NEVER;
  });

/** fen -> the wire's yuan text. */
export function toYuan(amount: Fen): string {
  return fenToYuan(amount);
}
