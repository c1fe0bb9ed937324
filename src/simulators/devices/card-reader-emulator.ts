/**
 * A serial social-security card reader on the far end of a pty cable. It speaks the framed command protocol
 * of docs/devices.md — STX, 2-byte big-endian length, body, XOR of length and body, ETX; a request body is
 * command + data, an answer body is command + status + data — written here independently of the app's
 * parser. Tests script what it holds and how it fails; training mode leaves a training card in it.
 */
import { encodeGbk } from './gbk';
import { PtyDevicePort } from './pty-device-port';
import { formatCardBas, formatIdCard, type EmulatedCard, type EmulatedIdCard } from './training-cards';
import { appendBounded } from '../bounded-log';

const STX = 0x02;
const ETX = 0x03;
const MAX_BODY = 1024;

export const READER_COMMAND = { probe: 0x01, readCardBas: 0x10, readIdCard: 0x11 } as const;
export const READER_STATUS = { ok: 0x00, noCard: 0x01, cardError: 0x02, needsSecurityModule: 0x03, pinCancelled: 0x04 } as const;

/** What the next requests get, instead of the normal answer. */
export type ReaderFault =
  | { kind: 'status'; status: number } // answers with this status byte and no data
  | { kind: 'silent' } // no answer at all (a hung reader)
  | { kind: 'corrupt-checksum' } // the right answer with a wrong BCC
  | { kind: 'garbage'; bytes: Uint8Array } // these bytes instead of an answer
  | { kind: 'raw-answer'; text: Uint8Array } // an OK answer carrying these bytes as the card string
  | { kind: 'partial' }; // the first half of the answer, then nothing

export interface CardReaderEmulatorOptions {
  firmware?: string;
  /** how the card's text goes on the wire: GBK, as Chinese readers do, or UTF-8 */
  textEncoding?: 'gbk' | 'utf-8';
  /** delay before answering a read, as a reader takes to power and read the chip */
  readDelayMs?: number;
}

export class SerialCardReaderEmulator {
  private readonly port: PtyDevicePort;
  private readonly firmware: string;
  private readonly textEncoding: 'gbk' | 'utf-8';
  private readonly readDelayMs: number;
  private received: number[] = [];
  private card: EmulatedCard | null = null;
  private idCard: EmulatedIdCard | null = null;
  private readonly faults: ReaderFault[] = [];
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  /** every well-formed request, in order */
  readonly requests: { command: number; data: Uint8Array }[] = [];

  constructor(devicePath: string, options: CardReaderEmulatorOptions = {}) {
    this.firmware = options.firmware ?? 'SIM-SSR100 v1.0';
    this.textEncoding = options.textEncoding ?? 'gbk';
    this.readDelayMs = options.readDelayMs ?? 5;
    this.port = new PtyDevicePort(devicePath, { onData: (chunk) => this.receive(chunk) });
  }

  insert(card: EmulatedCard | null, idCard: EmulatedIdCard | null = null): void {
    this.card = card;
    this.idCard = idCard;
  }

  /** The next request is answered by `fault` (queue several for several requests). */
  injectFault(fault: ReaderFault): void {
    this.faults.push(fault);
  }

  /** Unsolicited bytes, e.g. power-up noise. */
  sendRaw(bytes: Uint8Array): Promise<void> {
    return this.port.write(bytes);
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await this.port.close();
  }

  private receive(chunk: Buffer): void {
    this.received.push(...chunk);
    for (;;) {
      const start = this.received.indexOf(STX);
      if (start < 0) return void (this.received = []);
      this.received = this.received.slice(start);
      if (this.received.length < 3) return;
      const length = (this.received[1]! << 8) | this.received[2]!;
      if (length < 1 || length > MAX_BODY) {
        this.received.shift();
        continue;
      }
      if (this.received.length < length + 5) return;
      const frame = this.received.slice(0, length + 5);
      const bcc = frame.slice(1, length + 3).reduce((x, b) => x ^ b, 0);
      if (frame[length + 3] !== bcc || frame[length + 4] !== ETX) {
        this.received.shift();
        continue;
      }
      this.received = this.received.slice(length + 5);
      const body = frame.slice(3, length + 3);
      this.handle(body[0]!, Uint8Array.from(body.slice(1)));
    }
  }

  private handle(command: number, data: Uint8Array): void {
    appendBounded(this.requests, { command, data });
    const fault = this.faults.shift();
    const delay = command === READER_COMMAND.probe ? 0 : this.readDelayMs;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.answer(command, fault).catch(() => undefined); // an unplug mid-answer loses it, as for real
    }, delay);
    this.timers.add(timer);
  }

  private async answer(command: number, fault: ReaderFault | undefined): Promise<void> {
    if (fault?.kind === 'silent') return;
    if (fault?.kind === 'garbage') return this.port.write(fault.bytes);
    if (fault?.kind === 'status') return this.port.write(frame(command, fault.status, new Uint8Array(0)));
    const [status, data] = fault?.kind === 'raw-answer' ? [READER_STATUS.ok, fault.text] : this.normalAnswer(command);
    const bytes = frame(command, status, data);
    if (fault?.kind === 'corrupt-checksum') bytes[bytes.length - 2] = bytes[bytes.length - 2]! ^ 0x5a;
    return this.port.write(fault?.kind === 'partial' ? bytes.subarray(0, Math.ceil(bytes.length / 2)) : bytes);
  }

  private normalAnswer(command: number): [number, Uint8Array] {
    switch (command) {
      case READER_COMMAND.probe:
        return [READER_STATUS.ok, Buffer.from(this.firmware, 'latin1')];
      case READER_COMMAND.readCardBas:
        return this.card ? [READER_STATUS.ok, this.encode(formatCardBas(this.card))] : [READER_STATUS.noCard, new Uint8Array(0)];
      case READER_COMMAND.readIdCard:
        return this.idCard ? [READER_STATUS.ok, this.encode(formatIdCard(this.idCard))] : [READER_STATUS.noCard, new Uint8Array(0)];
      default:
        return [READER_STATUS.cardError, new Uint8Array(0)];
    }
  }

  private encode(text: string): Uint8Array {
    return this.textEncoding === 'gbk' ? encodeGbk(text) : Buffer.from(text, 'utf8');
  }
}

function frame(command: number, status: number, data: Uint8Array): Uint8Array {
  const body = [command, status, ...data];
  const length = [body.length >> 8, body.length & 0xff];
  const bcc = [...length, ...body].reduce((x, b) => x ^ b, 0);
  return Uint8Array.from([STX, ...length, ...body, bcc, ETX]);
}
