/**
 * The centre's own arithmetic, written apart from the station's (src/shared/money) on purpose: amounts are
 * integer fen, decimals (quantities, unit prices, ratios) are exact fractions, and every rounding is explicit —
 * half up (away from zero for negatives), applied where the policy says and nowhere else.
 */

const AMOUNT_RE = /^(-?)(\d{1,13})(?:\.(\d{1,2}))?$/;
const DECIMAL_RE = /^(-?)(\d{1,15})(?:\.(\d{1,8}))?$/;

/** "12.3" | 12.3 | "12.30" -> 1230; undefined for anything that is not yuan with at most two decimals. */
export function parseAmount(value: unknown): number | undefined {
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : typeof value === 'string' ? value.trim() : '';
  const m = AMOUNT_RE.exec(text);
  if (!m) return undefined;
  const fen = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  return m[1] && fen !== 0 ? -fen : fen;
}

/** 1230 -> "12.30", -5 -> "-0.05". */
export function formatAmount(fen: number): string {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`not a whole number of fen: ${fen}`);
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** An exact decimal: value = units / 10^scale. */
export interface Decimal {
  units: bigint;
  scale: number;
}

export function parseDecimal(value: unknown): Decimal | undefined {
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : typeof value === 'string' ? value.trim() : '';
  const m = DECIMAL_RE.exec(text);
  if (!m) return undefined;
  const frac = m[3] ?? '';
  const units = BigInt(`${m[2]}${frac}`);
  return { units: m[1] ? -units : units, scale: frac.length };
}

export function formatDecimal(d: Decimal, minScale = 0): string {
  const scale = Math.max(d.scale, minScale);
  const units = d.units * 10n ** BigInt(scale - d.scale);
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const frac = digits.slice(digits.length - scale);
  return `${negative ? '-' : ''}${whole}${scale > 0 ? `.${frac}` : ''}`;
}

/** numerator / denominator rounded half up (half away from zero), denominator > 0. */
export function divideHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new RangeError('denominator must be positive');
  const negative = numerator < 0n;
  const abs = negative ? -numerator : numerator;
  const rounded = (2n * abs + denominator) / (2n * denominator);
  return negative ? -rounded : rounded;
}

/** fen x percent / 100, half up: the one place a ratio turns into money. */
export function percentOf(fen: number, percent: number): number {
  return Number(divideHalfUp(BigInt(fen) * BigInt(percent), 100n));
}

/** fen x a decimal ratio ("0.10"), half up. */
export function ratioOf(fen: number, ratio: Decimal): number {
  return Number(divideHalfUp(BigInt(fen) * ratio.units, 10n ** BigInt(ratio.scale)));
}

/** quantity x unit price (yuan) in fen, half up. */
export function lineAmount(cnt: Decimal, priceYuan: Decimal): number {
  return Number(divideHalfUp(cnt.units * priceYuan.units * 100n, 10n ** BigInt(cnt.scale + priceYuan.scale)));
}

export function compareDecimal(a: Decimal, b: Decimal): number {
  const scale = Math.max(a.scale, b.scale);
  const x = a.units * 10n ** BigInt(scale - a.scale);
  const y = b.units * 10n ** BigInt(scale - b.scale);
  return x < y ? -1 : x > y ? 1 : 0;
}
