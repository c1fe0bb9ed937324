/**
 * A filter's local days → the UTC instants the orders are stored at. The station's day is its time zone's
 * (China time by default), not the workstation's, so "12月4日" means the same hours on every PC.
 */
import { dayStartUtc } from '../clock';

/** [start of `from`, start of the day after `to`) as ISO strings, comparable with the stored created_at. */
export function dayRangeUtc(from: string, to: string, timeZone: string): { since: string; until: string } {
  const [y, m, d] = to.split('-').map(Number) as [number, number, number];
  const next = new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
  return { since: dayStartUtc(from, timeZone).toISOString(), until: dayStartUtc(next, timeZone).toISOString() };
}
