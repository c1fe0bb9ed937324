/**
 * The machine's tools the suite drives for real: socat (ptys), Chromium (e2e, slips as PDF), Python (an
 * independent zip reader), the OpenSSL command line (an independent SM2) and CUPS with cups-pdf and poppler (a
 * slip printed through a real print system), PostgreSQL (the hospital ledger). A developer's machine without one
 * skips those tests with the reason; under `CI=true` a missing tool fails the run and names the Debian package,
 * so a CI machine that lost a package can never go green with a quarter of the suite switched off. Only the
 * Electron binary may be absent everywhere (it cannot be downloaded here): its suite skips on its own terms.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export type Tool = 'socat' | 'chromium' | 'python3' | 'openssl' | 'cups-pdf' | 'postgresql';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Debian's PostgreSQL 15 server binaries (initdb, pg_ctl); POSTGRES_BIN points elsewhere. */
export const POSTGRES_BIN = process.env.POSTGRES_BIN ?? '/usr/lib/postgresql/15/bin';

const TOOLS: Record<Tool, { debianPackage: string; purpose: string; present(): boolean }> = {
  socat: { debianPackage: 'socat', purpose: 'pty device tests', present: () => runs('socat', ['-V']) },
  chromium: { debianPackage: 'chromium', purpose: 'e2e and slip PDF tests', present: () => fs.existsSync(CHROMIUM_PATH) },
  python3: {
    debianPackage: 'python3',
    purpose: 'the zip cross-check with Python zipfile',
    present: () => runs('python3', ['-c', 'import zipfile']),
  },
  'cups-pdf': {
    debianPackage: 'cups printer-driver-cups-pdf poppler-utils',
    purpose: 'the slip print test through a private CUPS with a PDF printer',
    present: () =>
      [
        '/usr/sbin/cupsd',
        '/usr/sbin/lpadmin',
        '/usr/bin/lp',
        '/usr/lib/cups/backend/cups-pdf',
        '/usr/bin/pdftotext',
        '/usr/bin/pdfinfo',
      ].every((f) => fs.existsSync(f)),
  },
  postgresql: {
    debianPackage: 'postgresql',
    purpose: 'the hospital ledger tests on a throwaway PostgreSQL cluster (test/harness/postgres.ts)',
    present: () => fs.existsSync(path.join(POSTGRES_BIN, 'initdb')) && fs.existsSync(path.join(POSTGRES_BIN, 'pg_ctl')),
  },
  openssl: {
    debianPackage: 'openssl',
    purpose: 'the SM2 cross-check with the OpenSSL command line',
    // OpenSSL 1.1 has no SM2 signatures with a distinguishing id on the command line; 3.x has.
    present: () =>
      runs('openssl', ['list', '-public-key-algorithms']) &&
      /^OpenSSL 3\./.test(spawnSync('openssl', ['version']).stdout?.toString() ?? ''),
  },
};

const known = new Map<Tool, boolean>();

function runs(command: string, args: string[]): boolean {
  return spawnSync(command, args, { stdio: 'ignore' }).status === 0;
}

export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.CI === 'true' || env.CI === '1';
}

/** Why a tool's tests cannot run here, in words for the skip line and the CI failure. */
export function missingReason(tool: Tool): string {
  const t = TOOLS[tool];
  return `${tool} is not available (${t.purpose} need it): apt-get install ${t.debianPackage}`;
}

/**
 * `describe.skipIf(missing('socat'))`: true when the tool is absent and its tests should skip; under CI=true an
 * absent tool throws instead, failing the test file with the package to install.
 */
export function missing(tool: Tool, env: NodeJS.ProcessEnv = process.env, present: () => boolean = TOOLS[tool].present): boolean {
  let here = known.get(tool);
  if (here === undefined || present !== TOOLS[tool].present) {
    here = present();
    if (present === TOOLS[tool].present) known.set(tool, here);
  }
  if (here) return false;
  if (isCi(env)) throw new Error(`CI=true: ${missingReason(tool)}`);
  return true;
}
