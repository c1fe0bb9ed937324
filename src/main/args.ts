/**
 * The shell's command line. Electron's argv holds the executable, in development the app path, and
 * Chromium switches we do not own, so we pick our flags out by name and ignore the rest.
 */
import path from 'node:path';

export interface MainArgs {
  /** absolute; null when not given (the caller picks the per-machine default) */
  dataDir: string | null;
  /** `--training` given explicitly */
  training: boolean;
}

export function parseMainArgs(argv: readonly string[], cwd: string = process.cwd()): MainArgs {
  let dataDir: string | null = null;
  let training = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--training') {
      training = true;
    } else if (arg === '--data-dir') {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new Error('--data-dir needs a directory');
      dataDir = path.resolve(cwd, value);
      i++;
    } else if (arg.startsWith('--data-dir=')) {
      const value = arg.slice('--data-dir='.length);
      if (value === '') throw new Error('--data-dir needs a directory');
      dataDir = path.resolve(cwd, value);
    }
  }
  return { dataDir, training };
}
