import type { DeviceStatusView } from '../../../shared/domain';

/** loading: no device list yet; missing: no scan box configured on this station. */
export type ScannerReadiness = 'loading' | 'ready' | 'connecting' | 'offline' | 'missing';

/** A station may have more than one scan box; one that works is enough. */
export function scannerReadiness(devices: DeviceStatusView[] | null): ScannerReadiness {
  if (devices === null) return 'loading';
  const scanners = devices.filter((device) => device.role === 'qr-scanner');
  if (scanners.length === 0) return 'missing';
  if (scanners.some((device) => device.state === 'connected')) return 'ready';
  if (scanners.some((device) => device.state === 'connecting')) return 'connecting';
  return 'offline';
}
