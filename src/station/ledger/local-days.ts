/**
 * A filter's local days → the UTC instants the orders are stored at. The station's day is its time zone's
 * (China time by default), not the workstation's, so "12月4日" means the same hours on every PC.
 */

/** The UTC instant at which `day` ("yyyy-MM-dd") begins in `timeZone`. */
export function dayStartUtc(day: string, timeZone: string): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const guess = Date.UTC(y, m - 1, d);
  // The zone's wall clock at `guess`, read as if it were UTC, is ahead of `guess` by the zone's offset.
  const offset = wallClockAsUtc(new Date(guess), timeZone) - guess;
  const start = guess - offset;
  // Across an offset change the first guess can be an hour off: correct once with the offset at `start`.
  const again = wallClockAsUtc(new Date(start), timeZone) - start;
  return new Date(guess - again);
}

/** [start of `from`, start of the day after `to`) as ISO strings, comparable with the stored created_at. */
export function dayRangeUtc(from: string, to: string, timeZone: string): { since: string; until: string } {
  const [y, m, d] = to.split('-').map(Number) as [number, number, number];
  const next = new Date(Date.UTC(y, m - 1, d + 1));
  return { since: dayStartUtc(from, timeZone).toISOString(), until: dayStartUtc(isoDay(next), timeZone).toISOString() };
}

function isoDay(d: Date): string {
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function wallClockAsUtc(date: Date, timeZone: string): number {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
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
  const p = Object.fromEntries(f.formatToParts(date).map((x) => [x.type, x.value]));
  return Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
}
