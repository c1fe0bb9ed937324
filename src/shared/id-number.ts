/**
 * The resident ID number (公民身份号码, GB 11643-1999), checked where it is typed and again at the core's
 * boundary with the same words: 6 region digits, the birth date (yyyyMMdd), 3 sequence digits and a check
 * character by ISO 7064 MOD 11-2 (0–9 or X). A typo almost always breaks the check character, so the cashier
 * hears "校验位不正确" before the centre is asked about someone else.
 */
export const ID_NUMBER_LENGTH = 18;

export type IdNumberProblem = 'empty' | 'characters' | 'too-short' | 'too-long' | 'birth-date' | 'check-digit';

export type IdNumberCheck = { ok: true; value: string } | { ok: false; problem: IdNumberProblem; message: string };

/** Weight of position i (0-based, left to right) is 2^(17−i) mod 11. */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

/** The check character for the first 17 digits. */
export function idNumberCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('需要17位数字');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

/** Today at UTC+14, the earliest zone: a child born today in China is never "born in the future". */
function latestDayAnywhere(): string {
  return new Date(Date.now() + 14 * 3_600_000).toISOString().slice(0, 10);
}

function fail(problem: IdNumberProblem, message: string): IdNumberCheck {
  return { ok: false, problem, message };
}

/** A real calendar day from 1900-01-01 to `today` (yyyy-MM-dd). */
function isBirthDate(yyyymmdd: string, today: string): boolean {
  const y = Number(yyyymmdd.slice(0, 4));
  const m = Number(yyyymmdd.slice(4, 6));
  const d = Number(yyyymmdd.slice(6, 8));
  const date = new Date(Date.UTC(y, m - 1, d));
  const real = date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
  const iso = `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`;
  return real && y >= 1900 && iso <= today;
}

/**
 * Checks a typed ID number; the value is trimmed and a lower-case x upper-cased. Never shortens it: an input
 * that is too long is refused with its length, so nobody is identified by the first 18 of 19 characters.
 */
export function checkIdNumber(text: string, today: string = latestDayAnywhere()): IdNumberCheck {
  const value = text.trim().toUpperCase();
  if (value === '') return fail('empty', '请输入身份证号');
  if (!/^\d*X?$/.test(value)) return fail('characters', '身份证号只能由数字组成，最后一位可以是 X，请核对后重新输入');
  if (value.length < ID_NUMBER_LENGTH) return fail('too-short', `身份证号应为18位，现在只有${value.length}位，请核对后补全`);
  if (value.length > ID_NUMBER_LENGTH) return fail('too-long', `身份证号应为18位，现在有${value.length}位，多输入了，请核对后重新输入`);
  if (!isBirthDate(value.slice(6, 14), today)) return fail('birth-date', '身份证号中的出生日期（第7–14位）不是有效日期，请核对后重新输入');
  if (idNumberCheckChar(value.slice(0, 17)) !== value[17]) return fail('check-digit', '身份证号校验位不正确，请核对后重新输入');
  return { ok: true, value };
}
