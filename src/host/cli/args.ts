/** What every CLI area receives: the data dir, its positional words after the area name, and flag access. */
export interface CliArgs {
  dataDir: string;
  positional: string[];
  flag(name: string): boolean;
  value(name: string): string | undefined;
  usage(): never;
}

export interface CliArea {
  summary: string;
  run(args: CliArgs): Promise<void> | void;
}

/** Flags that take a value (so their value is not read as a positional word). */
export const VALUE_FLAGS = new Set(['--data-dir', '--out', '--url', '--key-file', '--rate', '--app']);
