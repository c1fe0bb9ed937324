/**
 * Electron entry. Thin on purpose: parse the command line, build the station with the same composition
 * root the browser shell uses, serve the renderer on app://, bridge IPC to the core, open the window, and
 * dispose the core on quit. Bundled to dist/main/main.cjs by scripts/build-main.mjs.
 */
// First: registers the app:// scheme (before `ready`) and installs the guards before anything else runs.
import { devToolsEnabled, serveAppProtocol } from './security';
import fs from 'node:fs';
import path from 'node:path';
import { app, dialog, ipcMain, Menu, type BrowserWindow } from 'electron';
import { createStationFromConfig } from '../app/compose';
import { ElectronReceiptPdfPrinter } from './receipt-pdf-electron';
import type { Disposable } from '../station/api/core-contract';
import { parseMainArgs, type MainArgs } from './args';
import { registerIpcBridge } from './ipc-bridge';
import { APP_ENTRY_URL } from './policy';
import { openStationWindow } from './windows';

/** A data dir without this file has never been configured for a hospital: it runs in training mode. */
const STATION_CONFIG_FILE = 'station.config.json';
/** The core flushes its journal on close; past this, quit anyway (SQLite's WAL keeps what was committed). */
const CLOSE_TIMEOUT_MS = 10_000;

// Stack traces name src/ lines (dist/main/*.cjs.map sits next to the bundle).
process.setSourceMapsEnabled(true);

type Station = Awaited<ReturnType<typeof createStationFromConfig>>;

function messageOf(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

function readArgs(): MainArgs | null {
  try {
    return parseMainArgs(process.argv.slice(1));
  } catch (cause) {
    console.error(`[station] ${messageOf(cause)}`);
    console.error('usage: yibao-station [--data-dir DIR] [--training]');
    return null;
  }
}

function withTimeout(work: Promise<void>, ms: number, what: string): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      console.error(`[station] ${what} did not finish in ${ms} ms; quitting anyway`);
      resolve();
    }, ms);
    work
      .catch((cause: unknown) => console.error(`[station] ${what} failed`, cause))
      .finally(() => {
        clearTimeout(timer);
        resolve();
      });
  });
}

function run(): void {
  const args = readArgs();
  if (args === null) {
    app.exit(2);
    return;
  }
  // Not userData: its name follows productName, which the packager rewrites. One fixed folder per machine user.
  const dataDir = args.dataDir ?? path.join(app.getPath('appData'), 'yibao-station');
  const training = args.training || !fs.existsSync(path.join(dataDir, STATION_CONFIG_FILE));
  // Chromium's profile goes inside the data dir, and the single-instance lock is keyed on it: one data dir
  // (one SQLite journal, one set of serial ports) is driven by one process at a time.
  app.setPath('userData', path.join(dataDir, 'chromium'));
  if (!app.requestSingleInstanceLock()) {
    console.log(`[station] another instance already uses ${dataDir}; handing over to it`);
    app.quit();
    return;
  }

  let station: Station | null = null;
  let bridge: Disposable | null = null;
  let stationWindow: BrowserWindow | null = null;

  app.on('second-instance', () => {
    if (!stationWindow || stationWindow.isDestroyed()) return;
    if (stationWindow.isMinimized()) stationWindow.restore();
    stationWindow.focus();
  });
  app.on('window-all-closed', () => app.quit());

  let closed = false;
  let closing: Promise<void> | null = null;
  app.on('will-quit', (event) => {
    if (closed) return;
    event.preventDefault();
    closing ??= (async () => {
      bridge?.dispose();
      if (station) await withTimeout(station.close(), CLOSE_TIMEOUT_MS, 'closing the station core');
    })().finally(() => {
      closed = true;
      app.quit();
    });
  });

  app
    .whenReady()
    .then(async () => {
      if (!devToolsEnabled) Menu.setApplicationMenu(null);
      fs.mkdirSync(dataDir, { recursive: true });
      station = await createStationFromConfig({
        dataDir,
        training,
        shell: 'electron',
        receiptPrinter: (dir) => new ElectronReceiptPdfPrinter({ dir }),
      });
      const index = path.join(station.rendererDir, 'index.html');
      if (!fs.existsSync(index)) throw new Error(`界面文件缺失 (renderer not built): ${index}`);
      serveAppProtocol(station.rendererDir);
      bridge = registerIpcBridge(station.core, ipcMain);
      // main.cjs and preload.cjs are built side by side into dist/main (CJS output, so __dirname exists).
      stationWindow = openStationWindow({ url: APP_ENTRY_URL, preloadPath: path.join(__dirname, 'preload.cjs'), dev: devToolsEnabled });
      console.log(
        `[station] 医保收费工作站 started: Electron ${process.versions.electron}, ${training ? 'TRAINING mode (simulated centre and devices)' : 'live mode'}, data dir ${dataDir}, renderer ${station.rendererDir}`,
      );
    })
    .catch(async (cause: unknown) => {
      const title = '医保收费工作站无法启动';
      console.error(`[station] ${title}: ${messageOf(cause)}`);
      // A modal box would hang an unattended (CI, e2e) run; the cashier of a packaged install must see it.
      if (app.isPackaged) dialog.showErrorBox(title, messageOf(cause));
      bridge?.dispose();
      if (station) await withTimeout(station.close(), CLOSE_TIMEOUT_MS, 'closing the station core');
      app.exit(1);
    });
}

run();
