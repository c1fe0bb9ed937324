/**
 * Child process of bench/export.ts: one export in a fresh process, as a station's core would run it — the
 * station database opened with openDatabase and quick_check, the data key loaded beside it, then the admin's
 * export through OrderExports. Prints one JSON line: rows, wall and CPU time, RSS before the export and this
 * process's peak RSS (the kernel's high-water mark, so nothing between two samples is missed).
 *
 * tsx bench/_export-child.ts DATA_DIR xlsx|csv
 */
import fs from 'node:fs';
import path from 'node:path';
import { OrderExports, OrderSearch } from '../src/station/ledger';
import { FieldCipher, loadOrCreateDataKeys } from '../src/station/security';
import { openDatabase, quickCheck } from '../src/station/store';
import { z } from 'zod';
import { EXPORT_FORMATS, OrderFilter } from '../src/shared/ledger';

const dataDir = process.argv[2] ?? '';
const format = z.enum(EXPORT_FORMATS).parse(process.argv[3]);
const mb = (bytes: number) => Math.round(bytes / 1_048_576);

/** The kernel's own peak (VmHWM) — the same figure resourceUsage().maxRSS gives, in bytes. */
function peakRss(): number {
  const hwm = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'))?.[1];
  return hwm ? Number(hwm) * 1024 : process.resourceUsage().maxRSS * 1024;
}

const db = openDatabase(path.join(dataDir, 'station.db'));
const findings = quickCheck(db);
if (findings.length > 0) throw new Error(`quick_check: ${findings.join('; ')}`);
const cipher = new FieldCipher(loadOrCreateDataKeys(path.join(dataDir, 'keys'), { databaseHoldsRows: true, latestBackup: null }));
const exports = new OrderExports({
  search: new OrderSearch(db, cipher, 'Asia/Shanghai'),
  dir: path.join(dataDir, 'exports'),
  timeZone: 'Asia/Shanghai',
  now: () => new Date(),
  audit: () => undefined,
  onProgress: () => undefined,
});
const filter = OrderFilter.parse({ from: '2026-12-01', to: '2027-12-31' });

const startRss = process.memoryUsage.rss();
const startPeak = peakRss();
const start = performance.now();
const cpu = process.cpuUsage();
const end = await exports.start({ filter, sort: 'time-asc', format, viewer: { roles: ['admin'] }, operatorId: 'bench' }).done;
const seconds = (performance.now() - start) / 1000;
const used = process.cpuUsage(cpu);
const peak = peakRss();
db.close();
if (end.state !== 'finished' || !end.file) throw new Error(`export ${format} ended ${end.state}`);
const fileBytes = fs.statSync(end.file).size;
fs.rmSync(end.file);
console.log(
  JSON.stringify({
    format,
    rows: end.done,
    seconds: Math.round(seconds * 100) / 100,
    // on a shared machine the wall clock counts other processes' turns too; CPU time is this export's own
    cpuSeconds: Math.round((used.user + used.system) / 10_000) / 100,
    startRssMb: mb(startRss),
    startPeakRssMb: mb(startPeak),
    peakRssMb: mb(peak),
    fileMb: Math.round(fileBytes / 104_857.6) / 10,
  }),
);
