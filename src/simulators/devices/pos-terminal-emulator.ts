/**
 * A bank-card POS terminal (银行卡终端) on the far end of a pty cable, speaking the station's UnionPay-style
 * serial protocol (src/devices/parsers/pos-messages.ts describes it) — written here independently of the app's
 * codec: STX, 2-byte BCD length, payload, ETX, LRC (XOR of length through ETX); ACK each good frame, NAK a bad one.
 *
 * It keeps its own ledger (the acquirer's view): one row per REF it accepted, with the card charged, voided or
 * refunded. A sale under a REF it has seen is refused (94), so a resent sale can never charge twice; 查询 answers
 * what a REF did. Faults script the next requests: no answer at all, declined, an answer after the station gave
 * up, and the answer lost after the card was charged.
 */
import { PtyDevicePort } from './pty-device-port';
import { appendBounded } from '../bounded-log';

const STX = 0x02;
const ETX = 0x03;
const ACK = 0x06;
const NAK = 0x15;
const FS = '\x1c';

const TYPES = { '00': 'sale', '01': 'void', '02': 'refund', '03': 'query', '99': 'status' } as const;
type Kind = (typeof TYPES)[keyof typeof TYPES];

export interface PosLedgerEntry {
  ref: string;
  kind: 'sale' | 'void' | 'refund';
  amountFen: number;
  trace: string;
  rrn: string;
  cardMasked: string;
  /** a sale: charged, then voided or refunded (in full: 退货 may give back a part at a time) by later entries */
  state: 'charged' | 'voided' | 'refunded' | 'done';
  /** a sale: what 退货 gave back of it so far */
  refundedFen?: number;
  /** void / refund: the sale's REF */
  origRef?: string;
}

/** What the next request gets instead of the normal answer. */
export type PosFault =
  | { kind: 'silent' } // nothing at all: the request never reached the card (no ledger row)
  | { kind: 'declined'; code: string; message: string } // refused by the bank
  | { kind: 'answer-lost' } // charged, then the answer never came (the ledger has it)
  | { kind: 'late'; afterMs: number } // charged, answered only after afterMs
  | { kind: 'corrupt-lrc' }; // the answer with a wrong LRC (the station NAKs; the terminal sends it again)

export interface PosEmulatorOptions {
  /** the card patients present, masked as the terminal prints it */
  cardMasked?: string;
  /** the card's balance in fen (51 insufficient funds past it) */
  balanceFen?: number;
  /** delay before a sale is answered, as a patient takes to enter the PIN */
  saleDelayMs?: number;
  /** A fault for a request no injected fault is queued for (the chaos run's seeded faults); none: the normal answer. */
  faultFor?: (kind: 'sale' | 'void' | 'refund' | 'query') => PosFault | undefined;
}

export class PosTerminalEmulator {
  private readonly port: PtyDevicePort;
  private received: number[] = [];
  private readonly faults: PosFault[] = [];
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private trace = 0;
  private lastAnswer: Uint8Array | null = null;
  private balanceFen: number;
  private readonly cardMasked: string;
  private readonly saleDelayMs: number;
  private readonly faultFor: PosEmulatorOptions['faultFor'];
  /** the acquirer's ledger: every transaction the terminal did, by REF */
  readonly ledger = new Map<string, PosLedgerEntry>();
  /** every well-formed request, in order */
  readonly requests: { kind: Kind; ref: string; amountFen: number; origRef?: string }[] = [];
  /** NAKs and ACKs the station sent */
  readonly acks = { ack: 0, nak: 0 };

  constructor(devicePath: string, options: PosEmulatorOptions = {}) {
    this.cardMasked = options.cardMasked ?? '622588******1234';
    this.balanceFen = options.balanceFen ?? 10_000_000;
    this.saleDelayMs = options.saleDelayMs ?? 5;
    this.faultFor = options.faultFor;
    this.port = new PtyDevicePort(devicePath, { onData: (chunk) => this.receive(chunk) });
  }

  injectFault(fault: PosFault): void {
    this.faults.push(fault);
  }

  /** The money the card paid, less what went back: what the bank's statement would show for this terminal. */
  chargedFen(): number {
    let sum = 0;
    for (const e of this.ledger.values()) sum += keptFen(e);
    return sum;
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await this.port.close();
  }

  private receive(chunk: Buffer): void {
    this.received.push(...chunk);
    for (;;) {
      while (this.received.length > 0 && this.received[0] !== STX) {
        const b = this.received.shift()!;
        if (b === ACK) this.acks.ack += 1;
        if (b === NAK) {
          this.acks.nak += 1;
          if (this.lastAnswer) void this.port.write(this.lastAnswer).catch(() => undefined);
        }
      }
      if (this.received.length < 3) return;
      const bcd = (b: number) => (b >> 4) * 10 + (b & 0x0f);
      const length = bcd(this.received[1]!) * 100 + bcd(this.received[2]!);
      if (length < 1 || length > 1024) {
        this.received.shift();
        continue;
      }
      if (this.received.length < length + 5) return;
      const frame = this.received.slice(0, length + 5);
      const sum = frame.slice(1, length + 4).reduce((x, b) => x ^ b, 0);
      if (frame[length + 3] !== ETX || frame[length + 4] !== sum) {
        this.received.shift();
        void this.port.write(Uint8Array.of(NAK)).catch(() => undefined);
        continue;
      }
      this.received = this.received.slice(length + 5);
      void this.port.write(Uint8Array.of(ACK)).catch(() => undefined);
      this.handle(Buffer.from(frame.slice(3, length + 3)).toString('utf8'));
    }
  }

  private handle(payload: string): void {
    const [type, ref, amount, origRef] = payload.split(FS);
    const kind = TYPES[type as keyof typeof TYPES];
    if (!kind || !ref || !amount) return;
    const request = { kind, ref, amountFen: Number(amount), ...(origRef ? { origRef } : {}) };
    appendBounded(this.requests, request);
    const fault = kind === 'status' ? undefined : (this.faults.shift() ?? this.faultFor?.(kind));
    const delay = kind === 'sale' ? this.saleDelayMs : 1;
    this.later(delay, () => this.answer(request, fault));
  }

  private later(ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    this.timers.add(timer);
  }

  private answer(r: { kind: Kind; ref: string; amountFen: number; origRef?: string }, fault: PosFault | undefined): void {
    if (fault?.kind === 'silent') return;
    if (fault?.kind === 'declined') return this.send(r.kind, fault.code, r.ref, r.amountFen, null, fault.message);
    const [code, entry, message] = this.apply(r);
    if (fault?.kind === 'answer-lost') return;
    const send = () => this.send(r.kind, code, r.ref, r.amountFen, entry, message, fault?.kind === 'corrupt-lrc');
    if (fault?.kind === 'late') return this.later(fault.afterMs, send);
    send();
  }

  /** What the request does to the ledger: the answer code, the entry it concerns, the terminal's words. */
  private apply(r: { kind: Kind; ref: string; amountFen: number; origRef?: string }): [string, PosLedgerEntry | null, string] {
    const seen = this.ledger.get(r.ref);
    switch (r.kind) {
      case 'status':
        return ['00', null, 'SIM-POS100 v1.0'];
      case 'query':
        return seen ? ['00', seen, `交易状态：${seen.state}`] : ['25', null, '无此交易'];
      case 'sale': {
        if (seen) return ['94', seen, '重复交易'];
        if (r.amountFen > this.balanceFen) return ['51', null, '余额不足'];
        this.balanceFen -= r.amountFen;
        return ['00', this.book(r.ref, 'sale', r.amountFen, 'charged'), '交易成功'];
      }
      case 'void':
      case 'refund': {
        if (seen) return ['00', seen, '交易成功']; // the same void / refund again answers what it did
        const sale = r.origRef ? this.ledger.get(r.origRef) : undefined;
        if (!sale || sale.kind !== 'sale') return ['25', null, '原交易不存在'];
        if (sale.state !== 'charged') return ['12', null, '原交易已撤销或退货'];
        const left = sale.amountFen - (sale.refundedFen ?? 0);
        // 撤销 undoes the whole sale (none of it given back yet); 退货 gives back up to what the sale still holds.
        if (r.kind === 'void' ? r.amountFen !== sale.amountFen || left !== sale.amountFen : r.amountFen > left || r.amountFen <= 0)
          return ['13', null, '金额与原交易不符'];
        if (r.kind === 'void') sale.state = 'voided';
        else {
          sale.refundedFen = (sale.refundedFen ?? 0) + r.amountFen;
          if (sale.refundedFen === sale.amountFen) sale.state = 'refunded';
        }
        this.balanceFen += r.amountFen;
        return ['00', this.book(r.ref, r.kind, r.amountFen, 'done', sale.ref), '交易成功'];
      }
    }
  }

  private book(ref: string, kind: PosLedgerEntry['kind'], amountFen: number, state: PosLedgerEntry['state'], origRef?: string) {
    this.trace += 1;
    const trace = String(this.trace).padStart(6, '0');
    const entry: PosLedgerEntry = {
      ref,
      kind,
      amountFen,
      trace,
      rrn: `2612${trace}${String(this.trace % 100).padStart(2, '0')}`,
      cardMasked: this.cardMasked,
      state,
      ...(origRef ? { origRef } : {}),
    };
    this.ledger.set(ref, entry);
    return entry;
  }

  private send(kind: Kind, code: string, ref: string, amountFen: number, e: PosLedgerEntry | null, message: string, corrupt = false): void {
    const type = Object.entries(TYPES).find(([, k]) => k === kind)![0];
    const fields = [
      type,
      code,
      ref,
      String(e?.amountFen ?? amountFen).padStart(12, '0'),
      e?.trace ?? '',
      e?.rrn ?? '',
      e?.cardMasked ?? '',
      message,
    ];
    const payload = Buffer.from(fields.join(FS), 'utf8');
    const frame = new Uint8Array(payload.length + 5);
    frame[0] = STX;
    frame[1] = ((Math.floor(payload.length / 1000) % 10) << 4) | (Math.floor(payload.length / 100) % 10);
    frame[2] = ((Math.floor(payload.length / 10) % 10) << 4) | (payload.length % 10);
    frame.set(payload, 3);
    frame[frame.length - 2] = ETX;
    frame[frame.length - 1] = frame.subarray(1, frame.length - 1).reduce((x, b) => x ^ b, 0);
    this.lastAnswer = frame.slice();
    if (corrupt) frame[frame.length - 1] = frame.at(-1)! ^ 0x5a;
    void this.port.write(frame).catch(() => undefined); // an unplug mid-answer loses it, as for real
  }
}

/** What a ledger entry keeps charged on the card: a sale's amount less what was voided or given back of it. */
export function keptFen(e: PosLedgerEntry): number {
  if (e.kind !== 'sale' || e.state === 'voided') return 0;
  return e.amountFen - (e.refundedFen ?? 0);
}
