/** Every model the station knows, by id. */
import { CARD_READER_MODELS, type FfiCardReaderModel, type SerialCardReaderModel } from './card-readers';
import { FACE_TERMINAL_MODELS, type SerialFaceTerminalModel } from './face-terminals';
import { POS_TERMINAL_MODELS, type SerialPosTerminalModel } from './pos-terminals';
import { SCANNER_MODELS, type HidPosScannerModel, type KeyboardWedgeScannerModel, type SerialScannerModel } from './scanners';

export type DeviceModel =
  | SerialScannerModel
  | HidPosScannerModel
  | KeyboardWedgeScannerModel
  | FfiCardReaderModel
  | SerialCardReaderModel
  | SerialFaceTerminalModel
  | SerialPosTerminalModel;

export const DEVICE_MODELS = {
  ...SCANNER_MODELS,
  ...CARD_READER_MODELS,
  ...FACE_TERMINAL_MODELS,
  ...POS_TERMINAL_MODELS,
} as const satisfies Record<string, DeviceModel>;

export type DeviceModelId = keyof typeof DEVICE_MODELS;
export const DEVICE_MODEL_IDS = Object.keys(DEVICE_MODELS) as DeviceModelId[];

export function findDeviceModel(id: string): DeviceModel | undefined {
  return Object.hasOwn(DEVICE_MODELS, id) ? DEVICE_MODELS[id as DeviceModelId] : undefined;
}
