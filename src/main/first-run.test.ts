import { describe, expect, it } from 'vitest';
import { STATION_CONFIG_FILE } from '../station/config';
import { CONFIG_FILE, firstRunText, startChoice } from './first-run';

describe('how the shell starts on a data dir', () => {
  it('a packaged app on an unconfigured PC asks IT instead of training by itself', () => {
    expect(startChoice({ trainingFlag: false, configured: false, packaged: true })).toBe('ask');
  });

  it('a configured data dir runs live; --training trains; an unpackaged run leaves it to the core', () => {
    expect(startChoice({ trainingFlag: false, configured: true, packaged: true })).toBe('live');
    expect(startChoice({ trainingFlag: true, configured: true, packaged: true })).toBe('training');
    expect(startChoice({ trainingFlag: false, configured: false, packaged: false })).toBe('core-decides');
  });

  it('names the folder to configure and the separate training folder, with training as an explicit choice', () => {
    const text = firstRunText('C:\\ProgramData\\yibao-station', 'C:\\ProgramData\\yibao-station\\training');
    expect(text.detail).toContain('C:\\ProgramData\\yibao-station\n');
    expect(text.detail).toContain('C:\\ProgramData\\yibao-station\\training');
    expect(text.detail).toContain('station.config.json');
    expect(text.buttons).toEqual(['进入培训模式', '退出']);
    expect(CONFIG_FILE).toBe(STATION_CONFIG_FILE);
  });
});
