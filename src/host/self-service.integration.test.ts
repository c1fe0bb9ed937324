/**
 * HX-T1 in the whole station: a patient starts at the face terminal (emulated on a real pty), the terminal
 * verifies the face, and the station runs identification (1101), the HIS order, 2201/2204/2206, the split on the
 * terminal's screen, 2207 and the payment code the terminal's own scanner read — as the self-service operator.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OrderView } from '../shared/domain';
import { centreInfnos, startOutpatientHarness, type OutpatientHarness } from '../../test/harness/outpatient-harness';
import { bookViolations } from '../../test/harness/station-orders';

let h: OutpatientHarness;
beforeEach(async () => {
  h = await startOutpatientHarness();
});
afterEach(async () => {
  await h.close();
});

async function faceTerminalConnected(): Promise<void> {
  for (;;) {
    const r = await h.c.call<{ role: string; state: string }[]>('listDevices', {});
    if (r.ok && r.value.some((d) => d.role === 'face-terminal' && d.state === 'connected')) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('self-service at the face terminal (HX-T1)', () => {
  it('the patient confirms on the terminal and pays the cash share with a payment code; every ledger agrees', async () => {
    const rig = h.station.training!;
    const face = rig.face!;
    await faceTerminalConnected();
    const resident = rig.vouchers.findIndex((v) => v.insutype === '390' && v.region === '350200');
    expect(resident).toBeGreaterThanOrEqual(0);
    await rig.presentFace(resident);
    const wallet = rig.payChannel.control.wallet({ channel: 'ALIPAY', balanceFen: 10_000_000 });
    face.scriptPatient({ payCodes: [{ code: wallet.authCode }] });
    await face.startSelfService('KIOSK-1');

    const done = await h.c.nextEvent<OrderView>('orderUpdated', (o) => o.state === 'completed', 20_000);
    expect(done.split!.cashFen).toBeGreaterThan(0);
    expect(rig.payChannel.control.balance(wallet.authCode)).toBe(10_000_000 - done.split!.cashFen);
    expect(rig.his.control.settlements()).toEqual([expect.objectContaining({ order_no: done.hisOrderNo, state: 'settled' })]);
    for (const infno of ['1101', '2201', '2204', '2206', '2207']) expect(centreInfnos(h)).toContain(infno);

    // What the patient saw: the split with the cash share, then the result; the session ended.
    const ended = Date.now() + 10_000;
    while (face.sessionFrames('KIOSK-1').at(-1)?.type !== 'session.end' && Date.now() < ended) await new Promise((r) => setTimeout(r, 20));
    const frames = face.sessionFrames('KIOSK-1');
    const screens = frames.filter((f) => f.type === 'session.show').map((f) => f.screen as string);
    expect(screens).toContain('split');
    expect(screens.at(-1)).toBe('result');
    expect(frames.at(-1)!.type).toBe('session.end');
    expect(bookViolations(h.dataDir, rig)).toEqual([]);
  });

  it('the patient walks away before paying: the insurance settlement is not left booked', async () => {
    const rig = h.station.training!;
    const face = rig.face!;
    await faceTerminalConnected();
    const resident = rig.vouchers.findIndex((v) => v.insutype === '390' && v.region === '350200');
    await rig.presentFace(resident);
    face.scriptPatient({ payCodes: [{ walkAway: true }] });
    await face.startSelfService('KIOSK-2');
    await h.c.nextEvent<OrderView>(
      'orderUpdated',
      (o) => o.state === 'reversed' || (o.state === 'open' && o.detail.includes('撤销')),
      20_000,
    );
    expect(centreInfnos(h)).toContain('2207');
    expect(centreInfnos(h)).toContain('2208');
    expect(rig.his.control.settlements()).toHaveLength(0);
    expect(bookViolations(h.dataDir, rig)).toEqual([]);
  });
});
