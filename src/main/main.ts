/**
 * Electron entry. Thin on purpose: parse the command line, start the station core in a utility process (the
 * same core entry the loopback host runs, src/app/core-entry.ts) and keep it alive, serve the renderer on
 * app://, bridge IPC to the core over the relay, open the window, and shut the core down on quit. The main
 * process never runs SQLite or SM2 itself, so the window never waits on them. Bundled to dist/main/main.cjs,
 * the core to dist/main/core.cjs, by scripts/build-main.mjs.
 */
// First: registers the app:// scheme (before `ready`) and installs the guards before anything else runs.
import { devToolsEnabled, serveAppProtocol } from './security';
import fs from 'node:fs';
import path from 'node:path';
import { app, dialog, ipcMain, Menu, type BrowserWindow } from 'electron';
import { RelayClient } from '../app/relay/core-client';
import { ElectronReceiptPdfPrinter } from './receipt-pdf-electron';
import type { Disposable } from '../station/api/core-contract';
import { CoreSupervisor } from './core-supervisor';
import { forkCoreProcess } from './utility-core';
import { parseMainArgs, type MainArgs } from './args';
import { registerIpcBridge } from './ipc-bridge';
import { registerPrintIpc } from './print-ipc';
import { ElectronReceiptPrinter } from './receipt-print-electron';
import { RECEIPTS_DEFAULTS, readReceiptsConfig, type ReceiptsConfig } from '../station/receipts';
import { APP_ENTRY_URL } from './policy';
import { openStationWindow } from './windows';
import { liveDataDir, trainingDataDirOf } from '../app/data-dir';
import { CONFIG_FILE, firstRunText, startChoice } from './first-run';

/** The core flushes its journal on close; past this, quit anyway (SQLite's WAL keeps what was committed). */
const CLOSE_TIMEOUT_MS = 10_000;

// Stack traces name src/ lines (dist/main/*.cjs.map sits next to the bundle).
process.setSourceMapsEnabled(true);

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
  // One machine-wide folder (not a user's profile: cashiers' accounts change, the hospital's data must not):
  // C:\ProgramData\yibao-station, /var/lib/yibao-station, or $YIBAO_STATION_DATA_DIR (docs/operations.md).
  const dataDir = args.dataDir ?? liveDataDir({ platform: process.platform, env: process.env });
  // Chromium's profile goes inside the data dir, and the single-instance lock is keyed on it: one data dir
  // (one SQLite journal, one set of serial ports) is driven by one process at a time.
  app.setPath('userData', path.join(dataDir, 'chromium'));
  if (!app.requestSingleInstanceLock()) {
    console.log(`[station] another instance already uses ${dataDir}; handing over to it`);
    app.quit();
    return;
  }

  // The core's slips are printed here, by a hidden window (only the main process can open one).
  const printer = new ElectronReceiptPdfPrinter({ dir: path.join(dataDir, 'receipts') });
  const core = new RelayClient({ print: (html, fileName) => printer.print(html, fileName) });
  // What the core is started on: the data dir as given, or its training folder when IT chose training (below).
  let coreDataDir = dataDir;
  let coreTraining = args.training;
  const supervisor = new CoreSupervisor({
    client: core,
    // A data dir without station.config.json has never been configured for a hospital: a packaged app asks IT
    // first (first-run.ts); an unpackaged run lets the core train in its training/ subfolder (resolveStart).
    spawn: () => forkCoreProcess({ entry: path.join(__dirname, 'core.cjs'), dataDir: coreDataDir, training: coreTraining }),
    onRestarted: (info, n) => console.warn(`[station] station core restarted (${n}), ${info.training ? 'training' : 'live'} mode`),
    onFatal: (message) => {
      // The window cannot work without its core: say so and quit (an unattended run just exits).
      if (app.isPackaged) dialog.showErrorBox('医保收费工作站', message);
      app.exit(1);
    },
  });
  let started = false;
  let bridge: Disposable | null = null;
  let printIpc: Disposable | null = null;
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
      printIpc?.dispose();
      bridge?.dispose();
      if (started) await withTimeout(supervisor.stop(CLOSE_TIMEOUT_MS), CLOSE_TIMEOUT_MS + 1000, 'closing the station core');
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
      const choice = startChoice({
        trainingFlag: args.training,
        configured: fs.existsSync(path.join(dataDir, CONFIG_FILE)),
        packaged: app.isPackaged,
      });
      if (choice === 'ask') {
        const trainingDir = trainingDataDirOf(dataDir, process.platform);
        const text = firstRunText(dataDir, trainingDir);
        const { response } = await dialog.showMessageBox({ type: 'info', ...text, defaultId: 1, cancelId: 1, noLink: true });
        if (response !== 0) {
          app.exit(0);
          return;
        }
        coreDataDir = trainingDir;
        coreTraining = true;
      }
      started = true;
      const info = await supervisor.start();
      const index = path.join(info.rendererDir, 'index.html');
      if (!fs.existsSync(index)) throw new Error(`界面文件缺失 (renderer not built): ${index}`);
      serveAppProtocol(info.rendererDir);
      // Sender checks stay here, in the main process; the relay carries only what passed them.
      const ipcBridge = registerIpcBridge(core, ipcMain);
      bridge = ipcBridge;
      // Silent printing to the station's receipt printer (receipts.printer / paper / copies of the data dir the
      // core runs on; read at each print, so a corrected name needs no restart of the shell).
      const receiptSettings = (): ReceiptsConfig => {
        try {
          return readReceiptsConfig(coreDataDir);
        } catch (cause) {
          console.error(`[station] ${messageOf(cause)}`);
          return RECEIPTS_DEFAULTS;
        }
      };
      printIpc = registerPrintIpc(ipcMain, new ElectronReceiptPrinter(receiptSettings), ipcBridge);
      // main.cjs and preload.cjs are built side by side into dist/main (CJS output, so __dirname exists).
      stationWindow = openStationWindow({ url: APP_ENTRY_URL, preloadPath: path.join(__dirname, 'preload.cjs'), dev: devToolsEnabled });
      console.log(
        `[station] 医保收费工作站 started: Electron ${process.versions.electron}, core in a utility process, ${info.training ? 'TRAINING mode (simulated centre and devices)' : 'live mode'}, data dir ${dataDir}, renderer ${info.rendererDir}`,
      );
    })
    .catch(async (cause: unknown) => {
      const title = '医保收费工作站无法启动';
      console.error(`[station] ${title}: ${messageOf(cause)}`);
      // A modal box would hang an unattended (CI, e2e) run; the cashier of a packaged install must see it.
      if (app.isPackaged) dialog.showErrorBox(title, messageOf(cause));
      bridge?.dispose();
      if (started) await withTimeout(supervisor.stop(CLOSE_TIMEOUT_MS), CLOSE_TIMEOUT_MS + 1000, 'closing the station core');
      app.exit(1);
    });
}

run();
