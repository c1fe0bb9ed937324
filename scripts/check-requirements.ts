/**
 * `docs/requirements.md` must not claim more than the code proves: every row marked done or partial names at
 * least one test file, every file a row names exists, and every quoted test name after a file is found in that
 * file (a renamed or deleted test turns the row red here, not silently stale). Run by `npm test`.
 *
 *   tsx scripts/check-requirements.ts [FILE]
 */
import fs from 'node:fs';
import path from 'node:path';

export interface RowProblem {
  id: string;
  problem: string;
}

/** A path as rows write it: src/…, e2e/…, test/…, bench/…, eslint/…, native/… ending in a source extension. */
const PATH = /\b((?:src|e2e|test|bench|eslint|native|scripts)\/[\w./-]+\.(?:tsx?|mjs|c|py|sh))\b/g;
const TEST_FILE = /\.(test|e2e)\.tsx?$|^bench\//;

export function checkRequirements(markdown: string, root: string): { rows: number; problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  let rows = 0;
  for (const line of markdown.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    // | ID | requirement | state | proof |  → ['', ID, requirement, state, proof, '']
    if (cells.length < 6 || !/^[A-Z]{2}-[A-Z0-9-]+$/.test(cells[1]!)) continue;
    rows += 1;
    const [, id, , state, proof] = cells as [string, string, string, string, string];
    const claims = /^(done|partial)\b/.test(state);
    const files = [...proof.matchAll(PATH)].map((m) => ({ file: m[1]!, at: m.index + m[0].length }));
    for (const { file, at } of files) {
      const full = path.join(root, file);
      if (!fs.existsSync(full)) {
        problems.push({ id, problem: `names ${file}, which does not exist` });
        continue;
      }
      // quoted test names right after the file: file "name" "other name"
      const text = fs.readFileSync(full, 'utf8');
      const after = proof.slice(at).split(/;|\bsrc\/|\be2e\/|\btest\//)[0]!;
      for (const q of after.matchAll(/"([^"]+)"/g)) {
        if (!text.includes(q[1]!)) problems.push({ id, problem: `names test "${q[1]}" in ${file}, which has no such text` });
      }
    }
    if (claims && !files.some((f) => TEST_FILE.test(f.file) && fs.existsSync(path.join(root, f.file))))
      problems.push({ id, problem: `is marked ${state.split(/[:\s]/)[0]} but names no existing test file` });
  }
  return { rows, problems };
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
  const file = process.argv[2] ?? path.join(root, 'docs', 'requirements.md');
  const { rows, problems } = checkRequirements(fs.readFileSync(file, 'utf8'), root);
  for (const p of problems) console.error(`  ${p.id} ${p.problem}`);
  console.error(`[requirements] ${rows} rows, ${problems.length} problem(s)`);
  process.exitCode = problems.length || rows === 0 ? 1 : 0;
}
