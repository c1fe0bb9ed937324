/**
 * Wall-clock time as the insurance centre reads it: every NHSA timestamp, msgid and "today" (for 9001 sign-in)
 * is China local time whatever zone the workstation is set to, so the zone is configuration, not the OS's.
 */
export interface Clock {
  now(): Date;
  readonly timeZone: string;
}

export const systemClock = (timeZone = 'Asia/Shanghai'): Clock => ({ now: () => new Date(), timeZone });

const formatters = new Map<string, Intl.DateTimeFormat>();

function parts(date: Date, timeZone: string): Record<string, string> {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  const out: Record<string, string> = {};
  for (const p of f.formatToParts(date)) out[p.type] = p.value;
  return out;
}

/** "yyyyMMddHHmmss" in the zone. */
export function compactSecond(date: Date, timeZone: string): string {
  const p = parts(date, timeZone);
  return `${p.year}${p.month}${p.day}${p.hour}${p.minute}${p.second}`;
}

/** "yyyy-MM-dd" in the zone. */
export function localDay(date: Date, timeZone: string): string {
  const p = parts(date, timeZone);
  return `${p.year}-${p.month}-${p.day}`;
}

/** "yyyy-MM-dd HH:mm:ss" in the zone: how the centre writes begntime, fee_ocur_time and the like. */
export function localDateTime(date: Date, timeZone: string): string {
  const p = parts(date, timeZone);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

/** The zone's wall clock at `date`, read as if it were UTC (ms): ahead of `date` by the zone's offset then. */
function wallClockAsUtc(date: Date, timeZone: string): number {
  const p = parts(date, timeZone);
  return Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
}

/** The UTC instant at which `day` ("yyyy-MM-dd") begins in the zone: the station's day, the same hours on every PC. */
export function dayStartUtc(day: string, timeZone: string): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const guess = Date.UTC(y, m - 1, d);
  const start = guess - (wallClockAsUtc(new Date(guess), timeZone) - guess);
  // Across an offset change the first guess can be an hour off: correct once with the offset at `start`.
  return new Date(guess - (wallClockAsUtc(new Date(start), timeZone) - start));
}
