/** A chaos runner's `--name N` option: a non-negative whole number, or the usage and exit 2. */
export function wholeNumberOption(argv: readonly string[], usage: string): (name: string, dflt: number) => number {
  return (name, dflt) => {
    const i = argv.indexOf(name);
    if (i < 0) return dflt;
    const n = Number(argv[i + 1]);
    if (Number.isInteger(n) && n >= 0) return n;
    console.error(`${name} 需要一个非负整数 needs a whole number, not ${argv[i + 1] ?? '(nothing)'}\n${usage}`);
    process.exit(2);
  };
}
