import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMainArgs } from './args';

describe('parseMainArgs', () => {
  const cwd = '/home/cashier';

  it('reads our flags among Electron and Chromium ones', () => {
    expect(parseMainArgs(['dist/main/main.cjs', '--no-sandbox', '--training', '--data-dir', '/tmp/st1'], cwd)).toEqual({
      dataDir: '/tmp/st1',
      training: true,
    });
    expect(parseMainArgs(['--data-dir=data', '--inspect=0'], cwd)).toEqual({ dataDir: path.resolve(cwd, 'data'), training: false });
  });

  it('defaults to no data dir and no explicit training', () => {
    expect(parseMainArgs([], cwd)).toEqual({ dataDir: null, training: false });
  });

  it('refuses a --data-dir without a value', () => {
    expect(() => parseMainArgs(['--data-dir'], cwd)).toThrow(/--data-dir/);
    expect(() => parseMainArgs(['--data-dir', '--training'], cwd)).toThrow(/--data-dir/);
    expect(() => parseMainArgs(['--data-dir='], cwd)).toThrow(/--data-dir/);
  });
});
