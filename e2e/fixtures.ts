/**
 * E2E fixtures: every test gets its own data dir and a whole training station (NHSA centre simulator, scan box
 * on a real pty, SQLite file) behind the loopback host, and a fresh Chromium page. Waits are on the page's
 * state (Playwright's auto-waiting locators), never sleeps.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { ComposeOptions, ComposedStation } from '../src/app/compose';
import { startStationCore } from '../src/app/core-entry';
import { startLoopbackHost, type LoopbackHost } from '../src/host/loopback-host';
import { connect, type TestClient } from '../test/harness/ws-test-client';
import { TRAINING_PASSWORD } from '../src/station/auth/training-operators';
import type { StationCore } from '../src/station/api/core-contract';
import { CHROMIUM_PATH, isCi, missing, missingReason } from '../test/harness/prerequisites';
import { expect as pw } from './expect';
import { vi } from 'vitest';

// Every e2e test drives a browser, a whole station and its simulators: a settlement that takes 6 s on a quiet
// machine takes several times that on a loaded two-core CI runner. Importing the fixtures sets the e2e files'
// default limit; a test that names its own keeps it.
vi.setConfig({ testTimeout: 60_000 });

export const CHROMIUM = CHROMIUM_PATH;
export const ARTIFACTS = path.resolve('artifacts');

/** Lower than production (2^17) so a test run does not spend seconds per login; stored in the hash. */
export const TEST_KDF = { N: 2 ** 14, r: 8, p: 1 };

/** Why the e2e tests cannot run here (they skip with it), or null; under CI=true a missing part fails the file instead. */
export function chromiumMissingReason(): string | null {
  if (missing('chromium')) return missingReason('chromium');
  if (!fs.existsSync(path.resolve('dist/renderer/index.html'))) {
    const reason = 'renderer not built (npm test builds it first)';
    if (isCi()) throw new Error(`CI=true: ${reason}`);
    return reason;
  }
  return null;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--lang=zh-CN',
    ],
  });
}

export interface StationUnderTest {
  station: ComposedStation;
  host: LoopbackHost;
  page: Page;
  dataDir: string;
  close(): Promise<void>;
}

/** Options a test may shorten; each one left out keeps the station's default. */
export type StationOptions = {
  nhsaTimeoutMs?: number;
  /** The core the page's host drives, as a test shapes it (e.g. the timing of answers against events). */
  core?: (core: StationCore) => StationCore;
  /** The browser window's inner size; default 1366×860. */
  viewport?: { width: number; height: number };
} & Partial<Pick<ComposeOptions, 'payWindowMs' | 'sweepEveryMs' | 'qr' | 'liveLikeFirstRun' | 'idleLockMinutes' | 'trainingWard'>>;

export async function openStation(browser: Browser, opts: StationOptions = {}): Promise<StationUnderTest> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'station-e2e-'));
  const station = await startStationCore({
    dataDir,
    training: true,
    shell: 'browser',
    kdfCost: TEST_KDF,
    nhsaTimeoutMs: opts.nhsaTimeoutMs ?? 3000,
    ...(opts.payWindowMs !== undefined ? { payWindowMs: opts.payWindowMs } : {}),
    ...(opts.sweepEveryMs !== undefined ? { sweepEveryMs: opts.sweepEveryMs } : {}),
    ...(opts.qr !== undefined ? { qr: opts.qr } : {}),
    ...(opts.liveLikeFirstRun !== undefined ? { liveLikeFirstRun: opts.liveLikeFirstRun } : {}),
    ...(opts.idleLockMinutes !== undefined ? { idleLockMinutes: opts.idleLockMinutes } : {}),
    ...(opts.trainingWard !== undefined ? { trainingWard: opts.trainingWard } : {}),
  });
  const host = await startLoopbackHost({ core: opts.core ? opts.core(station.core) : station.core, rendererDir: station.rendererDir });
  const context = await browser.newContext({ viewport: opts.viewport ?? { width: 1366, height: 860 }, locale: 'zh-CN' });
  // Every CSP violation is a problem of the page (the strict CSP must hold with antd), and kept for tests to read.
  await context.addInitScript(() => {
    const seen: string[] = [];
    Object.defineProperty(window, 'cspViolations', { value: seen });
    document.addEventListener('securitypolicyviolation', (e) => {
      seen.push(`${e.effectiveDirective} ${e.blockedURI} ${e.sample}`);
      console.error(`CSP violation: ${e.effectiveDirective} ${e.blockedURI} ${e.sample}`);
    });
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  await page.goto(host.pageUrl);
  return {
    station,
    host,
    page,
    dataDir,
    close: async () => {
      await context.close();
      await host.close();
      await station.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
      if (problems.length) throw new Error(`the page reported problems:\n${problems.join('\n')}`);
    },
  };
}

export async function login(page: Page, user = 'sf001', password = TRAINING_PASSWORD): Promise<void> {
  await page.getByTestId('login-user').fill(user);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-password').press('Enter');
}

/** The key bar's name of a key Playwright presses: `Escape` shows as `Esc`, `Alt+m` as `Alt+M`. */
function keyBarId(key: string): string | null {
  if (/^F\d{1,2}$/.test(key)) return key;
  if (key === 'Escape') return 'Esc';
  if (key === 'Delete') return 'Del';
  const chord = /^(Alt|Ctrl)\+([a-zA-Z])$/.exec(key);
  return chord ? `${chord[1]}+${chord[2]!.toUpperCase()}` : null;
}

/**
 * Presses a key as a cashier or a nurse does: once the screen's step is over (`order-busy` at the window,
 * `bedside-busy` at the bedside) and, for a key the key bar shows (function keys, Esc, Del, Alt/Ctrl chords), once
 * the bar shows it lit. A key pressed while a step runs is dropped by design — a money step is never queued behind
 * another the operator has not yet seen — and the order's own update can reach the screen a moment before its
 * step's answer, so the state on the card alone is no signal to press on. Enter, arrows and digits wait for the step.
 */
export async function pressKey(page: Page, key: string, screen: 'window' | 'bedside'): Promise<void> {
  await pw(page.getByTestId(screen === 'window' ? 'order-busy' : 'bedside-busy')).toHaveCount(0);
  const id = keyBarId(key);
  // Any bar on screen: the today list's order drawer has keys of its own (buttons) beside the window's bar.
  if (id !== null) {
    await pw(
      page.locator(`[data-testid="key-${id}"][data-enabled="true"], [data-testid="detail-key-${id}"]:not([disabled])`),
    ).toBeAttached();
  }
  await page.keyboard.press(key);
}

/**
 * A second, signed-in connection to the station under test, as another window would open: for reading the core's
 * own views (e.g. the order's QR text) alongside the page. Close it before the station.
 */
export async function connectCore(t: StationUnderTest, user = 'sf001', password = TRAINING_PASSWORD): Promise<TestClient> {
  const client = await connect(t.host);
  const r = await client.call('login', { login: user, password });
  if (!r.ok) {
    client.close();
    throw new Error(`login ${user}: ${r.error.code} ${r.error.message}`);
  }
  return client;
}

export function saveScreenshot(page: Page, name: string): Promise<Buffer> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  return page.screenshot({ path: path.join(ARTIFACTS, name), fullPage: true });
}
