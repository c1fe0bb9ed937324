/**
 * The gateway's own books, in memory (saved to a file after each change where the simulator is given one): bills keyed by busNo, a number sequence per busType, 6-digit check codes,
 * red bills linked to their originals (negative amount), each bill's state / isScarlet / reimbursed, and the day
 * totals per placeCode. A repeated busNo answers the bill already issued (when the total is the same; e-invoice.md
 * §8.7 leaves the real platform's choice open) — so a lost answer never makes two bills.
 */
import { beijing } from '../nhsa/clock';
import type { Random } from '../nhsa/random';
import { sumsRefusal, yuanFen, type IssueRequest, type Refusal, type WriteOffRequest } from './requests';

export interface SimRedBill {
  billBatchCode: string;
  billNo: string;
  random: string;
  /** Negative: the red bill cancels the original's amount. */
  totalFen: number;
  placeCode: string;
  /** yyyyMMdd of the write-off's busDateTime. */
  busDay: string;
  createTime: string;
  reason: string;
}

export interface SimBill {
  busNo: string;
  busType: string;
  placeCode: string;
  busDay: string;
  billBatchCode: string;
  billNo: string;
  random: string;
  totalFen: number;
  createTime: string;
  /** 1 normal, 2 void. */
  state: '1' | '2';
  isScarlet: boolean;
  reimbursed: boolean;
  red?: SimRedBill;
}

/** One billing point's day, as checkTotalData answers it. */
export interface SimBook {
  placeCode: string;
  day: string;
  issuedCount: number;
  issuedFen: number;
  redCount: number;
  /** The red bills' amounts: negative. */
  redFen: number;
}

export type Done = { ok: true; message: Record<string, unknown> } | ({ ok: false } & Refusal);

const yuan = (amount: number) =>
  `${amount < 0 ? '-' : ''}${Math.trunc(Math.abs(amount) / 100)}.${String(Math.abs(amount) % 100).padStart(2, '0')}`;

export class EBillLedger {
  private readonly byBusNo = new Map<string, SimBill>();
  private readonly sequences = new Map<string, number>();

  constructor(
    private readonly random: Random,
    private readonly now: () => Date,
    private readonly pageBase: string,
  ) {}

  /** Everything the books hold, for a file that outlives the process (a training station restarted). */
  state(): { bills: SimBill[]; sequences: [string, number][] } {
    return { bills: this.bills(), sequences: [...this.sequences] };
  }

  /** Books saved by `state()`; called on an empty ledger. */
  load(saved: { bills: SimBill[]; sequences: [string, number][] }): void {
    for (const b of saved.bills) this.byBusNo.set(b.busNo, b);
    for (const [type, n] of saved.sequences) this.sequences.set(type, n);
  }

  bills(): SimBill[] {
    return [...this.byBusNo.values()].map((b) => ({ ...b, ...(b.red ? { red: { ...b.red } } : {}) }));
  }

  books(): SimBook[] {
    const books = new Map<string, SimBook>();
    const book = (placeCode: string, day: string) => {
      const key = `${placeCode}|${day}`;
      const found = books.get(key) ?? { placeCode, day, issuedCount: 0, issuedFen: 0, redCount: 0, redFen: 0 };
      books.set(key, found);
      return found;
    };
    for (const b of this.byBusNo.values()) {
      const issued = book(b.placeCode, b.busDay);
      issued.issuedCount += 1;
      issued.issuedFen += b.totalFen;
      if (b.red) {
        const red = book(b.red.placeCode, b.red.busDay);
        red.redCount += 1;
        red.redFen += b.red.totalFen;
      }
    }
    return [...books.values()].sort((a, b) => `${a.placeCode}|${a.day}`.localeCompare(`${b.placeCode}|${b.day}`));
  }

  /** False when no such bill. */
  setReimbursed(billBatchCode: string, billNo: string): boolean {
    const bill = this.find(billBatchCode, billNo);
    if (bill) bill.reimbursed = true;
    return bill !== undefined;
  }

  issue(r: IssueRequest, service: 'invoiceEBillOutpatient' | 'invEBillHospitalized'): Done {
    if ((service === 'invEBillHospitalized') !== (r.busType === '01'))
      return { ok: false, result: 'E1003', text: '业务类型与开票接口不符' };
    const sums = sumsRefusal(r);
    if (sums) return { ok: false, ...sums };
    const existing = this.byBusNo.get(r.busNo);
    if (existing) {
      if (existing.totalFen !== yuanFen(r.totalAmt)) return { ok: false, result: 'E1004', text: '业务流水号已开票，且开票金额不一致' };
      return { ok: true, message: this.billMessage(existing) };
    }
    const { billBatchCode, billNo } = this.nextNumber(r.busType);
    const bill: SimBill = {
      busNo: r.busNo,
      busType: r.busType,
      placeCode: r.placeCode,
      busDay: r.busDateTime.slice(0, 8),
      billBatchCode,
      billNo,
      random: this.checkCode(),
      totalFen: yuanFen(r.totalAmt),
      createTime: beijing(this.now()).milli,
      state: '1',
      isScarlet: false,
      reimbursed: false,
    };
    this.byBusNo.set(r.busNo, bill);
    return { ok: true, message: this.billMessage(bill) };
  }

  lookUp(busNo: string): Done {
    const bill = this.byBusNo.get(busNo);
    if (!bill) return { ok: false, result: 'E2001', text: '未查询到业务流水号对应的电子票据' };
    return { ok: true, message: this.billMessage(bill) };
  }

  writeOff(r: WriteOffRequest): Done {
    const bill = this.find(r.billBatchCode, r.billNo);
    if (!bill) return { ok: false, result: 'E2002', text: '票据信息不存在' };
    if (bill.isScarlet) return { ok: false, result: 'E3001', text: '已冲销，不能冲销开票' };
    if (bill.reimbursed) return { ok: false, result: 'E3002', text: '票据已报销入账，不能冲红' };
    const { billBatchCode, billNo } = this.nextNumber(bill.busType);
    const red: SimRedBill = {
      billBatchCode,
      billNo,
      random: this.checkCode(),
      totalFen: -bill.totalFen,
      placeCode: r.placeCode,
      busDay: r.busDateTime.slice(0, 8),
      createTime: beijing(this.now()).milli,
      reason: r.reason,
    };
    bill.red = red;
    bill.isScarlet = true;
    return {
      ok: true,
      message: {
        eScarletBillBatchCode: red.billBatchCode,
        eScarletBillNo: red.billNo,
        eScarletRandom: red.random,
        createTime: red.createTime,
        billQRCode: '',
        pictureUrl: this.page(red.billBatchCode, red.billNo, red.random),
        pictureNetUrl: this.page(red.billBatchCode, red.billNo, red.random),
      },
    };
  }

  states(billBatchCode: string, billNo: string): Done {
    const bill = this.find(billBatchCode, billNo);
    if (!bill) return { ok: false, result: 'E2002', text: '票据信息不存在' };
    const message = {
      billBatchCode,
      billNo,
      state: bill.state,
      isScarlet: bill.isScarlet ? '1' : '0',
      isReimbursed: bill.reimbursed ? '1' : '0',
    };
    return { ok: true, message };
  }

  totals(placeCode: string, busDate: string): Done {
    const book = this.books().find((b) => b.placeCode === placeCode && b.day === busDate);
    return {
      ok: true,
      message: {
        placeCode,
        busDate,
        billNum: book?.issuedCount ?? 0,
        billAmt: yuan(book?.issuedFen ?? 0),
        writeOffNum: book?.redCount ?? 0,
        writeOffAmt: yuan(book?.redFen ?? 0),
      },
    };
  }

  private find(billBatchCode: string, billNo: string): SimBill | undefined {
    return [...this.byBusNo.values()].find((b) => b.billBatchCode === billBatchCode && b.billNo === billNo);
  }

  /** The batch code names the region and the bill type; numbers run per type, red bills included. */
  private nextNumber(busType: string): { billBatchCode: string; billNo: string } {
    const next = (this.sequences.get(busType) ?? 0) + 1;
    this.sequences.set(busType, next);
    return { billBatchCode: `3501${busType}26`, billNo: String(next).padStart(10, '0') };
  }

  private checkCode(): string {
    return String(Math.floor(this.random() * 1_000_000)).padStart(6, '0');
  }

  private page(code: string, no: string, random: string): string {
    return `${this.pageBase}/h5/bill?code=${code}&no=${no}&random=${random}`;
  }

  private billMessage(b: SimBill): Record<string, unknown> {
    return {
      busNo: b.busNo,
      billBatchCode: b.billBatchCode,
      billNo: b.billNo,
      random: b.random,
      createTime: b.createTime,
      totalAmt: yuan(b.totalFen),
      billQRCode: '',
      pictureUrl: this.page(b.billBatchCode, b.billNo, b.random),
      pictureNetUrl: this.page(b.billBatchCode, b.billNo, b.random),
    };
  }
}
