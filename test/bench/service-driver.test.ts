// The settlement service benchmark's driver, small: 5 phones in two waves (3 at a patient's pace, 2 at once) through
// the real service child and the simulators, checked for correctness only (the timings are the benchmark's to report,
// never asserted).
import { describe, expect, it } from 'vitest';
import { runServiceBench } from './service-driver';

describe('npm run bench -- service, driven with 5 phones', () => {
  it('settles each stay once with every callback delivered 3 times, and counts the simulator calls of a settle', async () => {
    const pace = { readFeesMs: [1, 40], confirmMs: [1, 40], seed: 7 } as const;
    const r = await runServiceBench({
      waves: [
        { name: 'paced', phones: 3, pace },
        { name: 'at once', phones: 2 },
      ],
      latencyMs: 5,
      notifyCopies: 3,
      calibrationPhones: 1,
    });
    expect(r.waves.map((w) => w.phones.map((p) => p.error ?? p.state))).toEqual([
      ['paid', 'paid', 'paid'],
      ['paid', 'paid'],
    ]);
    // Each wave on its own stays: no stay settled twice across the waves.
    expect(new Set(r.waves.flatMap((w) => w.phones.map((p) => p.iptNo))).size).toBe(5);
    // One paid order at the mobile-pay centre and one discharge booking at HIS per stay, whatever the callbacks repeat.
    expect(r.waves.map((w) => w.centreOrdersPerStay)).toEqual([
      [1, 1, 1],
      [1, 1],
    ]);
    expect(r.waves.map((w) => w.hisBookingsPerStay)).toEqual([
      [1, 1, 1],
      [1, 1],
    ]);
    // 7 orders: the phone before the fault (one delivery), the calibration phone and the 5 (three each).
    expect(r.callbacks).toEqual({ orders: 7, deliveries: 1 + 6 * 3, acked: 7 });
    expect(Object.values(r.stationBookings).every((n) => n === 7)).toBe(true);
    expect(r.books).toMatchObject({ discrepancies: 0, doubleCharges: 0, unresolved: 0, stuck: 0, paid: 7 });
    expect(r.settleCalls).toBe(r.calibration.settleOps.length);
    expect(r.calibration.settleOps).toEqual(expect.arrayContaining(['uldFeeInfo', 'pay_order']));
    expect(r.flowCalls).toBeGreaterThan(r.settleCalls);
  }, 240_000);
});
