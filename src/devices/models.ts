/**
 * Device models as data (Odoo IoT keeps scale protocols as data the same way): what a model speaks, so a
 * station's configuration only names the model and the port. HID-POS, keyboard-wedge and FFI models will join
 * `DeviceModel` as further variants of the `transport` discriminant.
 */
import { z } from 'zod';

/**
 * What a scanner appends to each code (its "suffix" setting), as set at the factory or by the support engineer.
 * The parser splits on CR and LF alike (DelimiterParser), so a box whose suffix was changed by a stray
 * configuration barcode keeps working; the field tells emulators and engineers what the device sends.
 */
export type LineTerminator = 'CR' | 'LF' | 'CRLF';

export interface SerialScannerModel {
  id: string;
  /** shown to operators and admins */
  label: string;
  role: 'qr-scanner';
  transport: 'serial';
  baudRate: number;
  dataBits: 5 | 6 | 7 | 8;
  parity: 'none' | 'even' | 'odd';
  stopBits: 1 | 2;
  terminator: LineTerminator;
  /** longest code accepted; longer frames are dropped, never truncated */
  maxFrameBytes: number;
  /** inter-byte gap after which a partial code is discarded (see DelimiterParser) */
  idleMs: number;
}

export type DeviceModel = SerialScannerModel;

export const DEVICE_MODELS = {
  /**
   * Factory default of most USB-CDC scan boxes (扫码墩) switched to "USB virtual COM" mode, and of RS-232
   * scanners: 9600 8N1, CR suffix (protocol-research §4.3). 9600 baud is ~1 ms per byte, so a 1 KiB code
   * takes ~1 s on the wire but the gap between two bytes stays ~1 ms: idleMs bounds the gap, not the frame.
   * 1024 bytes holds every code we read (payment codes 16–24, e-voucher QR well under 512) with headroom,
   * while a device stuck sending noise cannot grow a frame without bound.
   */
  'cdc-9600-cr': {
    id: 'cdc-9600-cr',
    label: '通用扫码墩（USB虚拟串口，9600，CR结尾）',
    role: 'qr-scanner',
    transport: 'serial',
    baudRate: 9600,
    dataBits: 8,
    parity: 'none',
    stopBits: 1,
    terminator: 'CR',
    maxFrameBytes: 1024,
    idleMs: 200,
  },
  /**
   * Industrial fixed-mount scanners (e.g. Honeywell HF800 in serial mode) default to 115200 8N1 and are often
   * set to a CR LF suffix. At ~0.09 ms per byte a shorter idle gap is enough.
   */
  'serial-115200-crlf': {
    id: 'serial-115200-crlf',
    label: '工业扫码器（串口，115200，CR LF结尾）',
    role: 'qr-scanner',
    transport: 'serial',
    baudRate: 115200,
    dataBits: 8,
    parity: 'none',
    stopBits: 1,
    terminator: 'CRLF',
    maxFrameBytes: 1024,
    idleMs: 100,
  },
} as const satisfies Record<string, DeviceModel>;

export type DeviceModelId = keyof typeof DEVICE_MODELS;
export const DEVICE_MODEL_IDS = Object.keys(DEVICE_MODELS) as DeviceModelId[];

export function findDeviceModel(id: string): DeviceModel | undefined {
  return Object.hasOwn(DEVICE_MODELS, id) ? DEVICE_MODELS[id as DeviceModelId] : undefined;
}

export const STANDARD_BAUD_RATES = [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200] as const;

/**
 * One device of a station, as the admin configures it. `path` is a tty (`/dev/ttyACM0`, a stable
 * `/dev/serial/by-id/...` link, a pty link in tests) or a Windows port name (`COM3`).
 */
export const DeviceConfigSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, '设备编号只能包含小写字母、数字、-和_'),
    role: z.literal('qr-scanner'),
    model: z.string().min(1),
    path: z.string().min(1).max(260),
    /** overrides the model's baud rate when the device was reconfigured */
    baudRate: z
      .number()
      .int()
      .refine((rate) => (STANDARD_BAUD_RATES as readonly number[]).includes(rate), '不支持的波特率')
      .optional(),
  })
  .strict()
  .superRefine((config, ctx) => {
    const model = findDeviceModel(config.model);
    if (!model) {
      ctx.addIssue({ code: 'custom', path: ['model'], message: `未知设备型号：${config.model}` });
    } else if (model.role !== config.role) {
      ctx.addIssue({ code: 'custom', path: ['model'], message: `型号 ${model.id} 不是 ${config.role} 设备` });
    }
  });
export type DeviceConfig = z.infer<typeof DeviceConfigSchema>;

export const DeviceConfigListSchema = z.array(DeviceConfigSchema).superRefine((configs, ctx) => {
  const seen = new Set<string>();
  configs.forEach((config, index) => {
    if (seen.has(config.id)) ctx.addIssue({ code: 'custom', path: [index, 'id'], message: `设备编号重复：${config.id}` });
    seen.add(config.id);
  });
});
