/**
 * Personal data never reaches a log file: every message and field passes here first. Two nets:
 *
 * - by field name: a person's name, an ID number, a phone, a scan or payment code, a token, a secret, a key,
 *   a password — the value is replaced whatever it looks like;
 * - by shape, in any text: resident ID numbers (GB 11643: 6-digit region, birth date, 3 digits, check digit),
 *   mainland mobile numbers, WeChat / Alipay payment codes, e-voucher codes (long upper-case letters-and-digits
 *   tokens), bearer tokens and `key=value` secrets.
 *
 * Our own ids are left alone: row ids are UUIDs (lower-case hex with dashes), NHSA msgids and trade numbers start
 * with a letter and run into digits, so the digit shapes — anchored on both sides to a non-alphanumeric — never
 * match inside them.
 */
export const REDACTED = '[REDACTED]';

const SENSITIVE_KEY =
  /^(?:name|full_?name|real_?name|psn_?name|patient_?name|payer_?name|insured_?name|operator_?name|cert_?no|certno|id_?card|id_?no|mdtrt_?cert_?no|phone|mobile|tel|auth_?code|scan_?code|ec_?qr_?code|qr_?code|ec_?token|token|access_?token|secret|app_?secret|password|passwd|key|api_?key|pay_?channel_?key|private_?key|station_?private_?key_?hex|sign|signature|authorization)$/i;

const NOT_ALNUM_BEFORE = '(?<![0-9A-Za-z])';
const NOT_ALNUM_AFTER = '(?![0-9A-Za-z])';
const bounded = (body: string) => new RegExp(`${NOT_ALNUM_BEFORE}(?:${body})${NOT_ALNUM_AFTER}`, 'g');

const TEXT_PATTERNS: readonly RegExp[] = [
  // key=value / "key":"value" secrets and codes written inside a text
  /(?<=["']?(?:ec_?token|ec_?qr_?code|auth_?code|token|secret|app_?secret|password|api_?key|key|sign|certno|cert_?no|psn_?name)["']?\s*[:=]\s*["']?)[^"'\s,&;}]+/gi,
  /(?<=\bBearer\s+)[A-Za-z0-9._~+/=-]+/g,
  // resident ID number, GB 11643 (before the digit runs below: an 18-digit ID would also pass as a payment code)
  bounded('[1-9]\\d{5}(?:18|19|20)\\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\\d|3[01])\\d{3}[0-9Xx]'),
  // WeChat (18 digits from 10–15) and Alipay (16–24 digits from 25–30) payment codes
  bounded('1[0-5]\\d{16}|(?:2[5-9]|30)\\d{14,22}'),
  // mainland mobile numbers, bare or +86
  bounded('(?:\\+?86[- ]?)?1[3-9]\\d{9}'),
  // e-voucher codes: 20+ upper-case letters and digits, at least 6 of each
  bounded('(?=[A-Z0-9]*(?:[A-Z][0-9]*){6})(?=[A-Z0-9]*(?:[0-9][A-Z]*){6})[A-Z0-9]{20,}'),
];

export function redactText(text: string): string {
  let out = text;
  for (const pattern of TEXT_PATTERNS) out = out.replace(pattern, REDACTED);
  return out;
}

/** A deep copy with sensitive fields replaced and every string passed through `redactText`. */
export function redactValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 8) return '[…]';
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1));
  if (value instanceof Date) return value.toISOString();
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] = SENSITIVE_KEY.test(key) && v !== null && v !== undefined && typeof v !== 'boolean' ? REDACTED : redactValue(v, depth + 1);
  }
  return out;
}
