/**
 * `npm run bench -- NAME`: runs bench/NAME.ts in its own process (so one benchmark's warm JIT and heap do not
 * colour another's). Without a name, lists them. Each benchmark prints a table and, last, one JSON line.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

const dir = path.dirname(new URL(import.meta.url).pathname);
const available = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_'))
  .map((f) => f.slice(0, -3))
  .sort();

const names = process.argv.slice(2).filter((a) => !a.startsWith('-'));
if (names.length === 0) {
  console.log(`usage: npm run bench -- NAME [NAME ...]\navailable: ${available.join(', ')}`);
  process.exit(available.length ? 0 : 1);
}
let failed = false;
for (const name of names) {
  if (!available.includes(name)) {
    console.error(`unknown benchmark "${name}"; available: ${available.join(', ')}`);
    failed = true;
    continue;
  }
  // --expose-gc: a benchmark that samples memory (soak) collects first; the others never call it.
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(dir, `${name}.ts`)], { stdio: 'inherit' });
  if (r.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
