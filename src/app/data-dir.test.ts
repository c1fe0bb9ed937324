import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveStart } from './core-entry';
import { DATA_DIR_ENV, liveDataDir, machineDataDir, trainingDataDirOf } from './data-dir';

describe('the data dir a station uses', () => {
  it('defaults to one machine-wide folder per platform, never a user profile', () => {
    expect(machineDataDir('win32', {})).toBe('C:\\ProgramData\\yibao-station');
    expect(machineDataDir('win32', { ProgramData: 'D:\\ProgramData' })).toBe('D:\\ProgramData\\yibao-station');
    expect(machineDataDir('linux', { HOME: '/home/cashier' })).toBe('/var/lib/yibao-station');
  });

  it('takes --data-dir over the environment variable over the default', () => {
    expect(liveDataDir({ platform: 'linux', env: {} })).toBe('/var/lib/yibao-station');
    expect(liveDataDir({ platform: 'linux', env: { [DATA_DIR_ENV]: '/srv/station' } })).toBe('/srv/station');
    expect(liveDataDir({ platform: 'linux', env: { [DATA_DIR_ENV]: '/srv/station' }, flag: '/data/s1' })).toBe('/data/s1');
    expect(liveDataDir({ platform: 'win32', env: { [DATA_DIR_ENV]: 'E:\\station' } })).toBe('E:\\station');
  });

  it('keeps training in its own folder below the live one', () => {
    expect(trainingDataDirOf('/var/lib/yibao-station', 'linux')).toBe('/var/lib/yibao-station/training');
    expect(trainingDataDirOf('C:\\ProgramData\\yibao-station', 'win32')).toBe('C:\\ProgramData\\yibao-station\\training');
  });
});

describe('where a core entry starts', () => {
  it('trains an unconfigured data dir in its training subfolder, and runs a configured one live in place', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'station-root-'));
    try {
      expect(resolveStart(root, 'unless-configured')).toEqual({ training: true, dataDir: path.join(root, 'training') });
      expect(resolveStart(root, true)).toEqual({ training: true, dataDir: root });
      fs.writeFileSync(path.join(root, 'station.config.json'), '{}');
      expect(resolveStart(root, 'unless-configured')).toEqual({ training: false, dataDir: root });
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
