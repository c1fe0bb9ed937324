/**
 * Timestamps on the NHSA wire are Beijing time (UTC+8, no daylight saving). They are formatted from the
 * instant with a fixed offset rather than from the machine's time zone, so a cashier PC set to the wrong zone
 * still sends the right wall-clock time, and tests do not depend on the CI machine's zone.
 */
const BEIJING_OFFSET_MS = 8 * 3_600_000;

interface Parts {
  yyyy: string;
  MM: string;
  dd: string;
  HH: string;
  mm: string;
  ss: string;
}

function beijingParts(date: Date): Parts {
  if (Number.isNaN(date.getTime())) throw new RangeError('invalid date');
  const t = new Date(date.getTime() + BEIJING_OFFSET_MS);
  const two = (n: number) => String(n).padStart(2, '0');
  return {
    yyyy: String(t.getUTCFullYear()).padStart(4, '0'),
    MM: two(t.getUTCMonth() + 1),
    dd: two(t.getUTCDate()),
    HH: two(t.getUTCHours()),
    mm: two(t.getUTCMinutes()),
    ss: two(t.getUTCSeconds()),
  };
}

/** yyyyMMddHHmmss — the time part of msgid. */
export function compactBeijingTime(date: Date): string {
  const p = beijingParts(date);
  return `${p.yyyy}${p.MM}${p.dd}${p.HH}${p.mm}${p.ss}`;
}

/** yyyy-MM-dd HH:mm:ss — the envelope's inf_time. */
export function infTime(date: Date): string {
  const p = beijingParts(date);
  return `${p.yyyy}-${p.MM}-${p.dd} ${p.HH}:${p.mm}:${p.ss}`;
}
