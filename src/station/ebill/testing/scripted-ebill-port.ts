/**
 * The e-bill platform as a scripted fake with a small ledger of its own, for tests of the station's side: bills by
 * busNo, red-flushes, a reimbursed flag; each call's answer is taken from its script (default: as the ledger says),
 * so a test can drop an answer after the platform acted ('lost-after') or before ('lost-before').
 */
import {
  EBILL_REFUSALS,
  type EBill,
  type EBillIssueRequest,
  type EBillOutcome,
  type EBillPort,
  type EBillStatus,
  type EBillWriteOffRequest,
  type RedEBill,
} from '../../../insurance/ebill';
import { fen } from '../../../shared/money';

export type ScriptedAnswer = 'ok' | 'refused' | 'lost-before' | 'lost-after';

const LOST = { kind: 'unknown', reason: 'timeout', detail: 'no answer' } as const;

export class ScriptedEBillPort implements EBillPort {
  /** Every call, in order: `issue BUSNO`, `byBusNo BUSNO`, `redFlush CODE/NO`, `status CODE/NO`. */
  readonly calls: string[] = [];
  /** Every red-flush request as sent (who it names, why). */
  readonly redFlushes: EBillWriteOffRequest[] = [];
  readonly bills = new Map<string, EBill & { request: EBillIssueRequest; red: RedEBill | null; reimbursed: boolean }>();
  readonly script: { issue: ScriptedAnswer[]; byBusNo: ScriptedAnswer[]; redFlush: ScriptedAnswer[]; status: ScriptedAnswer[] } = {
    issue: [],
    byBusNo: [],
    redFlush: [],
    status: [],
  };
  private seq = 0;

  async issue(request: EBillIssueRequest): Promise<EBillOutcome<EBill>> {
    this.calls.push(`issue ${request.busNo}`);
    const a = this.script.issue.shift() ?? 'ok';
    if (a === 'refused') return { kind: 'rejected', code: 'E1001', message: '开票点未启用' };
    if (a === 'lost-before') return LOST;
    const bill: EBill = {
      busNo: request.busNo,
      billCode: '35010124',
      billNo: String(++this.seq).padStart(10, '0'),
      checkCode: `C${this.seq}A9F1`,
      issuedAt: request.busTime,
      totalFen: request.totalFen,
      url: `https://ebill.example/h5/${this.seq}`,
    };
    this.bills.set(request.busNo, { ...bill, request, red: null, reimbursed: false });
    return a === 'lost-after' ? LOST : { kind: 'ok', value: bill };
  }

  async byBusNo(busNo: string): Promise<EBillOutcome<EBill | null>> {
    this.calls.push(`byBusNo ${busNo}`);
    const a = this.script.byBusNo.shift() ?? 'ok';
    if (a !== 'ok') return LOST;
    const b = this.bills.get(busNo);
    return { kind: 'ok', value: b ? this.billOf(b) : null };
  }

  async redFlush(request: EBillWriteOffRequest): Promise<EBillOutcome<RedEBill>> {
    this.redFlushes.push(request);
    this.calls.push(`redFlush ${request.billCode}/${request.billNo}`);
    const a = this.script.redFlush.shift() ?? 'ok';
    if (a === 'lost-before') return LOST;
    const b = this.find(request.billCode, request.billNo);
    if (!b) return { kind: 'rejected', code: EBILL_REFUSALS.notFound, message: '票据不存在' };
    if (a === 'refused' || b.reimbursed) return { kind: 'rejected', code: EBILL_REFUSALS.reimbursed, message: '票据已报销' };
    if (b.red) return { kind: 'rejected', code: EBILL_REFUSALS.alreadyRedFlushed, message: '已冲销，不能冲销开票' };
    b.red = {
      billCode: '35010125',
      billNo: String(++this.seq).padStart(10, '0'),
      checkCode: `R${this.seq}`,
      issuedAt: request.busTime,
      url: `https://ebill.example/h5/red/${this.seq}`,
    };
    return a === 'lost-after' ? LOST : { kind: 'ok', value: b.red };
  }

  async status(billCode: string, billNo: string): Promise<EBillOutcome<EBillStatus>> {
    this.calls.push(`status ${billCode}/${billNo}`);
    const a = this.script.status.shift() ?? 'ok';
    if (a !== 'ok') return LOST;
    const b = this.find(billCode, billNo);
    if (!b) return { kind: 'rejected', code: EBILL_REFUSALS.notFound, message: '票据不存在' };
    return { kind: 'ok', value: { state: 'normal', redFlushed: b.red !== null, reimbursed: b.reimbursed } };
  }

  async dayTotals(_placeCode: string, day: string) {
    const bills = [...this.bills.values()];
    const red = bills.filter((b) => b.red);
    const sum = (xs: typeof bills) => fen(xs.reduce((s, b) => s + b.totalFen, 0));
    return {
      kind: 'ok' as const,
      value: { day, issuedCount: bills.length, issuedFen: sum(bills), redCount: red.length, redFen: sum(red) },
    };
  }

  private find(billCode: string, billNo: string) {
    return [...this.bills.values()].find((b) => b.billCode === billCode && b.billNo === billNo);
  }

  private billOf(b: EBill): EBill {
    const { busNo, billCode, billNo, checkCode, issuedAt, totalFen, url } = b;
    return { busNo, billCode, billNo, checkCode, issuedAt, totalFen, url };
  }
}
