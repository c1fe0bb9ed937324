/**
 * The packaged shape of the app, end to end: the real Electron binary runs dist/main/main.cjs in training
 * mode on a fresh data dir, and we check what a reviewer of the shell cares about — the page comes from
 * app://station, sees only `window.station` (no require, no process), runs isolated and sandboxed, and
 * the training cashier can sign in to the scan screen. The core runs in a utility process; killed, it is
 * restarted and the window signs in again.
 *
 * Needs the Electron binary, which `npm ci` downloads. Where it could not be downloaded (an offline
 * machine), the suite is skipped with the reason; the shell is then covered by tsc, lint, the unit tests
 * of src/main and the browser-shell e2e over the loopback host.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_NAMES, OPERATION_NAMES, subscriptionName } from '../src/shared/api';
import { PrinterAnswerSchemas } from '../src/shared/printing';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MAIN_BUNDLE = path.join(ROOT, 'dist', 'main', 'main.cjs');
const PRELOAD_BUNDLE = path.join(ROOT, 'dist', 'main', 'preload.cjs');
const CORE_BUNDLE = path.join(ROOT, 'dist', 'main', 'core.cjs');
/** The utility process's serviceName (src/main/utility-core.ts). */
const CORE_SERVICE = 'yibao-station-core';

type Located = { ok: true; executable: string } | { ok: false; reason: string };

/**
 * The executable `require('electron')` would return. Not obtained by requiring it: when the binary is
 * missing, the electron package's index.js first spawns its installer to download it, which on an offline
 * machine hangs or fails. So this reads the same path.txt (and ELECTRON_OVERRIDE_DIST_PATH) it reads.
 */
function locateElectron(): Located {
  let pkgDir: string;
  try {
    pkgDir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return { ok: false, reason: 'the electron package is not installed' };
  }
  const pathTxt = path.join(pkgDir, 'path.txt');
  const relative = fs.existsSync(pathTxt) ? fs.readFileSync(pathTxt, 'utf8').trim() : '';
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const executable = override ? path.join(override, relative || 'electron') : relative ? path.join(pkgDir, 'dist', relative) : '';
  if (executable === '' || !fs.existsSync(executable)) {
    return {
      ok: false,
      reason: `no executable at ${executable || path.join(pkgDir, 'dist')} (electron's postinstall download did not run or failed)`,
    };
  }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { ok: false, reason: 'no display: run the tests under xvfb-run' };
  }
  return { ok: true, executable };
}

const electron = locateElectron();
if (!electron.ok) {
  console.warn(`[e2e] Electron shell suite skipped: Electron binary not installed on this machine (offline); ${electron.reason}`);
}
const suite = electron.ok ? describe : describe.skip;
const title = electron.ok ? 'Electron shell' : `Electron shell (skipped: ${electron.reason})`;

suite(title, () => {
  let app: ElectronApplication;
  let page: Page;
  let dataDir: string;

  beforeAll(async () => {
    if (!electron.ok) return;
    for (const bundle of [MAIN_BUNDLE, PRELOAD_BUNDLE, CORE_BUNDLE]) {
      if (!fs.existsSync(bundle)) throw new Error(`${path.relative(ROOT, bundle)} is missing: run node scripts/build-main.mjs first`);
    }
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yibao-e2e-electron-'));
    // Chromium refuses to start its OS sandbox as root (containers, CI). The renderer is still a
    // `sandbox: true` renderer (no Node in the preload), which is what the assertions below check.
    const rootOnly = process.getuid?.() === 0 ? ['--no-sandbox'] : [];
    app = await _electron.launch({
      executablePath: electron.executable,
      args: [...rootOnly, MAIN_BUNDLE, '--training', '--data-dir', dataDir],
      cwd: ROOT,
      timeout: 45_000,
    });
    page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
  });

  afterAll(async () => {
    await app?.close(); // graceful: will-quit disposes the bridge and closes the core
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves the page from app://station', () => {
    expect(page.url()).toBe('app://station/index.html');
  });

  it('gives the page window.station and nothing of Node or Electron', async () => {
    const seen = await page.evaluate(() => {
      const g = globalThis as Record<string, unknown>;
      const station = g.station as Record<string, unknown> | undefined;
      return {
        station: typeof station,
        keys: station ? Object.keys(station).sort() : [],
        require: typeof g.require,
        process: typeof g.process,
        module: typeof g.module,
        Buffer: typeof g.Buffer,
        ipcRenderer: typeof g.ipcRenderer,
        electron: typeof g.electron,
      };
    });
    const expectedKeys = [...OPERATION_NAMES, ...EVENT_NAMES.map(subscriptionName)].sort();
    expect(seen).toEqual({
      station: 'object',
      keys: expectedKeys,
      require: 'undefined',
      process: 'undefined',
      module: 'undefined',
      Buffer: 'undefined',
      ipcRenderer: 'undefined',
      electron: 'undefined',
    });
  });

  it('gives the page the receipt printer: four calls, answers in their schema, a print only through the core', async () => {
    const seen = await page.evaluate(async () => {
      const printer = (globalThis as Record<string, unknown>).stationPrinter as Record<string, (input?: unknown) => Promise<unknown>>;
      return {
        keys: Object.keys(printer).sort(),
        status: await printer.status!(),
        list: await printer.printers!(),
        // Not signed in yet: the core refuses printReceipt and printTestPage, so nothing reaches a printer.
        print: await printer.printReceipt!({ orderId: 'no-such-order' }),
        html: await printer.printReceipt!({ orderId: 'x', html: '<h1>x</h1>' }),
        testPage: await printer.printTestPage!(),
      };
    });
    expect(seen.keys).toEqual(['printReceipt', 'printTestPage', 'printers', 'status']);
    expect(PrinterAnswerSchemas.printReceipt.parse(seen.testPage).ok).toBe(false);
    expect(PrinterAnswerSchemas.status.parse(seen.status)).toMatchObject({ paper: 'A5 纸（148×210 mm）' });
    expect(PrinterAnswerSchemas.list.parse(seen.list).ok).toBe(true);
    expect(PrinterAnswerSchemas.printReceipt.parse(seen.print).ok).toBe(false);
    expect(seen.html).toEqual({ ok: false, message: '参数错误' });
  });

  it('runs the window isolated and sandboxed', async () => {
    const prefs = await app.evaluate(({ BrowserWindow }) => {
      // Present at run time (what the renderer was really created with) but absent from Electron's typings.
      type WithLastPrefs = { getLastWebPreferences(): Record<string, unknown> | null };
      const contents = BrowserWindow.getAllWindows()[0]?.webContents as unknown as WithLastPrefs | undefined;
      const p = contents?.getLastWebPreferences();
      return {
        contextIsolation: p?.contextIsolation,
        sandbox: p?.sandbox,
        nodeIntegration: p?.nodeIntegration,
        webSecurity: p?.webSecurity,
        webviewTag: p?.webviewTag,
      };
    });
    expect(prefs).toEqual({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false });
  });

  it('lets the page reach nothing outside its origin', async () => {
    const attempts = await page.evaluate(async () => ({
      fetch: await fetch('https://example.com/').then(
        () => 'loaded',
        () => 'blocked',
      ),
      popup: window.open('https://example.com/') === null ? 'denied' : 'opened',
    }));
    expect(attempts).toEqual({ fetch: 'blocked', popup: 'denied' });
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
  });

  it('signs the training cashier in to the scan screen', async () => {
    await page.getByTestId('login-user').fill('sf001');
    await page.getByTestId('login-password').fill('Train@2026');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('scan-prompt').waitFor({ state: 'visible', timeout: 15_000 });
    expect(page.url()).toMatch(/^app:\/\/station\//);
  });

  /** pid of the station core's utility process, as Electron's own metrics list it. */
  async function corePid(): Promise<number | undefined> {
    const metrics = await app.evaluate(({ app: electronApp }) =>
      electronApp.getAppMetrics().map((m) => ({ pid: m.pid, type: m.type, serviceName: m.serviceName })),
    );
    return metrics.find((m) => m.type === 'Utility' && m.serviceName === CORE_SERVICE)?.pid;
  }

  it('runs the core in a utility process, not in the main process', async () => {
    const pid = await corePid();
    expect(pid).toBeTypeOf('number');
    expect(pid).not.toBe(await app.evaluate(() => process.pid));
  });

  it('restarts a killed core: the window returns to sign-in and signs in again', async () => {
    const first = await corePid();
    process.kill(first!, 'SIGKILL');
    await page.getByTestId('login-form').waitFor({ state: 'visible', timeout: 15_000 });
    await expect.poll(corePid, { timeout: 15_000 }).not.toBe(first);
    await expect.poll(corePid, { timeout: 15_000 }).toBeTypeOf('number');
    await page.getByTestId('login-user').fill('sf001');
    await page.getByTestId('login-password').fill('Train@2026');
    // The new process may still be composing the station ("正在启动"): sign in again until it answers.
    for (let attempt = 0; ; attempt++) {
      await page.getByTestId('login-submit').click();
      try {
        await page.getByTestId('scan-prompt').waitFor({ state: 'visible', timeout: 3000 });
        break;
      } catch (e) {
        if (attempt >= 5) throw e;
      }
    }
  });
});
