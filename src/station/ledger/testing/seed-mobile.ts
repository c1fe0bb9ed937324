/**
 * Phone payments (医保移动支付) for the finance lists' tests: orders written through the station's own repository
 * (the patient sealed as 6201's insert seals it, the centre's answer, the bookings), and the movements the outbox
 * finalised for them (6202, and 6203 for a refunded one) — what the ledger's events are made of. Every field is a
 * pure function of the order's number: discharges and outpatient bills by turns, some refunded, one with no
 * self-pay part (the fund and the account paid it all).
 */
import type { FinalMovement } from '../../outbox';
import type { FieldCipher } from '../../security';
import type { Db } from '../../store';
import { MobileOrdersRepo } from '../../mobile-pay';
import { seedPerson } from './seed-orders';

export interface SeedMobile {
  id: string;
  person: number;
  hisOrderNo: string;
  payOrdId: string;
  fundFen: number;
  acctFen: number;
  ownFen: number;
  paidAt: string;
  refundSn: string | null;
  refundedAt: string | null;
}

const PERSONS = [9, 7, 3, 9, 7, 12, 19, 5] as const;

/** The k-th phone payment: paid some hours into the seed's days (never on a window order's minute). */
export function seedMobile(k: number, start: Date): SeedMobile {
  const medfee = 20_003 + k * 1_117;
  const acctFen = k % 4 === 1 ? 1_000 : 0;
  const fundFen = k === 3 ? medfee - acctFen : Math.floor(medfee / 2);
  const paid = start.getTime() + (3 + k * 11) * 3_600_000 + 5 * 60_000;
  const refunded = k % 3 === 0;
  return {
    id: `M${String(k).padStart(4, '0')}`,
    person: PERSONS[k % PERSONS.length]!,
    hisOrderNo: k % 2 === 0 ? `ZY${k}` : `C${k}`,
    payOrdId: `PO${k}`,
    fundFen,
    acctFen,
    ownFen: medfee - fundFen - acctFen,
    paidAt: new Date(paid).toISOString(),
    refundSn: refunded ? `M${String(k).padStart(4, '0')}R` : null,
    refundedAt: refunded ? new Date(paid + 35 * 60_000).toISOString() : null,
  };
}

export function seedMobileOrders(db: Db, cipher: FieldCipher, list: readonly SeedMobile[]): void {
  const orders = new MobileOrdersRepo(db, cipher);
  for (const [k, s] of list.entries()) {
    const p = seedPerson(s.person);
    const ward = s.hisOrderNo.startsWith('ZY');
    orders.insert(
      {
        id: s.id,
        kind: ward ? 'inpatient' : 'outpatient',
        visitNo: `V${k}`,
        payAuthNo: `AUTH${k}`,
        patient: { idNo: p.certNo, idType: '01', name: p.name, psnNo: p.psnNo, insutype: '310' },
        medfeeFen: s.fundFen + s.acctFen + s.ownFen,
        ...(ward ? { ward: { iptNo: s.hisOrderNo, uptoLine: 3 } } : { clinic: { orderNo: s.hisOrderNo, patientId: `HP${k}` } }),
      },
      new Date(Date.parse(s.paidAt) - 60_000),
    );
    const paid = new Date(s.paidAt);
    orders.update(
      s.id,
      {
        state: s.refundedAt ? 'refunded' : 'completed',
        pay_ord_id: s.payOrdId,
        mdtrt_id: `MDM${k}`,
        fund_fen: s.fundFen,
        acct_fen: s.acctFen,
        own_fen: s.ownFen,
        hi_doc_sn: `HD-${s.id}`,
        refund_sn: s.refundSn,
      },
      paid,
    );
    orders.book(s.id, 'paid', 'answer', paid);
    if (s.refundedAt) orders.book(s.id, 'refunded', 'answer', new Date(s.refundedAt));
  }
}

/** The final movements of the seed's phone payments, as the outbox hands them to the ledger's recorder. */
export function seedMobileMovements(s: SeedMobile): FinalMovement[] {
  const pay: FinalMovement = {
    id: `i-6202-${s.id}`,
    orderId: s.id,
    externalId: s.payOrdId,
    compExternalId: null,
    kind: 'mobile.6202',
    final: 'succeeded',
    payload: { payOrdId: s.payOrdId },
    output: { hiDocSn: `HD-${s.id}` },
    actor: 'station',
    at: new Date(s.paidAt),
  };
  if (!s.refundSn || !s.refundedAt) return [pay];
  const back: FinalMovement = {
    ...pay,
    id: `i-6203-${s.id}`,
    externalId: s.refundSn,
    kind: 'mobile.6203',
    payload: { payOrdId: s.payOrdId, appRefdSn: s.refundSn },
    output: { appRefdSn: s.refundSn },
    at: new Date(s.refundedAt),
  };
  return [pay, back];
}
