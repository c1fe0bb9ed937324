/**
 * Times on the slip are China wall-clock time, whatever the workstation's zone: an instant (ISO text with a zone
 * or Z) is converted with the fixed +08:00 offset of the NHSA wire helpers; a time already written as China
 * wall-clock ("yyyy-MM-dd HH:mm:ss", as HIS and the centre send it) is kept as it is.
 */
import { compactBeijingTime, infTime } from '../../insurance/nhsa/beijing-time';

const WALL_CLOCK = /^(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d)(?::(\d\d))?$/;
const WITH_ZONE = /(?:Z|[+-]\d\d:?\d\d)$/i;

function instant(text: string): Date | null {
  if (!WITH_ZONE.test(text)) return null;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** yyyy-MM-dd HH:mm:ss in China time; text that is neither form is returned trimmed, as given. */
export function chinaDateTime(text: string): string {
  const value = text.trim();
  const wall = WALL_CLOCK.exec(value);
  if (wall) return `${wall[1]}-${wall[2]}-${wall[3]} ${wall[4]}:${wall[5]}:${wall[6] ?? '00'}`;
  const date = instant(value);
  return date ? infTime(date) : value;
}

/** yyyyMMddHHmmss in China time, or null when the text is not a time. */
export function compactChinaTime(text: string): string | null {
  const value = text.trim();
  const wall = WALL_CLOCK.exec(value);
  if (wall) return `${wall[1]}${wall[2]}${wall[3]}${wall[4]}${wall[5]}${wall[6] ?? '00'}`;
  const date = instant(value);
  return date ? compactBeijingTime(date) : null;
}
