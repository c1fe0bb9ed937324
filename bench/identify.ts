/**
 * npm run bench -- identify
 *
 * 1. Scan → patient rendered: the emulated scan box writes an e-voucher QR into a real pty; the clock stops
 *    when Chromium has rendered the patient card of that identification (a new data-identification-id).
 *    Everything is real: serial driver, ec.query + 1101 over SM2/SM4 to the simulator on 127.0.0.1, SQLite
 *    (synchronous=FULL), the loopback WebSocket bridge, React. Goal p95 ≤ 50 ms.
 * 2. The core's share: the same path without the browser — a WebSocket client receives the scan event and
 *    calls identifyPatient, as the renderer does.
 * 3. Cold start of the core: createStationFromConfig on an existing data dir (live configuration, so no
 *    simulator start is counted) until it answers its first call. Goal ≤ 1 s.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { WebSocket } from 'ws';
import { chromium } from 'playwright-core';
import { createStationFromConfig } from '../src/app/compose';
import { startLoopbackHost } from '../src/host/loopback-host';
import { TRAINING_PASSWORD } from '../src/station/auth/training-operators';
import { TRAINING_KEY_FILE } from '../src/app/training-rig';

const SCANS = Number(process.env.BENCH_SCANS ?? 200);
const WARMUP = 10;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
function summary(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const r = (n: number) => Math.round(n * 100) / 100;
  return { n: s.length, p50: r(percentile(s, 50)), p95: r(percentile(s, 95)), p99: r(percentile(s, 99)), max: r(s.at(-1)!) };
}

async function scanToRendered(dataDir: string) {
  const station = await createStationFromConfig({ dataDir, training: true, shell: 'browser' });
  const host = await startLoopbackHost({ core: station.core, rendererDir: station.rendererDir });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1366, height: 860 } });
    await page.goto(host.pageUrl);
    await page.getByTestId('login-user').fill('sf001');
    await page.getByTestId('login-password').fill(TRAINING_PASSWORD);
    await page.getByTestId('login-password').press('Enter');
    await page.getByTestId('scan-prompt').waitFor();
    await page.locator('[data-testid="device-badge-scanbox-1"][data-state="connected"]').waitFor();
    const rig = station.training!;
    // A MutationObserver in the page reports each new patient card the moment React commits it.
    let rendered: ((id: string) => void) | null = null;
    await page.exposeFunction('__benchCardRendered', (id: string) => rendered?.(id));
    await page.evaluate(() => {
      let last = '';
      new MutationObserver(() => {
        const id = document.querySelector('[data-testid="patient-card"]')?.getAttribute('data-identification-id') ?? '';
        if (id && id !== last) {
          last = id;
          (window as unknown as { __benchCardRendered(id: string): void }).__benchCardRendered(id);
        }
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    });
    const samples: number[] = [];
    for (let i = 0; i < SCANS + WARMUP; i++) {
      const voucher = rig.vouchers[i % rig.vouchers.length]!;
      const shown = new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`scan ${i} (${voucher.name}) not rendered in 10 s`)), 10_000);
        rendered = () => {
          clearTimeout(timer);
          resolve(performance.now());
        };
      });
      const t0 = performance.now();
      await rig.scanner!.scan(voucher.qr);
      const t1 = await shown;
      if (i >= WARMUP) samples.push(t1 - t0);
    }
    return summary(samples);
  } finally {
    await browser.close();
    await host.close();
    await station.close();
  }
}

async function coreShare(dataDir: string) {
  const station = await createStationFromConfig({ dataDir, training: true, shell: 'browser' });
  const host = await startLoopbackHost({ core: station.core, rendererDir: station.rendererDir });
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}/station?token=${host.token}`, { headers: { origin: host.origin } });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  let next = 1;
  const waiting = new Map<number, (v: unknown) => void>();
  let onScan: ((scanId: string) => void) | null = null;
  ws.on('message', (data) => {
    const msg = JSON.parse(data.toString());
    if (msg.t === 'result') waiting.get(msg.id)?.(msg.result);
    else if (msg.event === 'scan') onScan?.(msg.payload.scanId);
  });
  const call = (op: string, input: unknown) =>
    new Promise<{ ok: boolean }>((resolve) => {
      const id = next++;
      waiting.set(id, resolve as (v: unknown) => void);
      ws.send(JSON.stringify({ t: 'call', id, op, input }));
    });
  try {
    await call('login', { login: 'sf001', password: TRAINING_PASSWORD });
    for (let tries = 0; ; tries++) {
      const r = (await call('listDevices', {})) as unknown as { ok: true; value: { state: string }[] };
      if (r.value.every((d) => d.state === 'connected')) break;
      if (tries > 200) throw new Error('scan box never connected');
      await new Promise((res) => setTimeout(res, 20));
    }
    const rig = station.training!;
    const total: number[] = [];
    const identify: number[] = [];
    for (let i = 0; i < SCANS + WARMUP; i++) {
      const voucher = rig.vouchers[i % rig.vouchers.length]!;
      const scanned = new Promise<string>((resolve) => (onScan = resolve));
      const t0 = performance.now();
      await rig.scanner!.scan(voucher.qr);
      const scanId = await scanned;
      const t1 = performance.now();
      const r = await call('identifyPatient', { method: 'scan', scanId });
      const t2 = performance.now();
      if (!r.ok) throw new Error(`identify failed: ${JSON.stringify(r)}`);
      if (i >= WARMUP) {
        total.push(t2 - t0);
        identify.push(t2 - t1);
      }
    }
    return { total: summary(total), identify: summary(identify) };
  } finally {
    ws.close();
    await host.close();
    await station.close();
  }
}

async function coldStart(trainingDir: string) {
  // A live configuration pointing at a separately started centre: only the core's own start is timed.
  const rigStation = await createStationFromConfig({ dataDir: trainingDir, training: true, shell: 'browser' });
  const rig = rigStation.training!;
  const liveDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-cold-'));
  fs.mkdirSync(path.join(liveDir, 'keys'), { recursive: true });
  fs.copyFileSync(path.join(trainingDir, TRAINING_KEY_FILE), path.join(liveDir, 'keys', 'nhsa.json'));
  const config = { ...rig.config, nhsa: { ...rig.config.nhsa, keyFile: 'keys/nhsa.json' } };
  fs.writeFileSync(path.join(liveDir, 'station.config.json'), JSON.stringify(config, null, 2));
  const samples: number[] = [];
  const processSamples: number[] = [];
  try {
    for (let i = 0; i < 21; i++) {
      const t0 = performance.now();
      const s = await createStationFromConfig({ dataDir: liveDir, training: false, shell: 'browser' });
      const session = s.core.openSession('ws');
      const info = await s.core.dispatch(session, 'stationInfo', {});
      const elapsed = performance.now() - t0;
      if (!info.ok) throw new Error('core did not answer');
      await s.close();
      if (i > 0) samples.push(elapsed); // the first includes creating the database and keys
    }
    const probe = path.join(path.dirname(new URL(import.meta.url).pathname), '_cold-start-probe.ts');
    for (let i = 0; i < 10; i++) {
      const r = spawnSync(process.execPath, ['--import', 'tsx', probe, liveDir], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`cold-start probe failed: ${r.stderr}`);
      processSamples.push((JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { elapsedMs: number }).elapsedMs);
    }
  } finally {
    await rigStation.close();
    fs.rmSync(liveDir, { recursive: true, force: true });
  }
  return { inProcess: summary(samples), newProcess: summary(processSamples) };
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-identify-'));
  try {
    const rendered = await scanToRendered(path.join(dir, 'ui'));
    const core = await coreShare(path.join(dir, 'core'));
    const cold = await coldStart(path.join(dir, 'cold'));
    const row = (name: string, s: ReturnType<typeof summary>) =>
      `${name.padEnd(44)} ${String(s.n).padStart(5)} ${s.p50.toFixed(2).padStart(8)} ${s.p95.toFixed(2).padStart(8)} ${s.p99.toFixed(2).padStart(8)} ${s.max.toFixed(2).padStart(8)}`;
    console.log(
      `${'measure (ms)'.padEnd(44)} ${'n'.padStart(5)} ${'p50'.padStart(8)} ${'p95'.padStart(8)} ${'p99'.padStart(8)} ${'max'.padStart(8)}`,
    );
    console.log(row('scan frame → patient rendered (Chromium)', rendered));
    console.log(row('scan frame → identify answered (core+bridge)', core.total));
    console.log(row('  of which identifyPatient call', core.identify));
    console.log(row('core open → first answer (modules loaded)', cold.inProcess));
    console.log(row('new process → core answers (node+tsx)', cold.newProcess));
    console.log(
      `goals: rendered p95 ≤ 50 ms: ${rendered.p95 <= 50 ? 'met' : 'MISSED'}; cold start ≤ 1000 ms: ${cold.newProcess.p95 <= 1000 ? 'met' : 'MISSED'}`,
    );
    console.log(
      JSON.stringify({
        bench: 'identify',
        scans: rendered.n,
        renderedP50Ms: rendered.p50,
        renderedP95Ms: rendered.p95,
        coreP50Ms: core.total.p50,
        coreP95Ms: core.total.p95,
        identifyCallP50Ms: core.identify.p50,
        identifyCallP95Ms: core.identify.p95,
        coreOpenP50Ms: cold.inProcess.p50,
        coreOpenP95Ms: cold.inProcess.p95,
        coldStartProcessP50Ms: cold.newProcess.p50,
        coldStartProcessP95Ms: cold.newProcess.p95,
      }),
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
process.exit(0);
