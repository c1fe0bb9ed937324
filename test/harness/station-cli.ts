/** `npm run station -- …` as IT runs it: the command line in its own process (tsx), on a data dir. */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import path from 'node:path';

export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');

/** Node's arguments for the command line: tsx, the CLI's entry, `args` and the data dir. */
export function stationArgv(dataDir: string, args: readonly string[]): string[] {
  return [path.join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'src/host/cli/index.ts', ...args, '--data-dir', dataDir];
}

/** Runs the command line to its end (the caller's event loop waits meanwhile). */
export function runStation(dataDir: string, ...args: string[]): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, stationArgv(dataDir, args), { cwd: REPO_ROOT, encoding: 'utf8' });
}
