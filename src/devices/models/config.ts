/**
 * One station's devices, as the admin configures them: which device plays which role, of which model, and
 * where it is — a serial port, a USB id, or a vendor library. Configurations written before HID and card
 * readers existed (`{id, role: 'qr-scanner', model, path, baudRate?}`) stay valid unchanged.
 */
import { z } from 'zod';
import { DEVICE_ROLES } from '../../shared/domain';
import { STANDARD_BAUD_RATES } from './common';
import { findDeviceModel } from './catalog';

const UsbMatchSchema = z
  .object({
    vendorId: z.number().int().min(0).max(0xffff),
    productId: z.number().int().min(0).max(0xffff),
    /** pins one device when two of the same model are plugged in */
    serialNumber: z.string().min(1).max(64).optional(),
  })
  .strict();
export type UsbMatch = z.infer<typeof UsbMatchSchema>;

export const DeviceConfigSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, '设备编号只能包含小写字母、数字、-和_'),
    role: z.enum(DEVICE_ROLES),
    model: z.string().min(1),
    /**
     * Serial devices: a tty (`/dev/ttyACM0`, a stable `/dev/serial/by-id/...` link, a pty link in tests) or a
     * Windows port name (`COM3`).
     */
    path: z.string().min(1).max(260).optional(),
    /** serial devices: overrides the model's baud rate when the device was reconfigured */
    baudRate: z
      .number()
      .int()
      .refine((rate) => (STANDARD_BAUD_RATES as readonly number[]).includes(rate), '不支持的波特率')
      .optional(),
    /** HID devices: ids other than the model's (a rebadged device), or a serial number to pick one of two */
    usb: UsbMatchSchema.optional(),
    /** card readers with a vendor library: its path, when not the model's default file name */
    library: z.string().min(1).max(260).optional(),
  })
  .strict()
  .superRefine((config, ctx) => {
    const model = findDeviceModel(config.model);
    if (!model) {
      ctx.addIssue({ code: 'custom', path: ['model'], message: `未知设备型号：${config.model}` });
      return;
    }
    if (model.role !== config.role) {
      ctx.addIssue({ code: 'custom', path: ['model'], message: `型号 ${model.id} 不是 ${config.role} 设备` });
    }
    const only = (field: 'path' | 'baudRate' | 'usb' | 'library', allowed: boolean, what: string) => {
      if (!allowed && config[field] !== undefined) {
        ctx.addIssue({ code: 'custom', path: [field], message: `型号 ${model.id} 不使用${what}` });
      }
    };
    const serial = model.transport === 'serial';
    const hid = model.transport === 'hid-pos' || model.transport === 'hid-keyboard';
    only('path', serial, '串口路径');
    only('baudRate', serial, '波特率设置');
    only('usb', hid, 'USB 设备号');
    only('library', model.transport === 'ffi', '读卡库');
    if (serial && config.path === undefined) {
      ctx.addIssue({ code: 'custom', path: ['path'], message: '串口设备需要配置串口路径' });
    }
    if (model.transport === 'ffi' && config.library === undefined && !model.defaultLibrary[process.platform]) {
      ctx.addIssue({ code: 'custom', path: ['library'], message: `型号 ${model.id} 在本平台没有默认读卡库，请配置读卡库路径` });
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
