/**
 * ZS-09's "result within 5 s": when the centre is slower than the service's wait (here shortened to 300 ms in
 * service.config.json), the pay answers "processing" with the result's address instead of holding the phone; the
 * payment carries on and the address then shows it paid and booked — once, at the centre and at HIS.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startOutpatientRig, until, type OutpatientRig } from './testing/outpatient-rig';

interface PaymentBody {
  paymentId: string;
  state: string;
  hisBooked: boolean;
  resultUrl: string;
}

let rig: OutpatientRig;
const centre = () => rig.station.training!.mobilePay.control;

beforeEach(async () => {
  rig = await startOutpatientRig({ outpatientResultWaitMs: 300 });
});

afterEach(async () => {
  await rig.close();
});

describe('the pay answer does not wait past its limit', () => {
  it('a 6202 slower than the wait: processing with the result URL, then paid and booked once there', async () => {
    const orderNo = rig.prescribe();
    centre().inject({ op: 'pay_order', fault: { kind: 'delay', ms: 1_500 }, times: 1 });
    const answer = await rig.call({
      method: 'POST',
      path: `/v1/outpatient/bills/${orderNo}/payments`,
      body: { payAuthNo: rig.authorise() },
      idempotencyKey: 'slow-0001',
    });
    expect(answer).toMatchObject({ status: 201, body: { state: 'processing', hisBooked: false } });
    const { paymentId, resultUrl } = answer.body as PaymentBody;
    expect(resultUrl).toBe(`/v1/outpatient/payments/${paymentId}`);
    const look = async () => (await rig.call({ method: 'GET', path: resultUrl })).body as PaymentBody;
    await until(async () => (await look()).hisBooked);
    expect(await look()).toMatchObject({ state: 'paid', hisBooked: true });
    expect(centre().requests.filter((r) => r.op === 'pay_order')).toHaveLength(1);
    expect(rig.station.training!.his.control.books().bookings.filter((b) => b.orderNo === orderNo)).toHaveLength(1);
  });
});
