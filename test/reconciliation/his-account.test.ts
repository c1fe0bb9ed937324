/**
 * HIS keeps its own books: its account of a day (account.day) from the HIS simulator's ledger, read by the HIS
 * client, matched in the day's reconciliation with the ledger's HIS bookings. A HIS made to differ on purpose
 * (a booking dropped from its account, another's amount altered) and a booking only HIS has are each found, with
 * what to do, and make the day unbalanced; agreeing books balance it.
 */
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HisClient, type HisOrder } from '../../src/insurance/his';
import { fen } from '../../src/shared/money';
import { PATIENTS, startHis, type HisSimulator } from '../../src/simulators/his';
import type { CentreFixture } from '../../src/simulators/nhsa';
import { LEDGER_EVENT_VERSION, EmbeddedLedger, type LedgerEvent } from '../../src/station/hospital-ledger';
import { OPERATOR, type SettlementRig } from '../../src/station/outpatient/testing/settlement-rig';
import { closeCentreRig, rigRuns, startCentreRig } from './centre-rig';

const APP = 'YBSTATION01';
const SECRET = 'his-secret-0123456789abcdef';
const AT = new Date('2026-11-22T01:40:00Z'); // 09:40 Beijing
const DAY = '2026-11-22';
let dir: string;
let fx: CentreFixture;
let his: HisSimulator;
let client: HisClient;
let rig: SettlementRig;
let ledger: EmbeddedLedger;

beforeEach(async () => {
  ({ dir, fx, rig } = await startCentreRig('his-account'));
  his = await startHis({ apps: [{ appId: APP, secret: SECRET }], now: () => AT });
  client = new HisClient({ baseUrl: his.url, appId: APP, appSecret: SECRET, timeoutMs: 2_000 }, { now: () => AT });
  ledger = new EmbeddedLedger(rig.db, () => AT);
});

afterEach(async () => {
  await his.close();
  await closeCentreRig({ dir, fx, rig });
});

function runs() {
  return rigRuns({ dir, fx, rig }, ledger, { his: client, now: () => AT });
}

async function firstUnsettled(patientId: string): Promise<HisOrder> {
  const outcome = await client.unsettledOrders(patientId);
  if (outcome.kind !== 'ok' || !outcome.value[0]) throw new Error(JSON.stringify(outcome));
  return outcome.value[0];
}

/** A self-pay booking at HIS, paid in cash; returns its settle id and total. */
async function booked(patientId: string, settleId: string): Promise<{ settleId: string; totalFen: number; orderNo: string }> {
  const order = await firstUnsettled(patientId);
  const r = await client.selfPaySettlement({
    settleId,
    orderNo: order.orderNo,
    payments: [{ channel: 'cash', amountFen: fen(order.totalFen) }],
  });
  if (r.kind !== 'ok') throw new Error(JSON.stringify(r));
  return { settleId, totalFen: order.totalFen, orderNo: order.orderNo };
}

let seq = 0;
function bookingEvent(b: { settleId: string; totalFen: number }): LedgerEvent {
  return {
    v: LEDGER_EVENT_VERSION,
    stationId: 'W01',
    eventId: `his-${b.settleId}`,
    seq: ++seq,
    kind: 'his-booking',
    movement: 'his.selfpay',
    outcome: 'succeeded',
    orderId: `order-${b.settleId}`,
    hisOrderNo: null,
    operatorId: OPERATOR.id,
    actor: 'station',
    at: AT.toISOString(),
    channel: 'his',
    amounts: { total: b.totalFen, fund: 0, account: 0, cash: b.totalFen },
    ids: { hisSettleId: b.settleId },
  };
}

describe('HIS’s own account of the day in the reconciliation', () => {
  it('agreeing books balance; a booking HIS drops, one it alters and one only HIS has are each found', async () => {
    const [p1, p2, p3] = PATIENTS;
    const a = await booked(p1!.patient_id, 'ST-A');
    const b = await booked(p2!.patient_id, 'ST-B');
    await ledger.append([bookingEvent(a), bookingEvent(b)]);

    const account = await client.dayAccount(DAY);
    expect(account).toMatchObject({
      kind: 'ok',
      value: { day: DAY, bookings: [{ settleId: 'ST-A', cashFen: a.totalFen }, { settleId: 'ST-B' }] },
    });
    const agreed = await runs().run(OPERATOR, DAY);
    expect(agreed.outcome).toBe('balanced');
    expect(agreed.his).toEqual({ balanced: true, error: null, hisBookings: 2, ledgerBookings: 2, differences: [] });

    // HIS made to differ: A dropped from its account, B's total altered; C booked at HIS only.
    his.control.disagree('ST-A', { drop: true });
    // (the other through the HTTP control a trainer or another process uses)
    const altered = await fetch(`${his.url}/__control`, {
      method: 'POST',
      body: JSON.stringify({ op: 'disagree', settleId: 'ST-B', change: { medfeeFen: b.totalFen + 100 } }),
    });
    expect(altered.status).toBe(200);
    await booked(p3!.patient_id, 'ST-C');
    const differing = await runs().run(OPERATOR, DAY);
    expect(differing.outcome).toBe('unbalanced');
    expect(differing.his?.balanced).toBe(false);
    const found = Object.fromEntries((differing.his?.differences ?? []).map((d) => [d.settleId, d]));
    expect(Object.keys(found).sort()).toEqual(['ST-A', 'ST-B', 'ST-C']);
    expect(found['ST-A']).toMatchObject({
      kind: 'ledger-only',
      orderId: 'order-ST-A',
      hisMedfeeFen: null,
      suggestion: expect.stringContaining('补记'),
    });
    expect(found['ST-B']).toMatchObject({ kind: 'differ', hisMedfeeFen: b.totalFen + 100, ledgerMedfeeFen: b.totalFen });
    expect(found['ST-C']).toMatchObject({ kind: 'his-only', stationId: null });
    expect(runs().list({ day: DAY, limit: 5 })[0]).toEqual(differing);
    const exported = await runs().exportDifferences(OPERATOR, differing.id, 'csv');
    expect(exported.rows).toBe(3);
    expect(fs.readFileSync(exported.file, 'utf8')).toContain('HIS日对账');

    his.control.agree();
    expect((await runs().run(OPERATOR, DAY)).his?.differences.map((d) => d.settleId)).toEqual(['ST-C']);
  });

  it('a HIS that cannot be reached leaves the day unbalanced, with why', async () => {
    await ledger.append([bookingEvent(await booked(PATIENTS[0]!.patient_id, 'ST-A'))]);
    await his.close();
    const run = await runs().run(OPERATOR, DAY);
    expect(run.outcome).toBe('unbalanced');
    expect(run.his).toMatchObject({ balanced: false, error: expect.stringContaining('HIS日对账未取得') });
    his = await startHis({ apps: [{ appId: APP, secret: SECRET }], now: () => AT }); // afterEach closes it
  });
});
