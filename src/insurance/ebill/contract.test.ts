// The e-bill client against the simulated gateway's own ledger over HTTP on 127.0.0.1: the life of a bill, a lost
// answer settled by busNo, the reimbursement block, the day totals, and what each fault gives the station.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEBillSimulator, type EBillFaultKind, type EBillSimulator } from '../../simulators/ebill';
import { fen } from '../../shared/money';
import { EBillClient } from './client';
import { sampleBill } from './testing/sample-bill';
import { EBILL_REFUSALS, type EBill, type EBillWriteOffRequest } from './types';

const APP = { appId: 'HOSP001', appKey: 'SIMKEY-0123456789' };
let gateway: EBillSimulator;
let ebill: EBillClient;

beforeEach(async () => {
  gateway = await startEBillSimulator({ apps: [APP], seed: 11, now: () => new Date('2026-11-22T02:16:00.000Z') });
  // A short deadline: timeout-before-commit never answers, so the client's own deadline ends the call.
  ebill = new EBillClient({ baseUrl: gateway.url, ...APP, timeoutMs: 1_000 });
});
afterEach(() => gateway.close());

const BUS_TIME = '2026-11-22T02:15:30.123Z';

function writeOff(bill: { billCode: string; billNo: string }): EBillWriteOffRequest {
  return {
    billCode: bill.billCode,
    billNo: bill.billNo,
    reason: '患者退费',
    operator: '张收费',
    busTime: '2026-11-22T03:00:00.000Z',
    placeCode: 'WIN01',
  };
}

async function issued(busNo = 'MZ20261122001', totalFen = 12345): Promise<EBill> {
  const bill = sampleBill({ busNo });
  const scaled =
    totalFen === bill.totalFen
      ? bill
      : sampleBill({
          busNo,
          totalFen: fen(totalFen),
          payments: [{ channel: 'XJ', amountFen: fen(totalFen) }],
          groups: [{ code: 'JCF', name: '检查费', amountFen: fen(totalFen), selfFen: fen(0) }],
          items: [{ ...bill.items[2]!, unitPriceFen: fen(totalFen), amountFen: fen(totalFen) }],
        });
  const outcome = await ebill.issue(scaled);
  if (outcome.kind !== 'ok') throw new Error(JSON.stringify(outcome));
  return outcome.value;
}

describe('the life of a bill', () => {
  it('issue → found by busNo → normal → red-flushed → a second red-flush is refused as already done', async () => {
    const bill = await issued();
    expect(bill).toEqual({
      busNo: 'MZ20261122001',
      billCode: '35010226',
      billNo: '0000000001',
      checkCode: expect.stringMatching(/^\d{6}$/),
      issuedAt: '2026-11-22T02:16:00.000Z',
      totalFen: 12345,
      url: expect.stringContaining('no=0000000001'),
    });
    expect(await ebill.byBusNo(bill.busNo, BUS_TIME)).toEqual({ kind: 'ok', value: bill });
    expect(await ebill.status(bill.billCode, bill.billNo)).toEqual({
      kind: 'ok',
      value: { state: 'normal', redFlushed: false, reimbursed: false },
    });

    const red = await ebill.redFlush(writeOff(bill));
    expect(red).toMatchObject({
      kind: 'ok',
      value: { billCode: '35010226', billNo: '0000000002', checkCode: expect.stringMatching(/^\d{6}$/) },
    });
    expect(await ebill.status(bill.billCode, bill.billNo)).toEqual({
      kind: 'ok',
      value: { state: 'normal', redFlushed: true, reimbursed: false },
    });
    expect(gateway.control.bills()[0]?.red).toMatchObject({ billNo: '0000000002', totalFen: -12345 });

    expect(await ebill.redFlush(writeOff(bill))).toEqual({
      kind: 'rejected',
      code: EBILL_REFUSALS.alreadyRedFlushed,
      message: '已冲销，不能冲销开票',
    });
  });

  it('a lost issue answer: byBusNo finds the bill, and issuing again under the busNo gives the same bill, never two', async () => {
    gateway.control.fault('invoiceEBillOutpatient', 'lose-answer');
    expect(await ebill.issue(sampleBill())).toMatchObject({ kind: 'unknown', reason: 'network' });
    const found = await ebill.byBusNo('MZ20261122001', BUS_TIME);
    expect(found).toMatchObject({ kind: 'ok', value: { busNo: 'MZ20261122001', billNo: '0000000001', totalFen: 12345 } });
    const again = await ebill.issue(sampleBill());
    expect(again).toEqual(found);
    expect(gateway.control.bills()).toHaveLength(1);
  });

  it('a reimbursed bill shows so in its status and may not be red-flushed', async () => {
    const bill = await issued();
    expect(gateway.control.setReimbursed(bill.billCode, bill.billNo)).toBe(true);
    expect(await ebill.status(bill.billCode, bill.billNo)).toEqual({
      kind: 'ok',
      value: { state: 'normal', redFlushed: false, reimbursed: true },
    });
    expect(await ebill.redFlush(writeOff(bill))).toMatchObject({ kind: 'rejected', code: EBILL_REFUSALS.reimbursed });
    expect(gateway.control.bills()[0]).toMatchObject({ isScarlet: false, reimbursed: true });
    expect(gateway.control.bills()[0]?.red).toBeUndefined();
  });

  it('the status of a bill the platform does not have is refused as not found', async () => {
    expect(await ebill.status('35010226', '0000009999')).toMatchObject({ kind: 'rejected', code: EBILL_REFUSALS.notFound });
  });

  it('a busNo reused for another amount is refused, and the first bill stands', async () => {
    await issued('MZ1', 5000);
    expect(await ebill.issue(sampleBill({ busNo: 'MZ1' }))).toMatchObject({ kind: 'rejected', code: 'E1004' });
    expect(gateway.control.bills()).toEqual([expect.objectContaining({ busNo: 'MZ1', totalFen: 5000 })]);
  });
});

describe('day totals', () => {
  it('count the issued and the red bills of the billing point and day, as the gateway books them', async () => {
    const first = await issued('MZ1', 12345);
    await issued('MZ2', 5000);
    expect((await ebill.redFlush(writeOff(first))).kind).toBe('ok');
    const totals = await ebill.dayTotals('WIN01', '2026-11-22');
    expect(totals).toEqual({ kind: 'ok', value: { day: '2026-11-22', issuedCount: 2, issuedFen: 17345, redCount: 1, redFen: 12345 } });
    expect(gateway.control.books()).toEqual([
      { placeCode: 'WIN01', day: '20261122', issuedCount: 2, issuedFen: 17345, redCount: 1, redFen: -12345 },
    ]);
    expect(await ebill.dayTotals('WIN02', '2026-11-22')).toEqual({
      kind: 'ok',
      value: { day: '2026-11-22', issuedCount: 0, issuedFen: 0, redCount: 0, redFen: 0 },
    });
  });
});

describe('each fault gives the outcome the station relies on', () => {
  const cases: [EBillFaultKind, object, number][] = [
    // [fault, the issue's outcome, bills the gateway holds afterwards]
    ['lose-answer', { kind: 'unknown', reason: 'network' }, 1],
    ['timeout-before-commit', { kind: 'unknown', reason: 'timeout' }, 0],
    ['http-500', { kind: 'unknown', reason: 'http-status' }, 0],
    ['refuse', { kind: 'rejected', code: 'E9001' }, 0],
    ['bad-sign', { kind: 'unknown', reason: 'bad-signature' }, 1],
  ];
  it.each(cases)('%s on issue', async (kind, outcome, held) => {
    gateway.control.fault('invoiceEBillOutpatient', kind);
    expect(await ebill.issue(sampleBill())).toMatchObject(outcome);
    expect(gateway.control.bills()).toHaveLength(held);
    // The fault struck once; byBusNo then tells the station what happened.
    expect(await ebill.byBusNo('MZ20261122001', BUS_TIME)).toMatchObject({ kind: 'ok', value: held ? { billNo: '0000000001' } : null });
  });

  it('faults are per service and per call count', async () => {
    gateway.control.fault('getEBillByBusNo', 'http-500', 2);
    const bill = await issued();
    expect(await ebill.byBusNo(bill.busNo, BUS_TIME)).toMatchObject({ kind: 'unknown', reason: 'http-status' });
    expect(await ebill.byBusNo(bill.busNo, BUS_TIME)).toMatchObject({ kind: 'unknown', reason: 'http-status' });
    expect(await ebill.byBusNo(bill.busNo, BUS_TIME)).toEqual({ kind: 'ok', value: bill });
    expect(gateway.control.calls().map((c) => c.fault ?? c.result)).toEqual(['S0000', 'http-500', 'http-500', 'S0000']);
  });

  it('a fault by rate strikes its service only, as often as asked (every call at 1, none at 0)', async () => {
    gateway.control.faultSometimes('getEBillByBusNo', 'http-500', 1);
    gateway.control.faultSometimes('getEBillStatesByBillInfo', 'bad-sign', 0);
    const bill = await issued();
    for (let i = 0; i < 3; i++) expect(await ebill.byBusNo(bill.busNo, BUS_TIME)).toMatchObject({ kind: 'unknown', reason: 'http-status' });
    expect(await ebill.status(bill.billCode, bill.billNo)).toMatchObject({ kind: 'ok' });
  });

  it('a lost red-flush answer: the bill is red-flushed, and repeating it is refused as already done', async () => {
    const bill = await issued();
    gateway.control.fault('writeOffEBill', 'lose-answer');
    expect(await ebill.redFlush(writeOff(bill))).toMatchObject({ kind: 'unknown', reason: 'network' });
    expect(await ebill.status(bill.billCode, bill.billNo)).toMatchObject({ kind: 'ok', value: { redFlushed: true } });
    expect(await ebill.redFlush(writeOff(bill))).toMatchObject({ kind: 'rejected', code: EBILL_REFUSALS.alreadyRedFlushed });
  });
});

describe('a gateway kept in a file (the training gateway)', () => {
  it('keeps its bills and numbers across a restart: the bill is found, red-flushed, and the next number follows on', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ebill-sim-'));
    const statePath = path.join(dir, 'ebill.json');
    try {
      await gateway.close();
      gateway = await startEBillSimulator({ apps: [APP], seed: 11, statePath });
      let client = new EBillClient({ baseUrl: gateway.url, ...APP, timeoutMs: 1_000 });
      const first = await client.issue(sampleBill({ busNo: 'MZ-KEPT-1' }));
      if (first.kind !== 'ok') throw new Error(JSON.stringify(first));
      await gateway.close();

      gateway = await startEBillSimulator({ apps: [APP], seed: 11, statePath });
      client = new EBillClient({ baseUrl: gateway.url, ...APP, timeoutMs: 1_000 });
      expect(await client.byBusNo('MZ-KEPT-1', BUS_TIME)).toEqual({ kind: 'ok', value: first.value });
      expect((await client.redFlush(writeOff(first.value))).kind).toBe('ok');
      const second = await client.issue(sampleBill({ busNo: 'MZ-KEPT-2' }));
      if (second.kind !== 'ok') throw new Error(JSON.stringify(second));
      expect(Number(second.value.billNo)).toBe(Number(first.value.billNo) + 2); // the red bill took the number between
      expect(gateway.control.bills().map((b) => [b.busNo, b.isScarlet])).toEqual([
        ['MZ-KEPT-1', true],
        ['MZ-KEPT-2', false],
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
