/** The centre keeps Beijing time (UTC+8) whatever zone the machine running the simulator is in. */
export interface BeijingTime {
  /** yyyyMMdd */
  day: string;
  /** yyyyMMddHHmmss */
  second: string;
  /** yyyyMMddHHmmssSSS */
  milli: string;
  /** yyyy-MM-dd HH:mm:ss */
  display: string;
}

export function beijing(date: Date): BeijingTime {
  const iso = new Date(date.getTime() + 8 * 3_600_000).toISOString(); // 2026-11-22T10:15:30.123Z
  const [y, mo, d, h, mi, s, ms] = [
    iso.slice(0, 4),
    iso.slice(5, 7),
    iso.slice(8, 10),
    iso.slice(11, 13),
    iso.slice(14, 16),
    iso.slice(17, 19),
    iso.slice(20, 23),
  ];
  return {
    day: `${y}${mo}${d}`,
    second: `${y}${mo}${d}${h}${mi}${s}`,
    milli: `${y}${mo}${d}${h}${mi}${s}${ms}`,
    display: `${y}-${mo}-${d} ${h}:${mi}:${s}`,
  };
}

/** Whole years between a yyyy-MM-dd birth date and a Beijing day (yyyyMMdd). */
export function ageOn(brdy: string, day: string): number {
  const born = Number(brdy.replaceAll('-', ''));
  return Math.floor((Number(day) - born) / 10_000);
}
