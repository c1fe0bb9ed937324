/**
 * `npm start`: the station in training mode by default (simulated centre, emulated scan box, seeded training
 * operators). With the Electron binary installed it runs the Electron shell; without it (this machine, or a
 * locked-down PC) it serves the same core over the loopback host and opens the system Chromium in app mode, with
 * kiosk printing (chromium-app.ts): the slip prints to the default printer without a dialog.
 *
 *   npm start                         training, data in .station-data/training
 *   npm start -- --data-dir DIR       training in another data dir
 *   npm start -- --live               a configured hospital station in the machine-wide data dir
 *                                     (/var/lib/yibao-station, C:\ProgramData\yibao-station, or $YIBAO_STATION_DATA_DIR)
 *   npm start -- --live --data-dir D  a configured hospital station in D (D/station.config.json)
 *   npm start -- --ledger postgres://host/db   join the hospital's PostgreSQL ledger (key file: <data dir>/ledger-keys.json)
 *   npm start -- --no-browser         only print the address to open
 *   npm start -- --service            also the settlement service for the hospital's apps on this core (src/service)
 *   npm start -- --reset-training     training from its first start again (docs/training.md)
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { installCoreCrashHandlers, startStationCore } from '../app/core-entry';
import { CupsSystemPrinter } from '../app/cups-printer';
import { liveDataDir } from '../app/data-dir';
import { resetTrainingData } from '../app/training-data';
import { TRAINING_KEY_FILE } from '../app/training-rig';
import { chromiumAppArgs } from './chromium-app';
import { startLoopbackHost } from './loopback-host';
import { startTrainerConsole } from './trainer-console';
import { startServiceOnStation } from '../service/on-station';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(name);
const value = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};

const USAGE = `用法 / usage: npm start [-- OPTIONS]
  (none)               培训模式 training: simulated centre, HIS, payment platform and devices; data in .station-data/training
  --data-dir DIR       training in another data dir
  --live               a configured hospital station in the machine-wide data dir
                       (/var/lib/yibao-station, C:\\ProgramData\\yibao-station, or $YIBAO_STATION_DATA_DIR)
  --live --data-dir D  a configured hospital station in D (D/station.config.json; see docs/operations.md)
  --ledger URL         医院总账 the hospital's PostgreSQL ledger (postgres://host:port/db; login, password, TLS in
                       <data dir>/ledger-keys.json); default: the station's own SQLite
  --browser            the loopback host and the system Chromium even where Electron is installed
  --no-browser         only print the address to open
  --service            结算服务 also the settlement service's HTTP API on this station (service.config.json, service-keys.json)
  --reset-training     培训数据还原 training data back to its first start (keys kept; never a live data dir)
  --help               this text`;
const KNOWN_FLAGS = new Set([
  '--live',
  '--data-dir',
  '--ledger',
  '--browser',
  '--no-browser',
  '--reset-training',
  '--service',
  '--help',
  '-h',
]);
if (flag('--help') || flag('-h')) {
  console.log(USAGE);
  process.exit(0);
}
const unknown = argv.filter(
  (a, i) => a.startsWith('-') && !KNOWN_FLAGS.has(a) && argv[i - 1] !== '--data-dir' && argv[i - 1] !== '--ledger',
);
if (unknown.length > 0) {
  console.error(`[start] 未知参数 unknown option: ${unknown.join(' ')}\n${USAGE}`);
  process.exit(2);
}

const live = flag('--live');
const ledgerUrl = value('--ledger');
const dataDirFlag = value('--data-dir');
// Training never shares a folder with a hospital's data: its default stays in this checkout.
const dataDir = path.resolve(
  live
    ? liveDataDir({ platform: process.platform, env: process.env, flag: dataDirFlag ? path.resolve(dataDirFlag) : null })
    : (dataDirFlag ?? path.join(root, '.station-data', 'training')),
);

if (flag('--reset-training')) {
  if (live) {
    console.error('[start] --reset-training 只用于培训模式 (training only)');
    process.exit(2);
  }
  // A data dir that never ran training has nothing to reset.
  if (fs.existsSync(path.join(dataDir, TRAINING_KEY_FILE))) {
    try {
      const { removed } = resetTrainingData(dataDir);
      console.log(`[start] 培训数据已还原：${removed.join('、') || '本来就是初始状态'}`);
    } catch (e) {
      console.error(`[start] ${e instanceof Error ? e.message : String(e)}`);
      process.exit(1);
    }
  }
}

function electronBinary(): string | null {
  try {
    const pkgDir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
    const rel = fs.readFileSync(path.join(pkgDir, 'path.txt'), 'utf8').trim();
    const bin = path.join(pkgDir, 'dist', rel);
    return fs.existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

function chromiumBinary(): string | null {
  for (const candidate of ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']) {
    if (fs.existsSync(candidate)) return candidate;
  }
  return null;
}

async function main(): Promise<void> {
  const electron = flag('--browser') ? null : electronBinary();
  if (electron) {
    // The Electron shell reads the ledger from station.config.json only: never start unjoined when asked to join.
    if (ledgerUrl) {
      console.error('[start] --ledger 需配合 --browser（本机回环模式）；Electron 版请在 station.config.json 中配置 ledger');
      process.exit(2);
    }
    if (flag('--service')) {
      console.error('[start] --service 需配合 --browser（本机回环模式），或单独运行 npm run service');
      process.exit(2);
    }
    console.log(`[start] Electron ${electron}`);
    const child = spawn(electron, [path.join(root, 'dist', 'main', 'main.cjs'), '--data-dir', dataDir, ...(live ? [] : ['--training'])], {
      stdio: 'inherit',
    });
    child.on('exit', (code) => process.exit(code ?? 0));
    return;
  }

  console.log('[start] 未安装 Electron 运行时：使用本机回环服务 + 系统 Chromium 应用模式运行同一核心。');
  // On Linux the core prints slips itself through CUPS, to the printer chosen in the admin screen (operations.md).
  const cups = process.platform === 'linux' && fs.existsSync('/usr/bin/lp');
  const station = await startStationCore({
    dataDir,
    training: !live,
    trainingWard: true,
    shell: 'browser',
    ...(ledgerUrl ? { ledger: { url: ledgerUrl } } : {}),
    ...(cups ? { systemPrinter: new CupsSystemPrinter({ workDir: path.join(dataDir, 'print-tmp') }) } : {}),
  });
  installCoreCrashHandlers(station);
  const host = await startLoopbackHost({ core: station.core, rendererDir: station.rendererDir });
  // Beside the screens, so the stays the nurse admits are the ones the phones settle (one data dir, one core).
  const service = flag('--service') ? await startServiceOnStation(station, dataDir) : null;
  if (service) console.log(`[start] 结算服务 ${service.url}/openapi.json`);
  let quitting = false;
  const quit = async () => {
    if (quitting) return;
    quitting = true;
    consoleHandle.dispose();
    browser?.kill();
    await service?.close();
    await host.close();
    await station.close();
    process.exit(0);
  };
  console.log(`[start] ${station.training ? '培训模式' : '正式模式'} · 数据目录 ${dataDir}`);
  if (station.training) console.log('[start] 培训账号：sf001 收费员 / ys001 医生 / hs001 护士 / admin 管理员，密码 Train@2026');

  let browser: ReturnType<typeof spawn> | null = null;
  const chromium = chromiumBinary();
  const hasDisplay = Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
  if (!flag('--no-browser') && chromium && hasDisplay) {
    browser = spawn(
      chromium,
      chromiumAppArgs({
        pageUrl: host.pageUrl,
        profileDir: path.join(dataDir, 'chromium-profile'),
        runningAsRoot: process.getuid?.() === 0,
      }),
      { stdio: 'ignore' },
    );
    browser.on('exit', () => void quit());
  } else {
    console.log(`[start] 请在 Chromium 中打开：${host.pageUrl}`);
    if (!hasDisplay) console.log('[start] （当前没有图形显示，未自动打开浏览器）');
  }
  const consoleHandle = station.training ? startTrainerConsole(station.training, () => void quit()) : { dispose() {} };
  process.on('SIGINT', () => void quit());
  process.on('SIGTERM', () => void quit());
}

main().catch((e: unknown) => {
  console.error('[start] 无法启动：', e instanceof Error ? e.message : e);
  process.exit(1);
});
