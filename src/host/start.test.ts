import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const start = (...args: string[]) =>
  spawnSync(process.execPath, [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), path.join(ROOT, 'src/host/start.ts'), ...args], {
    encoding: 'utf8',
    timeout: 30_000,
  });

describe('npm start', { timeout: 60_000 }, () => {
  it('--help prints the options and starts nothing', () => {
    const r = start('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^用法 \/ usage: npm start/);
    expect(r.stdout).toContain('--live');
    expect(r.stdout).not.toContain('[start]');
  });

  it('an unknown option is refused with the options, instead of starting a station', () => {
    const r = start('--reset-everything');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('未知参数 unknown option: --reset-everything');
  });
});
