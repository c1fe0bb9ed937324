/**
 * Social-security card readers (社保卡读卡器): through the vendor's library (FFI, the unified card-reading
 * ABI of protocol-research.md §4.1/§4.2), or through a serial command protocol (framed request/answer).
 */
import type { DeviceErrorCode } from '../errors';
import type { ReaderTextEncoding } from '../parsers/card-info';
import type { LengthPrefixedFrameSpec } from '../parsers/length-prefixed-parser';
import type { SerialLineSettings } from './common';

/**
 * Which entry points the library exports:
 * - `unified`: `long ReadCardBas(char* out, long len)` and `long ReadSFZ(char* out, long len)`
 * - `mohrss`: the MOHRSS SSCardDriver `int iReadCardBas(int iType, char* out)` (no length: the caller's
 *   buffer must be big enough; no ID-card entry point in this ABI)
 */
export type CardReaderAbi = 'unified' | 'mohrss';

export interface FfiCardReaderModel {
  id: string;
  label: string;
  role: 'card-reader';
  transport: 'ffi';
  abi: CardReaderAbi;
  /** the library's file name per platform, used when the configuration names no path */
  defaultLibrary: Partial<Record<NodeJS.Platform, string>>;
  /** output buffer handed to the library */
  outBufferBytes: number;
  textEncoding: ReaderTextEncoding;
  /** longest a read may take, the patient's PIN entry on the reader's pad included */
  readTimeoutMs: number;
  /** return codes with a meaning of their own; any other non-zero code is a device error */
  errorCodes: Readonly<Record<number, DeviceErrorCode>>;
}

export interface SerialCardReaderModel extends SerialLineSettings {
  id: string;
  label: string;
  role: 'card-reader';
  transport: 'serial';
  frame: LengthPrefixedFrameSpec;
  /** inter-byte gap after which a partial answer is given up */
  idleMs: number;
  /** request command bytes; the answer echoes the command, then a status byte, then data */
  commands: { probe: number; readCardBas: number; readIdCard: number };
  /** answer status byte → outcome; unknown bytes are device errors */
  statusCodes: Readonly<Record<number, DeviceErrorCode | 'ok'>>;
  textEncoding: ReaderTextEncoding;
  probeTimeoutMs: number;
  readTimeoutMs: number;
}

/** Return codes of the unified ABI that Chinese reader libraries share (§4.2; -2201 from the MOHRSS driver). */
const UNIFIED_ERROR_CODES: Readonly<Record<number, DeviceErrorCode>> = {
  [-1]: 'no-card',
  [-11]: 'offline', // reader not found / port cannot be opened
  [-2201]: 'needs-security-module',
};

export const CARD_READER_MODELS = {
  /**
   * Any reader whose vendor library exports the unified ABI (德卡, 华大, 明华 …). Vendor libraries write GBK.
   * 15 s covers a card that needs a PIN typed on the reader; a library that takes longer is treated as hung.
   */
  'sscard-unified': {
    id: 'sscard-unified',
    label: '社保卡读卡器（统一读卡接口库）',
    role: 'card-reader',
    transport: 'ffi',
    abi: 'unified',
    defaultLibrary: { win32: 'SSCard.dll', linux: 'libsscard.so', darwin: 'libsscard.dylib' },
    outBufferBytes: 2048,
    textEncoding: 'gbk',
    readTimeoutMs: 15_000,
    errorCodes: UNIFIED_ERROR_CODES,
  },
  /** MOHRSS SSCardDriver.dll, contact card first then contactless (iType 3). */
  'sscard-mohrss': {
    id: 'sscard-mohrss',
    label: '社保卡读卡器（人社部 SSCardDriver）',
    role: 'card-reader',
    transport: 'ffi',
    abi: 'mohrss',
    defaultLibrary: { win32: 'SSCardDriver.dll', linux: 'libSSCardDriver.so' },
    outBufferBytes: 4096,
    textEncoding: 'gbk',
    readTimeoutMs: 15_000,
    errorCodes: UNIFIED_ERROR_CODES,
  },
  /**
   * Readers driven over a serial line (USB-CDC) with framed commands: STX, 2-byte length, body, BCC, ETX
   * (docs/devices.md). The answer to a read carries the same `|`-separated string the libraries write.
   */
  'serial-sscard-115200': {
    id: 'serial-sscard-115200',
    label: '社保卡读卡器（串口指令，115200）',
    role: 'card-reader',
    transport: 'serial',
    baudRate: 115200,
    dataBits: 8,
    parity: 'none',
    stopBits: 1,
    frame: { start: 0x02, end: 0x03, lengthBytes: 2, checksum: 'xor', maxBodyBytes: 1024 },
    idleMs: 200,
    commands: { probe: 0x01, readCardBas: 0x10, readIdCard: 0x11 },
    statusCodes: {
      0x00: 'ok',
      0x01: 'no-card',
      0x02: 'card-unreadable',
      0x03: 'needs-security-module',
      0x04: 'refused', // the patient cancelled PIN entry
    },
    textEncoding: 'gbk',
    probeTimeoutMs: 1000,
    readTimeoutMs: 15_000,
  },
} as const satisfies Record<string, FfiCardReaderModel | SerialCardReaderModel>;
