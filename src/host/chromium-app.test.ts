import { describe, expect, it } from 'vitest';
import { chromiumAppArgs } from './chromium-app';

describe('the system Chromium as the station window', () => {
  const base = { pageUrl: 'http://127.0.0.1:4321/#code=abc', profileDir: '/data/chromium-profile' };

  it('opens the page in app mode with kiosk printing, so window.print() prints without a dialog', () => {
    const args = chromiumAppArgs({ ...base, runningAsRoot: false });
    expect(args).toContain('--app=http://127.0.0.1:4321/#code=abc');
    expect(args).toContain('--kiosk-printing');
    expect(args).toContain('--user-data-dir=/data/chromium-profile');
    expect(args).not.toContain('--no-sandbox');
    // --kiosk alone would take the whole screen from the cashier's other programs: only printing is kiosk.
    expect(args).not.toContain('--kiosk');
  });

  it('keeps the sandbox off only where Chromium refuses to start as root', () => {
    expect(chromiumAppArgs({ ...base, runningAsRoot: true })).toContain('--no-sandbox');
  });
});
