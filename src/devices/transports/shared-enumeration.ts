/**
 * One enumeration for every device that asks within `maxAgeMs`: several devices polling for presence every
 * 250 ms cost one SerialPort.list / HID.devicesAsync per period instead of one each. A failed enumeration is
 * not kept, so the next caller tries again.
 */
export function shareRecentResult<T>(
  enumerate: () => Promise<T>,
  maxAgeMs: number,
  now: () => number = () => performance.now(),
): () => Promise<T> {
  let latest: { result: Promise<T>; startedAt: number } | undefined;
  return () => {
    if (latest && now() - latest.startedAt < maxAgeMs) return latest.result;
    const entry = { result: enumerate(), startedAt: now() };
    latest = entry;
    entry.result.catch(() => {
      if (latest === entry) latest = undefined;
    });
    return entry.result;
  };
}
