/**
 * ZS-09's paid records: the bills a patient paid through the service, newest first, and one record's details —
 * HIS's booking (settlement number, invoice, pickup window) and its fee lines — checked against HIS's books and
 * the mobile-payment centre's ledger.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RESIDENT, startOutpatientRig, type OutpatientRig } from './testing/outpatient-rig';

interface Payment {
  paymentId: string;
  orderNo: string;
  state: string;
  payOrderId: string;
  medfeeFen: number;
  cashFen: number;
}

let rig: OutpatientRig;
const his = () => rig.station.training!.his.control;

async function paidBill(key: string, lines?: { hospCode: string; quantity: string }[]): Promise<Payment> {
  const orderNo = rig.prescribe(lines);
  const a = await rig.call({
    method: 'POST',
    path: `/v1/outpatient/bills/${orderNo}/payments`,
    body: { payAuthNo: rig.authorise() },
    idempotencyKey: key,
  });
  expect(a).toMatchObject({ status: 201, body: { state: 'paid', hisBooked: true } });
  return a.body as Payment;
}

beforeEach(async () => {
  rig = await startOutpatientRig();
});

afterEach(async () => {
  await rig.close();
});

describe('outpatient paid records', () => {
  it('lists the patient’s paid bills newest first (an unpaid one not among them) and details each with HIS’s booking', async () => {
    const first = await paidBill('rec-0001');
    const second = await paidBill('rec-0002', [{ hospCode: 'F0002', quantity: '1' }]);
    const unpaid = rig.prescribe();

    const list = await rig.call({ method: 'GET', path: `/v1/outpatient/patients/${RESIDENT.hisId}/payments` });
    expect(list.status).toBe(200);
    const records = (list.body as { records: Payment[] }).records;
    expect(records.map((r) => r.paymentId)).toEqual([second.paymentId, first.paymentId]);
    expect(records.map((r) => r.orderNo)).not.toContain(unpaid);
    expect(records[1]).toMatchObject({ orderNo: first.orderNo, state: 'paid', medfeeFen: first.medfeeFen, cashFen: first.cashFen });

    const details = await rig.call({ method: 'GET', path: `/v1/outpatient/payments/${first.paymentId}/details` });
    const booking = his()
      .books()
      .bookings.find((b) => b.orderNo === first.orderNo)!;
    const settlement = his()
      .settlements()
      .find((s) => s.settle_id === booking.settleId)!;
    expect(details).toMatchObject({
      status: 200,
      body: {
        paymentId: first.paymentId,
        his: { hisSettleNo: settlement.his_settle_no, invoiceNo: settlement.invoice_no, state: 'settled' },
      },
    });
    const lines = (details.body as { lines: { amountFen: number; name: string }[] }).lines;
    expect(lines.reduce((s, l) => s + l.amountFen, 0)).toBe(booking.medfeeFen);
    expect(booking).toMatchObject({ setlId: first.payOrderId, medfeeFen: first.medfeeFen });
    expect(rig.station.training!.mobilePay.control.ledger.order(first.payOrderId)).toMatchObject({
      ord_stas: '4',
      fee_sumamt: first.medfeeFen,
    });
  });

  it('a payment the service does not hold is not found', async () => {
    const a = await rig.call({ method: 'GET', path: '/v1/outpatient/payments/nope0001/details' });
    expect(a).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND' } } });
  });
});
