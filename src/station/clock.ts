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
