/**
 * Tolerant readers for output fields. Centres differ in JSON types (a code as 1 or "1", an amount as 3300.1
 * or "3300.10", an optional text as null or absent); these schemas accept the variants and yield one type.
 * Amounts become integer fen through the exact, digit-based conversion of src/shared/money.
 */
import { z } from 'zod';
import { yuanToFen, type Fen } from '../../shared/money';

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
