/**
 * Test support: the outpatient side of 医保移动支付 on a training station with the settlement service
 * (startOutpatientRig) — a bill paid on the phone, a registration refunded (退号), and the ledger events the
 * station wrote, read back from its own `ledger_events`.
 */
import { expect } from 'vitest';
import type { OutpatientRig } from '../../src/service/testing/outpatient-rig';
import { LedgerEventSchema, type LedgerEvent } from '../../src/station/hospital-ledger';

/** The resident's HIS order `orderNo` paid on the phone under the idempotency key `key`, and booked at HIS. */
export async function payOnline(rig: OutpatientRig, orderNo: string, key: string): Promise<{ paymentId: string; payOrderId: string }> {
  const paid = await rig.call({
    method: 'POST',
    path: `/v1/outpatient/bills/${orderNo}/payments`,
    body: { payAuthNo: rig.authorise() },
    idempotencyKey: key,
  });
  expect(paid).toMatchObject({ status: 201, body: { state: 'paid', hisBooked: true } });
  return paid.body as { paymentId: string; payOrderId: string };
}

/** The patient's refund (退号) of the paid registration `registration`, as the service answers it. */
export function refundRegistration(rig: OutpatientRig, registration: string, key: string) {
  return rig.call({
    method: 'POST',
    path: `/v1/outpatient/registrations/${registration}/refund`,
    body: { reason: '行程有变' },
    idempotencyKey: key,
  });
}

/** The station's ledger events of one payment (the phone's order), or all of them, in their order. */
export function stationLedgerEvents(rig: OutpatientRig, paymentId?: string): LedgerEvent[] {
  return rig.station.db
    .prepare<[string | null, string | null], { seq: number; body: string }>(
      'SELECT seq, body FROM ledger_events WHERE (? IS NULL OR order_id = ?) ORDER BY seq',
    )
    .all(paymentId ?? null, paymentId ?? null)
    .map((r) => LedgerEventSchema.parse({ ...(JSON.parse(r.body) as object), seq: r.seq }));
}
