/**
 * What the hospital ledger reads of a phone's mobile order (hospital-ledger/event-of-movement.ts), as it reads an
 * outpatient order or a stay: the HIS number it pays (the stay's 住院号 or the clinic's order), the centre's order as
 * the settlement (setl_id = payOrdId, the number HIS books it under) with the shares the centre answered, the payer's
 * insurance facts and the clearing type — 21 for a discharge, 11 for an outpatient bill — so 3201 counts it in its
 * group. No operator: the patient paid on the phone.
 */
import type { OrderFacts, OrderSource } from '../hospital-ledger';
import type { StaysRepo } from '../inpatient';
import type { FieldCipher } from '../security';
import type { Db, PersonsRepo } from '../store';
import { MobileOrdersRepo } from './orders-repo';

/** 3201's clearing types. */
const CLEARING = { inpatient: '21', outpatient: '11' } as const;

/** States in which the centre holds the order paid, or held it (refunding, refunded): its shares are the centre's answer. */
const PAID_STATES: ReadonlySet<string> = new Set(['paid', 'completed', 'refunding', 'refunded']);

export interface MobileFactsDeps {
  orders: Pick<MobileOrdersRepo, 'get' | 'patient'>;
  /** A discharge's insured region is its stay's (2401 told the centre). */
  stays: Pick<StaysRepo, 'byIptNo'>;
  /** An outpatient payer's region: the person 1101 answered, by person number and insurance type. */
  persons: Pick<PersonsRepo, 'find'>;
}

export function mobileOrderFacts(d: MobileFactsDeps, orderId: string): Omit<OrderFacts, 'paid'> | undefined {
  const row = d.orders.get(orderId);
  if (!row) return undefined;
  const patient = d.orders.patient(row);
  const { fund_fen: fund, acct_fen: acct, own_fen: own } = row;
  const stay = row.ward_ipt_no ? d.stays.byIptNo(row.ward_ipt_no) : undefined;
  const region =
    stay?.insuredRegion ?? d.persons.find(patient.psnNo)?.insurances.find((i) => i.insutype === patient.insutype)?.insuredRegion ?? null;
  return {
    hisOrderNo: row.ward_ipt_no ?? row.his_order_no ?? row.visit_no,
    operatorId: null,
    mdtrtId: row.mdtrt_id,
    setlId: row.pay_ord_id,
    // The centre answers the fund's total; the pool share of it is the fund's here, as for a stay.
    split:
      PAID_STATES.has(row.state) && fund !== null && acct !== null && own !== null
        ? { totalFen: row.medfee_fen, fundFen: fund, poolFen: fund, accountFen: acct, cashFen: own }
        : null,
    insutype: patient.insutype,
    insuredRegion: region,
    psnNo: patient.psnNo,
    clrType: row.kind === 'inpatient' ? CLEARING.inpatient : CLEARING.outpatient,
    refundSn: row.refund_sn,
  };
}

/** The business rows the station's ledger events read: the window's (outpatient orders, stays), else the phone's. */
export function withMobileOrders(window: OrderSource, d: Omit<MobileFactsDeps, 'orders'> & { db: Db; cipher: FieldCipher }): OrderSource {
  const mobile = { ...d, orders: new MobileOrdersRepo(d.db, d.cipher) };
  return { ...window, get: (id) => window.get(id) ?? mobileOrderFacts(mobile, id) };
}
