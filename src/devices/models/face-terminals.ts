/**
 * Face-recognition terminals (刷脸终端): they verify the patient against the national e-voucher and hand the
 * station an authorisation and token for 1101 (protocol-research.md §4.4); patients can also start at the
 * terminal (self-service, HX-T1).
 */
import type { SerialLineSettings } from './common';

export interface SerialFaceTerminalModel extends SerialLineSettings {
  id: string;
  label: string;
  role: 'face-terminal';
  transport: 'serial';
  /** longest JSON line accepted */
  maxFrameBytes: number;
  /** inter-byte gap after which a partial line is given up */
  idleMs: number;
  /** how long a patient may take at the camera before the station gives up */
  verifyTimeoutMs: number;
  pingTimeoutMs: number;
}

export const FACE_TERMINAL_MODELS = {
  /**
   * Terminals speaking the station's JSON-lines protocol over USB-CDC (docs/devices.md): one UTF-8 JSON object
   * per LF-terminated line. 60 s lets an elderly patient find the camera; the terminal gives up on its own too.
   */
  'face-jsonl-115200': {
    id: 'face-jsonl-115200',
    label: '医保刷脸终端（串口 JSON 协议）',
    role: 'face-terminal',
    transport: 'serial',
    baudRate: 115200,
    dataBits: 8,
    parity: 'none',
    stopBits: 1,
    maxFrameBytes: 8192,
    idleMs: 200,
    verifyTimeoutMs: 60_000,
    pingTimeoutMs: 2000,
  },
} as const satisfies Record<string, SerialFaceTerminalModel>;
