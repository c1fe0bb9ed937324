import { describe, expect, it } from 'vitest';
import type { DeviceState, DeviceStatusView } from '../../../shared/domain';
import { scannerReadiness } from './scanner-readiness';

const device = (id: string, role: DeviceStatusView['role'], state: DeviceState): DeviceStatusView => ({
  id,
  role,
  state,
  model: 'm',
  path: '/dev/x',
  detail: '',
  since: '2025-01-02T08:00:00.000Z',
});

describe('scannerReadiness', () => {
  it('is loading until the device list arrives', () => {
    expect(scannerReadiness(null)).toBe('loading');
  });

  it('is missing when no scan box is configured, whatever the other devices do', () => {
    expect(scannerReadiness([device('c', 'card-reader', 'connected')])).toBe('missing');
  });

  it('is ready when any scan box is connected', () => {
    expect(scannerReadiness([device('a', 'qr-scanner', 'error'), device('b', 'qr-scanner', 'connected')])).toBe('ready');
  });

  it('prefers connecting over offline, and is offline when every scan box is down', () => {
    expect(scannerReadiness([device('a', 'qr-scanner', 'disconnected'), device('b', 'qr-scanner', 'connecting')])).toBe('connecting');
    expect(scannerReadiness([device('a', 'qr-scanner', 'disconnected'), device('b', 'qr-scanner', 'error')])).toBe('offline');
  });
});
