/**
 * Money is integer fen (分) everywhere inside the product. The wire (NHSA, HIS, payment channels) uses
 * decimal yuan strings with at most two places; these are the only two conversions, and both are exact —
 * they work on the digits, never on floating-point values.
 */
export type Fen = number & { readonly __brand: 'fen' };

const YUAN_RE = /^(-)?(\d{1,13})(?:\.(\d{1,2}))?$/;

export function fen(n: number): Fen {
  if (!Number.isSafeInteger(n)) throw new RangeError(`fen must be a safe integer, got ${n}`);
  return n as Fen;
}

/** "12.3" | "12.30" | "12" | 12.3 (a JSON number the centre sent) -> 1230 fen. Rejects 3+ decimals. */
export function yuanToFen(value: string | number): Fen {
  const text = typeof value === 'number' ? numberToPlainString(value) : value.trim();
  const m = YUAN_RE.exec(text);
  if (!m) throw new RangeError(`not a yuan amount with at most 2 decimals: ${JSON.stringify(value)}`);
  const whole = Number(m[2]);
  const frac = Number((m[3] ?? '').padEnd(2, '0'));
  const total = whole * 100 + frac;
  return fen(m[1] && total !== 0 ? -total : total);
}

/** 1230 -> "12.30"; -5 -> "-0.05". */
export function fenToYuan(amount: Fen | number): string {
  const n = fen(amount);
  const sign = n < 0 ? '-' : '';
  const abs = Math.abs(n);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** For display: "¥1,234.50". */
export function formatYuan(amount: Fen | number): string {
  const [whole = '0', frac = '00'] = fenToYuan(amount).replace('-', '').split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${amount < 0 ? '-' : ''}¥${grouped}.${frac}`;
}

function numberToPlainString(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`not a finite amount: ${n}`);
  // JSON numbers like 3300.1 print exactly as written for <= 15 significant digits; more means precision loss.
  const s = String(n);
  if (/e/i.test(s)) throw new RangeError(`amount out of range: ${n}`);
  return s;
}
