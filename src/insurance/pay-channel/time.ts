/** The platform's times are Beijing wall-clock yyyyMMddHHmmss (UTC+8, no daylight saving). */
const BEIJING_OFFSET_MS = 8 * 3_600_000;
const COMPACT_RE = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/;

/** yyyyMMddHHmmss -> ISO 8601 (UTC); undefined when it is not a real time. */
export function compactBeijingToIso(text: string): string | undefined {
  const m = COMPACT_RE.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s) - BEIJING_OFFSET_MS;
  const back = new Date(ms + BEIJING_OFFSET_MS);
  if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return undefined;
  return new Date(ms).toISOString();
}

/** yyyy-MM-dd HH:mm:ss (the statement's format) -> ISO 8601. */
export function displayBeijingToIso(text: string): string | undefined {
  return compactBeijingToIso(text.replace(/[-: ]/g, ''));
}
