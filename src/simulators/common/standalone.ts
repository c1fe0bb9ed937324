/**
 * How a simulator runs on its own (`tsx src/simulators/<name>/standalone.ts`): `start` starts it and prints
 * how to reach it; it then runs until SIGINT / SIGTERM, when it is closed and the process exits. Any failure,
 * starting or closing, is printed and exits with 1.
 */
import { parseArgs } from 'node:util';

/** `--name value` options with their defaults (undefined: none), and `--flag` switches, off by default. */
export type StandaloneArgs<O extends Record<string, string | undefined>, F extends string> = {
  [K in keyof O]: undefined extends O[K] ? string | undefined : string;
} & Record<F, boolean>;

/**
 * The command line of a standalone simulator. `--help` prints `usage` and exits 0 before anything starts; an
 * option it does not know, or a missing value, prints what is wrong and the usage, and exits 2.
 */
export function standaloneArgs<O extends Record<string, string | undefined>, F extends string = never>(
  usage: string,
  options: O,
  flags: readonly F[] = [],
  argv: readonly string[] = process.argv.slice(2),
): StandaloneArgs<O, F> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(usage);
    process.exit(0);
  }
  const config: Record<string, { type: 'string' | 'boolean'; default?: string | boolean }> = {};
  for (const [name, value] of Object.entries(options))
    config[name] = value === undefined ? { type: 'string' } : { type: 'string', default: value };
  for (const flag of flags) config[flag] = { type: 'boolean', default: false };
  try {
    return parseArgs({ args: [...argv], options: config }).values as StandaloneArgs<O, F>;
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
    process.exit(2);
  }
}
export interface Closable {
  close(): Promise<unknown>;
}

export function runStandalone(start: () => Promise<Closable>): void {
  start()
    .then((simulator) => {
      const stop = () => void simulator.close().then(() => process.exit(0), exitWithError);
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    })
    .catch(exitWithError);
}

function exitWithError(error: unknown): void {
  console.error(error);
  process.exit(1);
}
