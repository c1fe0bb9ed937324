import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkRequirements } from '../scripts/check-requirements';

let root: string;
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

const table = (...rows: string[]) => ['| ID | requirement | state | proof |', '| --- | --- | --- | --- |', ...rows].join('\n');

describe('docs/requirements.md checker', () => {
  it('passes rows whose files and quoted test names exist, and planned rows without a test', () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'req-'));
    fs.mkdirSync(path.join(root, 'src'), { recursive: true });
    fs.writeFileSync(path.join(root, 'src/a.test.ts'), "it('settles once after a lost answer', () => {});");
    const md = table('| HX-01 | x | done: y | src/a.test.ts "settles once" |', '| HX-02 | x | planned (roadmap) | |');
    expect(checkRequirements(md, root)).toEqual({ rows: 2, problems: [] });
  });

  it('names a missing file, a missing test name and a done row without a test file', () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'req-'));
    fs.mkdirSync(path.join(root, 'src'), { recursive: true });
    fs.writeFileSync(path.join(root, 'src/a.test.ts'), "it('settles once', () => {});");
    fs.writeFileSync(path.join(root, 'src/b.ts'), 'export {};');
    const md = table(
      '| HX-01 | x | done: y | src/gone.test.ts |',
      '| HX-02 | x | done: y | src/a.test.ts "refunds twice" |',
      '| HX-03 | x | partial: y | src/b.ts |',
    );
    expect(checkRequirements(md, root).problems).toEqual([
      { id: 'HX-01', problem: 'names src/gone.test.ts, which does not exist' },
      { id: 'HX-01', problem: 'is marked done but names no existing test file' },
      { id: 'HX-02', problem: 'names test "refunds twice" in src/a.test.ts, which has no such text' },
      { id: 'HX-03', problem: 'is marked partial but names no existing test file' },
    ]);
  });
});
