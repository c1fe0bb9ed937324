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

/** What a benchmark measures: the first sentence of its doc comment, so the list cannot drift from the files. */
function summaryOf(name: string): string {
  const doc = /\/\*\*([\s\S]*?)\*\//.exec(fs.readFileSync(path.join(dir, `${name}.ts`), 'utf8'))?.[1] ?? '';
  const text = doc
    .split('\n')
    .map((l) => l.replace(/^\s*\*\s?/, '').trim())
    .filter((l) => l !== '' && !l.startsWith('npm run bench'))
    .join(' ')
    .replace(/^1\.\s*/, '');
  const sentence = /^(.*?)(?:[.:;](?:\s|$)|$)/.exec(text)?.[1] ?? text;
  return sentence.length > 96 ? `${sentence.slice(0, 95)}…` : sentence;
}

function usage(): string {
  const width = Math.max(...available.map((n) => n.length));
  return [
    '用法 / usage: npm run bench -- NAME [NAME ...]   each in its own process; a table, then one JSON line',
    '基准 benchmarks:',
    ...available.map((name) => `  ${name.padEnd(width)}  ${summaryOf(name)}`),
  ].join('\n');
}

const args = process.argv.slice(2);
const names = args.filter((a) => !a.startsWith('-'));
if (args.includes('--help') || args.includes('-h') || names.length === 0) {
  console.log(usage());
  process.exit(available.length ? 0 : 1);
}
let failed = false;
for (const name of names) {
  if (!available.includes(name)) {
    console.error(`unknown benchmark "${name}"\n${usage()}`);
    failed = true;
    continue;
  }
  // --expose-gc: a benchmark that samples memory (soak) collects first; the others never call it.
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(dir, `${name}.ts`)], { stdio: 'inherit' });
  if (r.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
