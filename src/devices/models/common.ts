/** Pieces the device models share. */

export interface SerialLineSettings {
  baudRate: number;
  dataBits: 5 | 6 | 7 | 8;
  parity: 'none' | 'even' | 'odd';
  stopBits: 1 | 2;
}

/** A USB device as it enumerates: the ids printed by `lsusb` / shown in the Windows device manager. */
export interface UsbId {
  vendorId: number;
  productId: number;
}

export const STANDARD_BAUD_RATES = [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200] as const;

export function formatUsbId({ vendorId, productId }: UsbId): string {
  const hex = (n: number) => n.toString(16).padStart(4, '0');
  return `USB ${hex(vendorId)}:${hex(productId)}`;
}
