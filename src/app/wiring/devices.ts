/**
 * The station's devices: the manager over the configured ports, their frames kept for the admin's device
 * screen, their events on the station's bus, and the hub the core sees (errors in the station's codes).
 */
import { DeviceManager } from '../../devices/manager';
import { DeviceError } from '../../devices/errors';
import { createSerialPortTransport } from '../../devices/transports/serial-transport';
import type { ReconnectTiming } from '../../devices/drivers/qr-scanner';
import { StationError } from '../../shared/result';
import type { StationConfig } from '../../station/config';
import type { DeviceHub } from '../../station/ports';
import { DeviceLog } from '../../station/devices/device-log';
import type { EventBus } from '../../station/events';
import type { ScanRegistry } from '../../station/scans';
import type { Clock } from '../../station/clock';

/** How long a test read waits for the admin to present a code. */
const DEVICE_TEST_TIMEOUT_MS = 15_000;

export function startDevices(
  config: StationConfig,
  parts: { bus: EventBus; scans: ScanRegistry; clock: Clock; timing: Partial<ReconnectTiming> | undefined },
): { devices: DeviceManager; hub: DeviceHub } {
  const { bus, scans, clock } = parts;
  const devices = new DeviceManager({
    devices: config.devices,
    transports: { serial: createSerialPortTransport() },
    ...(parts.timing ? { timing: parts.timing } : {}),
  });
  const deviceLog = new DeviceLog(() => clock.now());
  devices.onStatus((status) => {
    deviceLog.status(status);
    bus.emit('deviceStatus', status);
  });
  devices.onWarning((warning) => {
    deviceLog.warning(warning.deviceId, warning.message);
    bus.emit('deviceWarning', warning);
  });
  // The raw code stays here; screens get an id and a kind (see ScanRegistry).
  devices.onScan((scan) => {
    deviceLog.scan(scan.deviceId, scan.code, scan.kind);
    bus.emit('scan', scans.hold(scan.deviceId, scan.code, scan.kind));
  });
  devices.onActivity((a) => deviceLog.command(a.deviceId, a.ok, a.summary));
  devices.start();

  const hub: DeviceHub = {
    list: () => devices.list(),
    isConnected: (role) => devices.list().some((d) => d.role === role && d.state === 'connected'),
    recentFrames: (deviceId, limit) => deviceLog.recent(deviceId, limit),
    testRead: (deviceId) => devices.testRead(deviceId, { timeoutMs: DEVICE_TEST_TIMEOUT_MS }),
    faceVerify: async (deviceId, outBizNo) => {
      try {
        return (await devices.faceVerify(deviceId, { outBizNo })).identity;
      } catch (e) {
        throw stationErrorOf(e);
      }
    },
    // Errors stay the device's own: a movement tells a refusal from an unknown outcome by them.
    cardTerminal: config.devices.some((d) => d.role === 'pos-terminal')
      ? {
          ready: () => devices.list().some((d) => d.role === 'pos-terminal' && d.state === 'connected'),
          sale: (ref, amountFen) => devices.posTerminal().sale(ref, amountFen),
          query: (ref) => devices.posTerminal().query(ref),
          void: (ref, origRef, amountFen) => devices.posTerminal().void(ref, origRef, amountFen),
          refund: (ref, origRef, amountFen) => devices.posTerminal().refund(ref, origRef, amountFen),
        }
      : null,
    readCard: async (deviceId) => {
      try {
        return (await devices.readCard(deviceId)).query;
      } catch (e) {
        throw stationErrorOf(e);
      }
    },
    readIdCard: async (deviceId) => {
      try {
        return { certNo: (await devices.readIdCard(deviceId)).card.idNo };
      } catch (e) {
        throw stationErrorOf(e);
      }
    },
  };
  return { devices, hub };
}

/** A device's own error, in the station's closed set of codes (the message is already the operator's Chinese). */
function stationErrorOf(e: unknown): Error {
  if (!(e instanceof DeviceError)) return e instanceof Error ? e : new Error(String(e));
  const code =
    e.code === 'offline' || e.code === 'timeout'
      ? 'DEVICE_OFFLINE'
      : e.code === 'busy'
        ? 'CONFLICT'
        : e.code === 'not-configured' || e.code === 'wrong-role'
          ? 'NOT_FOUND'
          : 'DEVICE_ERROR';
  return new StationError(code, e.message);
}
