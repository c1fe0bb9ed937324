// The mobile-payment centre's settlements in the NHSA centre's books (one platform): a paid order is a settlement
// 3201 counts in its group, a refund its negative twin; a repeated pay or refund books nothing twice.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { centreBooks } from './books';
import { Ledger } from './ledger';
import { mobileSettlementBook, type MobileSettlement } from './mobile-settlements';
import { TRAINING_POLICY } from './policy';
import { POPULATION } from './population';
import { CareRecords } from './records';

let ledger: Ledger;
let records: CareRecords;
const person = POPULATION[0]!;
const insurance = person.insurances[0]!;

beforeEach(() => {
  ledger = new Ledger(':memory:');
  records = new CareRecords(ledger);
});
afterEach(() => ledger.close());

const book = () =>
  mobileSettlementBook(
    { ledger, records, region: '350200', policy: TRAINING_POLICY, reversible: new Set() },
    () => new Date('2026-12-05T02:00:00Z'),
  );

const paid = (setlId: string, clrType: '11' | '21', medfeeFen: number): MobileSettlement => ({
  setlId,
  mdtrtId: `MD-${setlId}`,
  fixmedinsCode: 'H35020300001',
  psnNo: person.psnNo,
  insutype: insurance.insutype,
  insuplcAdmdvs: insurance.insuplcAdmdvs,
  clrType,
  medType: clrType === '21' ? '21' : '11',
  medOrgOrd: `M-${setlId}`,
  hiDocSn: `HI-${setlId}`,
  medfeeFen,
  fundFen: medfeeFen / 4,
  acctFen: 0,
  cashFen: (medfeeFen * 3) / 4,
});

const totals = (clrType: '11' | '21') =>
  records.totalsForPeriod({
    fixmedins_code: 'H35020300001',
    clr_type: clrType,
    clr_optins: insurance.insuplcAdmdvs,
    from: '2026-12-05',
    to: '2026-12-05',
    insutype: insurance.insutype,
    forwardOnly: false,
  });

describe('the mobile-payment centre’s settlements in the NHSA books', () => {
  it('a paid order is a settlement in its clearing group (Beijing day); its refund cancels it; each booked once', () => {
    const b = book();
    b.settled(paid('ORD1', '21', 40_000));
    b.settled(paid('ORD1', '21', 40_000));
    b.settled(paid('ORD2', '11', 8_000));
    b.settled(paid('ORD3', '11', 2_000));
    b.refunded('ORD3', 'ORD3R');
    b.refunded('ORD3', 'ORD3R');
    expect(totals('21')).toEqual({ count: 1, medfee: 40_000, fund: 10_000, acct: 0 });
    expect(totals('11')).toEqual({ count: 1, medfee: 8_000, fund: 2_000, acct: 0 });
    const books = centreBooks(ledger);
    expect(books.settlements.map((s) => [s.setl_id, s.msgid, s.setl_day, s.state])).toEqual([
      ['ORD1', 'HI-ORD1', '2026-12-05', 'settled'],
      ['ORD2', 'HI-ORD2', '2026-12-05', 'settled'],
      ['ORD3', 'HI-ORD3', '2026-12-05', 'cancelled'],
    ]);
    // Each order's own visit, numbered by the order: never a window's visit number.
    expect(books.visits.map((v) => [v.mdtrt_id, v.kind, v.ipt_otp_no])).toEqual([
      ['MD-ORD1', 'inpatient', 'M-ORD1'],
      ['MD-ORD2', 'outpatient', 'M-ORD2'],
      ['MD-ORD3', 'outpatient', 'M-ORD3'],
    ]);
  });
});
