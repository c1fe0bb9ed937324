/**
 * The simulators' request logs (what tests and the trainer's console read back) live in memory, in the station's
 * own process in training and in the benchmarks. Retention rule: a log keeps its newest REQUEST_LOG_LIMIT
 * entries; older ones are dropped (trimmed in batches, so a log holds at most a tenth more between trims).
 * The ledgers (SQLite) stay the simulators' record of what happened; these logs are only a recent view.
 */
export const REQUEST_LOG_LIMIT = 5_000;

export function appendBounded<T>(log: T[], entry: T, limit = REQUEST_LOG_LIMIT): void {
  log.push(entry);
  if (log.length > limit + Math.ceil(limit / 10)) log.splice(0, log.length - limit);
}
