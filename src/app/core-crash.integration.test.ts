/**
 * A core process that meets an exception nobody catches or a rejection nobody handles: it leaves a redacted crash
 * record in <dataDir>/logs and exits non-zero (for the Electron shell's CoreSupervisor to start a new core).
 * A real child process with a real training core.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CRASH_EXIT_CODE } from '../station/log/crash-handlers';
import { APP_VERSION } from './compose';

const root = path.resolve(import.meta.dirname, '..', '..');
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('core crash handlers', () => {
  it.each(['exception', 'rejection'])('an unhandled %s writes a redacted crash record and exits non-zero', (kind) => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'station-crash-'));
    dirs.push(dataDir);
    const child = spawnSync(
      process.execPath,
      [path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'src/app/testing/crash-child.ts', dataDir, kind],
      { cwd: root, encoding: 'utf8', timeout: 60_000 },
    );
    expect(child.status).toBe(CRASH_EXIT_CODE);
    const logs = path.join(dataDir, 'logs');
    const crashes = fs.readdirSync(logs).filter((f) => f.startsWith('crash-'));
    expect(crashes).toHaveLength(1);
    const text = fs.readFileSync(path.join(logs, crashes[0]!), 'utf8');
    const record = JSON.parse(text) as { kind: string; version: string; error: { message: string; stack: string }; lastLogLines: string[] };
    expect(record.kind).toBe(kind === 'exception' ? 'uncaughtException' : 'unhandledRejection');
    expect(record.version).toBe(APP_VERSION);
    expect(record.error.message).toBe('a bug met patient [REDACTED], phone [REDACTED]');
    expect(record.lastLogLines.some((l) => l.includes('about to fail for patient [REDACTED]'))).toBe(true);
    expect(text).not.toMatch(/350203196804122036|13812345678/);
  });
});
