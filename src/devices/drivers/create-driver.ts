/**
 * One driver per configured device, chosen by the model's role and transport. The configuration schema has
 * already checked that the model exists, fits the role, and that the device names where it is.
 */
import {
  findDeviceModel,
  type DeviceConfig,
  type SerialCardReaderModel,
  type SerialFaceTerminalModel,
  type SerialPosTerminalModel,
  type SerialScannerModel,
} from '../models';
import type { CardLibraryLoader } from '../transports/card-library';
import type { HidTransport } from '../transports/hid-transport';
import type { SerialTransport } from '../transports/serial-transport';
import { FfiCardReader } from './card-reader-ffi';
import { SerialCardReader } from './card-reader-serial';
import type { CardReaderDriver, FaceTerminalDriver, ScannerDriver } from './device-driver';
import { SerialFaceTerminal } from './face-terminal';
import { HidQrScanner } from './hid-scanner';
import { SerialPosTerminal } from './pos-terminal';
import { SerialQrScanner } from './qr-scanner';
import type { ReconnectTiming } from './reconnecting-link';

export type RoleDriver =
  | { role: 'qr-scanner'; driver: ScannerDriver }
  | { role: 'card-reader'; driver: CardReaderDriver }
  | { role: 'face-terminal'; driver: FaceTerminalDriver }
  | { role: 'pos-terminal'; driver: SerialPosTerminal };

export interface DriverContext {
  serial: SerialTransport;
  /** created on first use: a station without such devices never loads node-hid or koffi */
  hid: () => HidTransport;
  cardLibraries: () => CardLibraryLoader;
  timing?: Partial<ReconnectTiming>;
  monotonicNow?: () => number;
  wallNow?: () => number;
  platform?: NodeJS.Platform;
}

export function createDriver(config: DeviceConfig, context: DriverContext): RoleDriver {
  const model = findDeviceModel(config.model);
  if (!model) throw new Error(`unknown device model ${config.model}`);
  const { timing, monotonicNow, wallNow, platform } = context;
  switch (model.transport) {
    case 'serial':
      return serialDriver(model, config, context);
    case 'hid-pos':
    case 'hid-keyboard':
      return {
        role: 'qr-scanner',
        driver: new HidQrScanner({
          id: config.id,
          model,
          usb: config.usb,
          transport: context.hid(),
          timing,
          monotonicNow,
          wallNow,
          platform,
        }),
      };
    case 'ffi':
      return {
        role: 'card-reader',
        driver: new FfiCardReader({ id: config.id, model, library: config.library, loader: context.cardLibraries(), wallNow, platform }),
      };
  }
}

function serialDriver(
  model: SerialScannerModel | SerialCardReaderModel | SerialFaceTerminalModel | SerialPosTerminalModel,
  config: DeviceConfig,
  context: DriverContext,
): RoleDriver {
  if (config.path === undefined) throw new Error(`device ${config.id} has no serial path`);
  const options = {
    id: config.id,
    path: config.path,
    baudRate: config.baudRate,
    transport: context.serial,
    timing: context.timing,
    monotonicNow: context.monotonicNow,
    wallNow: context.wallNow,
  };
  switch (model.role) {
    case 'qr-scanner':
      return { role: 'qr-scanner', driver: new SerialQrScanner({ ...options, model }) };
    case 'card-reader':
      return { role: 'card-reader', driver: new SerialCardReader({ ...options, model }) };
    case 'face-terminal':
      return { role: 'face-terminal', driver: new SerialFaceTerminal({ ...options, model }) };
    case 'pos-terminal':
      return { role: 'pos-terminal', driver: new SerialPosTerminal({ ...options, model }) };
  }
}
