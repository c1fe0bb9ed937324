import { describe, expect, it } from 'vitest';
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
