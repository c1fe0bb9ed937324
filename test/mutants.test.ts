import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyMutant, MUTANTS } from '../scripts/mutants';

let dir: string | undefined;
afterEach(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('the mutation list follows the code', () => {
  it.each(MUTANTS.map((m) => [m.id, m] as const))('mutant %s still applies to this tree, and changes it', (_id, mutant) => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mutant-check-'));
    for (const e of mutant.edits) {
      fs.mkdirSync(path.dirname(path.join(dir, e.file)), { recursive: true });
      fs.copyFileSync(path.resolve(e.file), path.join(dir, e.file));
    }
    applyMutant(dir, mutant);
    for (const e of mutant.edits) expect(fs.readFileSync(path.join(dir, e.file), 'utf8')).toContain(e.replace);
  });

  it('refuses an edit whose text is gone', () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mutant-check-'));
    fs.mkdirSync(path.join(dir, 'src'));
    fs.writeFileSync(path.join(dir, 'src/x.ts'), 'const a = 1;\n');
    expect(() => applyMutant(dir!, { id: 'z', what: 'nothing', edits: [{ file: 'src/x.ts', find: 'const b', replace: 'x' }] })).toThrow(
      /0 times/,
    );
  });
});
