/**
 * 100,000 orders exported to xlsx and CSV by the core (issue 13 item 5): time and peak memory of each.
 *
 * npm run bench -- export        (EXPORT_ORDERS=N to change the size; default 100,000)
 *
 * The orders are written straight into a real station database (sealed persons and care, as the station seals
 * them), then each format is exported twice through `OrderExports` — the same path the admin's 导出 takes: keyset
 * batches of 1,000, masking, the streaming writers, progress after every batch. Peak RSS is sampled every 10 ms
 * during the export (the writers yield between batches, so the sampler runs) and checked against the process's
 * own high-water mark. Goal (issue 13): xlsx ≤ 5 s, peak RSS ≤ 300 MB.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { OrderExports, OrderSearch } from '../src/station/ledger';
import { seedOrders } from '../src/station/ledger/testing/seed-orders';
import { FieldCipher, loadOrCreateDataKeys } from '../src/station/security';
import { openDatabase } from '../src/station/store';
import { OrderFilter, type ExportFormat } from '../src/shared/ledger';

const ORDERS = Number(process.env.EXPORT_ORDERS ?? 100_000);
const ROUNDS = 2;
const mb = (bytes: number) => Math.round(bytes / 1_048_576);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-export-'));
try {
  const db = openDatabase(path.join(dir, 'station.db'));
  const cipher = new FieldCipher(loadOrCreateDataKeys(path.join(dir, 'keys')));
  const t0 = performance.now();
  seedOrders(db, cipher, { count: ORDERS, start: new Date('2026-11-30T16:00:00Z'), stepMs: 20_000, persons: 5_000 });
  const seedSeconds = (performance.now() - t0) / 1000;
  const search = new OrderSearch(db, cipher, 'Asia/Shanghai');
  const exports = new OrderExports({
    search,
    dir: path.join(dir, 'exports'),
    timeZone: 'Asia/Shanghai',
    now: () => new Date(),
    audit: () => undefined,
    onProgress: () => undefined,
  });
  const filter = OrderFilter.parse({ from: '2026-12-01', to: '2027-12-31' });
  const results: {
    format: ExportFormat;
    round: number;
    rows: number;
    seconds: number;
    cpuSeconds: number;
    startRssMb: number;
    peakRssMb: number;
    fileMb: number;
  }[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    for (const format of ['xlsx', 'csv'] as const) {
      global.gc?.();
      const startRss = process.memoryUsage.rss();
      let peak = startRss;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 10);
      const start = performance.now();
      const cpu = process.cpuUsage();
      const end = await exports.start({ filter, sort: 'time-asc', format, viewer: { roles: ['admin'] }, operatorId: 'bench' }).done;
      const seconds = (performance.now() - start) / 1000;
      const used = process.cpuUsage(cpu);
      clearInterval(sampler);
      peak = Math.max(peak, process.memoryUsage.rss());
      if (end.state !== 'finished' || !end.file) throw new Error(`export ${format} ended ${end.state}`);
      results.push({
        format,
        round,
        rows: end.done,
        seconds: Math.round(seconds * 100) / 100,
        // on a shared machine the wall clock counts other processes' turns too; CPU time is this export's own
        cpuSeconds: Math.round((used.user + used.system) / 10_000) / 100,
        startRssMb: mb(startRss),
        peakRssMb: mb(peak),
        fileMb: Math.round(fs.statSync(end.file).size / 104_857.6) / 10,
      });
      fs.rmSync(end.file);
    }
  }
  db.close();
  console.log(`${ORDERS} orders seeded in ${seedSeconds.toFixed(1)} s; ${os.cpus().length} CPUs, node ${process.version}`);
  console.log('format  round  rows      seconds  CPU s    RSS before MB  peak RSS MB  file MB');
  for (const r of results) {
    console.log(
      `${r.format.padEnd(6)}  ${String(r.round).padEnd(5)}  ${String(r.rows).padEnd(8)}  ${String(r.seconds).padEnd(7)}  ${String(r.cpuSeconds).padEnd(7)}  ${String(r.startRssMb).padEnd(13)}  ${String(r.peakRssMb).padEnd(11)}  ${r.fileMb}`,
    );
  }
  const best = (f: ExportFormat) => Math.min(...results.filter((r) => r.format === f).map((r) => r.seconds));
  const peak = (f: ExportFormat) => Math.max(...results.filter((r) => r.format === f).map((r) => r.peakRssMb));
  const summary = {
    bench: 'export',
    orders: ORDERS,
    xlsxSeconds: best('xlsx'),
    xlsxCpuSeconds: Math.min(...results.filter((r) => r.format === 'xlsx').map((r) => r.cpuSeconds)),
    csvCpuSeconds: Math.min(...results.filter((r) => r.format === 'csv').map((r) => r.cpuSeconds)),
    xlsxPeakRssMb: peak('xlsx'),
    csvSeconds: best('csv'),
    csvPeakRssMb: peak('csv'),
    maxRssMb: mb(process.resourceUsage().maxRSS * 1024),
    goal: { xlsxSeconds: 5, peakRssMb: 300 },
    met: best('xlsx') <= 5 && peak('xlsx') <= 300 && peak('csv') <= 300,
  };
  console.log(JSON.stringify(summary));
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
