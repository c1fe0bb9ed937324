/**
 * Bank-card POS terminals (银行卡终端) on a serial line, speaking the station's UnionPay-style protocol
 * (parsers/pos-frame.ts, parsers/pos-messages.ts).
 */
import type { SerialLineSettings } from './common';

export interface SerialPosTerminalModel extends SerialLineSettings {
  id: string;
  label: string;
  role: 'pos-terminal';
  transport: 'serial';
  maxPayloadBytes: number;
  /** inter-byte gap after which a partial frame is given up */
  idleMs: number;
  /** a sale waits for the card and the PIN: past this the outcome is unknown and the station asks by 查询 */
  saleTimeoutMs: number;
  /** void, refund, query and status: the terminal answers from its own memory or the acquirer at once */
  commandTimeoutMs: number;
}

export const POS_TERMINAL_MODELS = {
  'pos-unionpay-9600': {
    id: 'pos-unionpay-9600',
    label: '银行卡 POS 终端（串口 银联式协议）',
    role: 'pos-terminal',
    transport: 'serial',
    baudRate: 9600,
    dataBits: 8,
    parity: 'none',
    stopBits: 1,
    maxPayloadBytes: 1024,
    idleMs: 500,
    saleTimeoutMs: 90_000,
    commandTimeoutMs: 15_000,
  },
} as const satisfies Record<string, SerialPosTerminalModel>;
