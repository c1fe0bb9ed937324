/**
 * How the loopback host opens the system Chromium as the station's window (no Electron runtime on the PC): app
 * mode on the loopback page, its own profile in the data dir, and `--kiosk-printing`, so the slip's
 * `window.print()` goes straight to the system's default printer without a dialog — the same silent printing the
 * Electron shell does (docs/operations.md, Printers).
 */
export interface ChromiumAppOptions {
  pageUrl: string;
  profileDir: string;
  /** Chromium refuses to run as root without it (a kiosk PC's autostart as root, a container). */
  runningAsRoot: boolean;
}

export function chromiumAppArgs(opts: ChromiumAppOptions): string[] {
  return [
    `--app=${opts.pageUrl}`,
    `--user-data-dir=${opts.profileDir}`,
    '--kiosk-printing',
    '--lang=zh-CN',
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--window-size=1366,860',
    ...(opts.runningAsRoot ? ['--no-sandbox'] : []),
  ];
}
