import { describe, expect, it } from 'vitest';
import { createNodeHidTransport, findHidDevice, hidFingerprint, type HidDeviceInfo } from './hid-transport';

const device = (extra: Partial<HidDeviceInfo>): HidDeviceInfo => ({ path: '/dev/hidraw0', vendorId: 0x0c2e, productId: 0x0b8f, ...extra });

describe('findHidDevice', () => {
  const devices = [
    device({ path: '/dev/hidraw0', usagePage: 0x01, serialNumber: 'A' }),
    device({ path: '/dev/hidraw1', usagePage: 0x8c, serialNumber: 'A' }),
    device({ path: '/dev/hidraw2', usagePage: 0x8c, serialNumber: 'B' }),
    device({ path: '/dev/hidraw3', vendorId: 0x1eab, productId: 0x1d06 }),
  ];

  it('matches ids, then usage page and serial number when asked', () => {
    expect(findHidDevice(devices, { vendorId: 0x0c2e, productId: 0x0b8f })?.path).toBe('/dev/hidraw0');
    expect(findHidDevice(devices, { vendorId: 0x0c2e, productId: 0x0b8f, usagePage: 0x8c })?.path).toBe('/dev/hidraw1');
    expect(findHidDevice(devices, { vendorId: 0x0c2e, productId: 0x0b8f, usagePage: 0x8c, serialNumber: 'B' })?.path).toBe('/dev/hidraw2');
    expect(findHidDevice(devices, { vendorId: 0x0c2e, productId: 0x0b8f, serialNumber: 'C' })).toBeUndefined();
    expect(findHidDevice(devices, { vendorId: 0x1eab, productId: 0x1d07 })).toBeUndefined();
  });

  it('still matches a device whose back end reports no usage page', () => {
    expect(findHidDevice([device({ usagePage: undefined })], { vendorId: 0x0c2e, productId: 0x0b8f, usagePage: 0x8c })).toBeDefined();
  });

  it('fingerprints a replugged unit differently even at the same path', () => {
    expect(hidFingerprint(device({ serialNumber: 'A' }))).not.toBe(hidFingerprint(device({ serialNumber: 'B' })));
  });
});

describe('node-hid transport', () => {
  it('enumerates through node-hid (async) without opening anything', async () => {
    const devices = await createNodeHidTransport().list();
    expect(Array.isArray(devices)).toBe(true);
    for (const found of devices) expect(found).toEqual(expect.objectContaining({ path: expect.any(String), vendorId: expect.any(Number) }));
  });
});
