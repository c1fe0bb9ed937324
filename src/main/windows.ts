/**
 * The station window: one per launch (a cashier window, a doctor station, a bedside laptop each run their
 * own). Its web preferences are policy.ts's `stationWebPreferences`, unit-tested there.
 */
import { BrowserWindow } from 'electron';
import { stationWebPreferences } from './policy';

export const WINDOW_TITLE = '医保收费工作站';

export interface StationWindowOptions {
  url: string;
  preloadPath: string;
  /** development run: DevTools allowed and the default menu kept */
  dev: boolean;
}

export function openStationWindow(opts: StationWindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 800,
    // Every screen is laid out for 1280×800 at the least.
    minWidth: 1280,
    minHeight: 800,
    title: WINDOW_TITLE,
    show: false, // shown on ready-to-show: no white flash, no half-painted screen in front of a patient
    backgroundColor: '#ffffff',
    autoHideMenuBar: !opts.dev,
    webPreferences: stationWebPreferences({ preloadPath: opts.preloadPath, devTools: opts.dev }),
  });
  if (!opts.dev) win.removeMenu(); // no View › Reload / Toggle DevTools accelerators in production
  // The title is the product's, whatever the page's <title> says.
  win.on('page-title-updated', (event) => event.preventDefault());
  win.once('ready-to-show', () => win.show());
  // A crashed renderer loses nothing (state lives in the core's SQLite), so reload it once; a second crash
  // within a minute is left on screen rather than looping.
  let lastCrash = 0;
  win.webContents.on('render-process-gone', (_event, details) => {
    const now = Date.now();
    const again = now - lastCrash < 60_000;
    lastCrash = now;
    console.error(`[window] renderer gone: ${details.reason}, exit code ${details.exitCode}`);
    if (details.reason !== 'clean-exit' && !again && !win.isDestroyed()) win.webContents.reload();
  });
  win.loadURL(opts.url).catch((cause: unknown) => console.error(`[window] cannot load ${opts.url}`, cause));
  return win;
}
