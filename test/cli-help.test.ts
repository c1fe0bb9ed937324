/**
 * Every command a person types takes --help: it prints its usage on stdout and exits 0, without building or
 * starting anything (a simulator that started would keep running, and spawnSync would hit its timeout). Each is
 * run the way it is typed, through npm and scripts/station.sh.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const AREAS = ['outbox', 'audit', 'support', 'operators', 'backup', 'training', 'shifts', 'mobilepay', 'service'];
const BENCHMARKS = fs
  .readdirSync(path.join(root, 'bench'))
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_'))
  .map((f) => f.slice(0, -3));

function run(command: string, args: string[]) {
  const r = spawnSync(command, args, { cwd: root, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}
const npm = (...args: string[]) => run('npm', ['run', '-s', ...args]);

describe('--help on every command', { timeout: 90_000 }, () => {
  it.each([
    ['npm start', ['start'], ['用法 / usage: npm start', '--reset-training']],
    ['npm test', ['test'], ['用法 / usage: npm test']],
    ['npm run station', ['station'], ['用法 / usage: npm run station -- AREA', ...AREAS.map((a) => `  ${a} `)]],
    ['npm run service', ['service'], ['用法 / usage: npm run service', '--live', '--port N']],
    ['npm run sim', ['sim'], ['用法 / usage: npm run sim', '--profile sm|plain']],
    ['npm run bench', ['bench'], ['用法 / usage: npm run bench -- NAME', ...BENCHMARKS.map((b) => `  ${b} `)]],
    ['npm run chaos', ['chaos'], ['用法 / usage: npm run chaos', '--sessions N', '--kills K']],
    ['npm run mutants', ['mutants'], ['用法 / usage: npm run mutants', '--only']],
    ['npm run dist', ['dist'], ['用法：npm run dist -- --win | --linux | --dir', 'ELECTRON_DIST', 'CSC_LINK']],
  ])('%s -- --help', (_name, script, expected) => {
    const r = npm(...script, '--', '--help');
    expect(r.signal).toBeNull();
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    for (const text of expected) expect(r.stdout).toContain(text);
  });

  it.each(AREAS)('npm run station -- %s --help', (area) => {
    const r = npm('station', '--', area, '--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^用法 / usage: npm run station -- ${area} \\S`));
    expect(r.stdout).toContain('--data-dir DIR');
  });

  it.each([
    ['src/simulators/his/standalone.ts', 'HIS 网关模拟器'],
    ['src/simulators/pay-channel/standalone.ts', '统一支付平台模拟器'],
    ['scripts/render-icons.ts', 'resources/icon.svg'],
  ])('tsx %s --help', (file, expected) => {
    const r = run(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), file, '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(expected);
  });

  it('scripts/station.sh without a known command prints the list of commands and exits 2', () => {
    const r = run('bash', ['scripts/station.sh', 'no-such-command']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('npm run dist -- --win | --linux | --dir');
  });

  it('a simulator refuses an option it does not know with its usage, instead of starting', () => {
    const r = npm('sim', '--', '--prot', '18080');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("Unknown option '--prot'");
    expect(r.stderr).toContain('用法 / usage: npm run sim');
  });
});
