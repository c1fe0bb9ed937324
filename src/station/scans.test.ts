import { describe, expect, it } from 'vitest';
import { ScanRegistry } from './scans';

describe('ScanRegistry keeps what it holds bounded (issue 17)', () => {
  it('a scan is taken once; an expired one is gone without being taken', () => {
    let t = 0;
    const scans = new ScanRegistry(1_000, () => t);
    const a = scans.hold('scanbox-1', '134567890123456789', 'wechat-pay');
    expect(scans.take(a.scanId)).toEqual({ code: '134567890123456789', kind: 'wechat-pay', deviceId: 'scanbox-1' });
    expect(scans.take(a.scanId)).toBeUndefined();
    scans.hold('scanbox-1', 'HC12345678', 'hospital-card');
    t = 1_000;
    const b = scans.hold('scanbox-1', 'HC12345679', 'hospital-card');
    expect(scans.size).toBe(1); // the first expired and was swept, untaken
    expect(scans.take(b.scanId)?.code).toBe('HC12345679');
  });

  it('scans never taken within the expiry: at most the cap, the oldest dropped first', () => {
    const scans = new ScanRegistry(120_000, () => 0, 50);
    const held = Array.from({ length: 500 }, (_, i) => scans.hold('scanbox-1', `HC${String(10_000_000 + i)}`, 'hospital-card'));
    expect(scans.size).toBe(50);
    expect(scans.take(held[449]!.scanId)).toBeUndefined();
    expect(scans.take(held[450]!.scanId)?.code).toBe('HC10000450');
    expect(scans.take(held[499]!.scanId)?.code).toBe('HC10000499');
  });
});
