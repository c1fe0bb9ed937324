/**
 * 100,000 orders exported to xlsx and CSV by the core (issue 13 item 5): time and peak memory of each.
 *
 * npm run bench -- export        (EXPORT_ORDERS=N to change the size; default 100,000)
 *
 * This process writes the orders straight into a real station database (sealed persons and care, as the station
 * seals them) and closes it; then each export runs in a fresh child process (bench/_export-child.ts) that opens
 * the database and its key as the station does and exports through `OrderExports` — the same path the admin's
 * 导出 takes: keyset batches of 1,000, masking, the streaming writers. The child's peak RSS is the kernel's
 * high-water mark of that process alone, so the seeding (≈150 MB of this process) is not counted in it, as it
 * never is in a station. Goal (issue 13): xlsx ≤ 5 s, peak RSS ≤ 300 MB.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { z } from 'zod';
import { seedOrders } from '../src/station/ledger/testing/seed-orders';
import { FieldCipher, loadOrCreateDataKeys } from '../src/station/security';
import { openDatabase } from '../src/station/store';
import { EXPORT_FORMATS, type ExportFormat } from '../src/shared/ledger';

const ORDERS = Number(process.env.EXPORT_ORDERS ?? 100_000);
const ROUNDS = 2;
const mb = (bytes: number) => Math.round(bytes / 1_048_576);
const CHILD = path.join(path.dirname(new URL(import.meta.url).pathname), '_export-child.ts');

const ChildResult = z.object({
  format: z.enum(EXPORT_FORMATS),
  rows: z.number().int(),
  seconds: z.number(),
  cpuSeconds: z.number(),
  startRssMb: z.number(),
  startPeakRssMb: z.number(),
  peakRssMb: z.number(),
  fileMb: z.number(),
});
type ChildResult = z.infer<typeof ChildResult>;

/** One export in a fresh process; its last stdout line is its result. */
function exportInChild(dataDir: string, format: ExportFormat): ChildResult {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CHILD, dataDir, format], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`export child (${format}) exited ${r.status}: ${r.stderr}`);
  return ChildResult.parse(JSON.parse(r.stdout.trim().split('\n').at(-1) ?? ''));
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-export-'));
try {
  const db = openDatabase(path.join(dir, 'station.db'));
  const cipher = new FieldCipher(loadOrCreateDataKeys(path.join(dir, 'keys')));
  const t0 = performance.now();
  seedOrders(db, cipher, { count: ORDERS, start: new Date('2026-11-30T16:00:00Z'), stepMs: 20_000, persons: 5_000 });
  const seedSeconds = (performance.now() - t0) / 1000;
  db.close();
  const seedPeakMb = mb(process.resourceUsage().maxRSS * 1024);
  const results: (ChildResult & { round: number })[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    for (const format of EXPORT_FORMATS) results.push({ ...exportInChild(dir, format), round });
  }
  console.log(
    `${ORDERS} orders seeded in ${seedSeconds.toFixed(1)} s (that process's peak RSS ${seedPeakMb} MB, not counted below); ${os.cpus().length} CPUs, node ${process.version}`,
  );
  console.log('each export in a fresh process that opens the station database (quick_check, data key), then exports');
  console.log('format  round  rows      seconds  CPU s    RSS before MB  peak RSS MB  file MB');
  for (const r of results) {
    console.log(
      `${r.format.padEnd(6)}  ${String(r.round).padEnd(5)}  ${String(r.rows).padEnd(8)}  ${String(r.seconds).padEnd(7)}  ${String(r.cpuSeconds).padEnd(7)}  ${String(r.startRssMb).padEnd(13)}  ${String(r.peakRssMb).padEnd(11)}  ${r.fileMb}`,
    );
  }
  const of = (f: ExportFormat) => results.filter((r) => r.format === f);
  const best = (f: ExportFormat) => Math.min(...of(f).map((r) => r.seconds));
  const peak = (f: ExportFormat) => Math.max(...of(f).map((r) => r.peakRssMb));
  const summary = {
    bench: 'export',
    orders: ORDERS,
    xlsxSeconds: best('xlsx'),
    xlsxCpuSeconds: Math.min(...of('xlsx').map((r) => r.cpuSeconds)),
    csvCpuSeconds: Math.min(...of('csv').map((r) => r.cpuSeconds)),
    xlsxPeakRssMb: peak('xlsx'),
    csvSeconds: best('csv'),
    csvPeakRssMb: peak('csv'),
    // the child's RSS once the database is open and before the export starts
    startRssMb: Math.max(...results.map((r) => r.startRssMb)),
    seedPeakRssMb: seedPeakMb,
    goal: { xlsxSeconds: 5, peakRssMb: 300 },
    met: best('xlsx') <= 5 && peak('xlsx') <= 300 && peak('csv') <= 300,
  };
  console.log(JSON.stringify(summary));
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
