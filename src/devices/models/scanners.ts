/**
 * QR scan boxes (扫码墩) and scan guns (扫码枪), by how they reach the station: a serial line (USB-CDC or
 * RS-232), HID POS reports (usage page 0x8C) or keyboard-wedge key reports (protocol-research.md §4.3).
 */
import type { HidPosReportLayout } from '../parsers/hid-pos-report';
import type { SerialLineSettings, UsbId } from './common';

/**
 * What a scanner appends to each code (its "suffix" setting), as set at the factory or by the support engineer.
 * The parser splits on CR and LF alike (DelimiterParser), so a box whose suffix was changed by a stray
 * configuration barcode keeps working; the field tells emulators and engineers what the device sends.
 */
export type LineTerminator = 'CR' | 'LF' | 'CRLF';

export interface SerialScannerModel extends SerialLineSettings {
  id: string;
  /** shown to operators and admins */
  label: string;
  role: 'qr-scanner';
  transport: 'serial';
  terminator: LineTerminator;
  /** longest code accepted; longer frames are dropped, never truncated */
  maxFrameBytes: number;
  /** inter-byte gap after which a partial code is discarded (see DelimiterParser) */
  idleMs: number;
}

export interface HidPosScannerModel {
  id: string;
  label: string;
  role: 'qr-scanner';
  transport: 'hid-pos';
  /** default USB ids; a station's configuration may name others (the same model rebadged) */
  usb: UsbId;
  /** the HID POS bar-code scanner page, to pick that interface of a composite device */
  usagePage: 0x8c;
  report: HidPosReportLayout;
  maxCodeBytes: number;
  /** gap after which a code spread over several reports is given up */
  idleMs: number;
}

export interface KeyboardWedgeScannerModel {
  id: string;
  label: string;
  role: 'qr-scanner';
  transport: 'hid-keyboard';
  usb: UsbId;
  /** Generic Desktop, to pick the keyboard interface of a composite device */
  usagePage: 0x01;
  /** the id byte in front of each keyboard report, for devices that number their reports */
  reportId?: number;
  /** a gap this long between two keys ends a burst (see KeyboardWedgeDecoder) */
  maxKeyGapMs: number;
  minCodeLength: number;
  maxCodeLength: number;
}

/**
 * Honeywell / Zebra-style HID POS scanned-data report, 64 bytes: report id 0x02, the count of code bytes, the
 * 3-byte AIM symbology identifier, up to 56 code bytes, and a "continued" flag in the last byte. Layout from
 * published HID POS integrations (WebHID barcode-scanner libraries, Honeywell HID POS captures).
 */
export const HONEYWELL_HID_POS_REPORT: HidPosReportLayout = {
  reportId: 0x02,
  lengthOffset: 1,
  dataOffset: 5,
  maxDataBytes: 56,
  continuedOffset: 63,
};

export const SCANNER_MODELS = {
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
  /**
   * Honeywell Voyager 1400g set to "HID POS" (the configuration barcode in its user guide): 0c2e:0b8f is the
   * id WebHID integrations filter on for that mode. Reports follow each other within a few ms; 200 ms
   * without the next report of a continued code means it is not coming.
   */
  'hidpos-honeywell-1400g': {
    id: 'hidpos-honeywell-1400g',
    label: '霍尼韦尔 1400g 扫码枪（HID POS）',
    role: 'qr-scanner',
    transport: 'hid-pos',
    usb: { vendorId: 0x0c2e, productId: 0x0b8f },
    usagePage: 0x8c,
    report: HONEYWELL_HID_POS_REPORT,
    maxCodeBytes: 1024,
    idleMs: 200,
  },
  /**
   * Newland NLS-FM430 scan box (新大陆扫码墩) in its default keyboard mode (1eab:1d06 in published device
   * tables). A scanner types a key every 2–20 ms (one USB poll for the press, one for the release); people
   * rarely type two keys within 60 ms, and never a whole code that way. 4 characters is the shortest code a
   * cashier window reads (a short hospital card number).
   */
  'wedge-newland-fm430': {
    id: 'wedge-newland-fm430',
    label: '新大陆 FM430 扫码墩（键盘模式）',
    role: 'qr-scanner',
    transport: 'hid-keyboard',
    usb: { vendorId: 0x1eab, productId: 0x1d06 },
    usagePage: 0x01,
    maxKeyGapMs: 60,
    minCodeLength: 4,
    maxCodeLength: 1024,
  },
} as const satisfies Record<string, SerialScannerModel | HidPosScannerModel | KeyboardWedgeScannerModel>;
