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

describe('/openapi.json for the outpatient paying interfaces', () => {
  it('describes exactly the routes served, the seven of ZS-09 among them, each refusing an unsigned call, each POST with its key', async () => {
    const doc = (await (await fetch(`${rig.service.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { description: string; parameters: { name: string }[]; requestBody?: unknown }>>;
    };
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
    expect(documented.sort()).toEqual(rig.service.routes.map((r) => `${r.method} ${r.path}`).sort());
    const outpatient = Object.entries(doc.paths).filter(([p]) => p.startsWith('/v1/outpatient/'));
    expect(outpatient.flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`)).sort()).toEqual([
      'GET /v1/outpatient/bills/{orderNo}',
      'GET /v1/outpatient/patients/{patientId}/payments',
      'GET /v1/outpatient/patients/{patientId}/pending-bills',
      'GET /v1/outpatient/payments/{paymentId}',
      'GET /v1/outpatient/payments/{paymentId}/details',
      'POST /v1/outpatient/bills/{orderNo}/payments',
      'POST /v1/outpatient/registrations/{orderNo}/refund',
    ]);
    for (const [p, ops] of outpatient) {
      for (const [method, op] of Object.entries(ops)) {
        expect(op.description).toContain('ZS-09');
        const concrete = p.replace(/\{\w+\}/g, 'X0001');
        const r = await fetch(rig.service.url + concrete, { method: method.toUpperCase(), ...(method === 'post' ? { body: '{}' } : {}) });
        expect(r.status, `${method} ${p}`).toBe(401);
        if (method === 'post') {
          expect(op.parameters.map((x) => x.name)).toContain('Idempotency-Key');
          expect(op.requestBody).toBeDefined();
        }
      }
    }
  });
});
