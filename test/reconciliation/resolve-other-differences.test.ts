/**
 * Issue 14 item 3: HIS's and the payment platform's differences carried out from the drill-down (source 'his' and
 * 'statement'), against the HIS and platform simulators on 127.0.0.1 made to disagree on purpose. An order of the
 * station's with a movement still being resolved is handed to the outbox at once (its intent looked at now); any
 * other needs a person, with the difference's suggestion as the note. Each action audited, and the day re-checked.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HisClient } from '../../src/insurance/his';
import { recordingClient, simDefaults, virtualClock } from '../../src/insurance/pay-channel/testing/platform-fixture';
import { fen } from '../../src/shared/money';
import { PATIENTS, startHis } from '../../src/simulators/his';
import { startPayChannel } from '../../src/simulators/pay-channel';
import { EmbeddedLedger, LEDGER_EVENT_VERSION, type LedgerEvent } from '../../src/station/hospital-ledger';
import { IntentsRepo, Outbox } from '../../src/station/outbox';
import type { CentrePort } from '../../src/station/ports';
import { ReconciliationRuns, resolveDifference } from '../../src/station/reconciliation';
import { FieldCipher, loadOrCreateDataKeys } from '../../src/station/security';
import { AuditRepo, openDatabase, type Db } from '../../src/station/store';

const ADMIN = { id: 'admin', name: '管理员', role: 'admin' } as const;
const AT = new Date('2026-11-22T02:15:30Z'); // 10:15 Beijing
const DAY = '2026-11-22';
const FAR = new Date('2026-11-23T00:00:00Z');
const noCentreCalls: CentrePort = {
  perform: () => Promise.reject(new Error('no insured settlement that day: the centre is not asked')),
};

let dir: string;
let db: Db;
let cipher: FieldCipher;
let intents: IntentsRepo;
let outbox: Outbox;
let ledger: EmbeddedLedger;
const closers: (() => Promise<void>)[] = [];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recon-resolve-other-'));
  db = openDatabase(path.join(dir, 'station.db'));
  cipher = new FieldCipher(loadOrCreateDataKeys(path.join(dir, 'keys')));
  intents = new IntentsRepo(db, cipher);
  outbox = new Outbox(db, intents, [], { now: () => AT });
  ledger = new EmbeddedLedger(db, () => AT);
});

afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function deps(sources: { his?: HisClient; pay?: ReturnType<typeof recordingClient>['client'] }) {
  const audit = new AuditRepo(db, 'W01', cipher);
  const runs = new ReconciliationRuns({
    db,
    cipher,
    audit,
    gateway: noCentreCalls,
    ledger,
    pay: sources.pay ?? null,
    his: sources.his ?? null,
    now: () => AT,
    timeZone: 'Asia/Shanghai',
    autoAfterHour: null,
  });
  return { runs, gateway: noCentreCalls, outbox, newMsgid: () => 'unused', audit, now: () => AT };
}

/** An intent of the order whose outcome is unknown, next looked at tomorrow: the order is locked. */
function unknownIntentOf(orderId: string): string {
  const id = `intent-${orderId}`;
  intents.insert({ id, kind: 'pay.micropay', orderId, externalId: `x-${orderId}`, payload: {} }, AT);
  intents.transition(id, 'prepared', 'unknown', { detail: '支付结果未知', nextAt: FAR }, 'station', AT);
  return id;
}

const audited = () =>
  db.prepare(`SELECT operator_id AS operatorId, outcome FROM audit_log WHERE action = 'reconciliation.resolve' ORDER BY id`).all();

let seq = 0;
function event(e: Pick<LedgerEvent, 'kind' | 'movement' | 'orderId' | 'channel' | 'amounts' | 'ids'>): LedgerEvent {
  return {
    v: LEDGER_EVENT_VERSION,
    stationId: 'W01',
    eventId: `e${++seq}`,
    seq,
    outcome: 'succeeded',
    hisOrderNo: null,
    operatorId: 'sf001',
    actor: 'station',
    at: AT.toISOString(),
    ...e,
  };
}

describe('HIS’s and the platform’s differences carried out', () => {
  it('HIS: a booking of an order still being resolved is handed to the outbox; one of a settled order needs a person', async () => {
    const APP = 'YBSTATION01';
    const SECRET = 'his-secret-0123456789abcdef';
    const his = await startHis({ apps: [{ appId: APP, secret: SECRET }], now: () => AT });
    closers.push(() => his.close());
    const client = new HisClient({ baseUrl: his.url, appId: APP, appSecret: SECRET, timeoutMs: 2_000 }, { now: () => AT });
    const book = async (patientId: string, settleId: string, orderId: string) => {
      const orders = await client.unsettledOrders(patientId);
      if (orders.kind !== 'ok' || !orders.value[0]) throw new Error(JSON.stringify(orders));
      const order = orders.value[0];
      const r = await client.selfPaySettlement({
        settleId,
        orderNo: order.orderNo,
        payments: [{ channel: 'cash', amountFen: fen(order.totalFen) }],
      });
      if (r.kind !== 'ok') throw new Error(JSON.stringify(r));
      const total = order.totalFen;
      return event({
        kind: 'his-booking',
        movement: 'his.selfpay',
        orderId,
        channel: 'his',
        amounts: { total, fund: 0, account: 0, cash: total },
        ids: { hisSettleId: settleId },
      });
    };
    await ledger.append([
      await book(PATIENTS[0]!.patient_id, 'ST-BUSY', 'O-BUSY'),
      await book(PATIENTS[1]!.patient_id, 'ST-DONE', 'O-DONE'),
    ]);
    his.control.disagree('ST-BUSY', { drop: true });
    his.control.disagree('ST-DONE', { drop: true });
    const intentId = unknownIntentOf('O-BUSY');
    const d = deps({ his: client });
    const before = await d.runs.run(ADMIN, DAY);
    expect(before.his?.differences.map((x) => [x.kind, x.settleId, x.orderId])).toEqual([
      ['ledger-only', 'ST-BUSY', 'O-BUSY'],
      ['ledger-only', 'ST-DONE', 'O-DONE'],
    ]);

    const busy = await resolveDifference(d, ADMIN, { runId: before.id, source: 'his', key: 'ST-BUSY', reason: '核实' });
    expect(busy).toMatchObject({ resolution: 'handed-over', run: { outcome: 'unbalanced' } });
    expect(busy.note).toContain('O-BUSY');
    // the outbox looks at the order's intent now, not tomorrow
    expect(intents.get(intentId)!.nextAt).toBe(AT.toISOString());

    const done = await resolveDifference(d, ADMIN, { runId: before.id, source: 'his', key: 'ST-DONE', reason: '核实' });
    expect(done.resolution).toBe('needs-person');
    expect(done.note).toContain('HIS无记账');
    expect(audited()).toEqual([
      { operatorId: 'admin', outcome: 'ok' },
      { operatorId: 'admin', outcome: 'ok' },
    ]);
  });

  it('platform: a trade of an order still being resolved is handed to the outbox; a trade only the platform has needs a person', async () => {
    const clock = virtualClock(AT.toISOString());
    const sim = await startPayChannel(simDefaults(clock));
    closers.push(() => sim.close().catch(() => undefined));
    const { client } = recordingClient(sim.url);
    const wallet = () => sim.control.wallet({ channel: 'WECHAT', balanceFen: 100_000 }).authCode;
    for (const [trade, amount] of [
      ['T-BUSY', 1500],
      ['T-LONG', 999],
    ] as const) {
      const r = await client.micropay({ outTradeNo: trade, totalFee: fen(amount), subject: '门诊缴费', authCode: wallet() });
      expect(r.kind).toBe('ok');
    }
    // The ledger says 12.00 for T-BUSY (its payment still being resolved) and never heard of T-LONG.
    await ledger.append([
      event({
        kind: 'payment',
        movement: 'pay.micropay',
        orderId: 'O-PAY',
        channel: 'wechat',
        amounts: { cash: 1200 },
        ids: { outTradeNo: 'T-BUSY' },
      }),
    ]);
    const intentId = unknownIntentOf('O-PAY');
    const d = deps({ pay: client });
    const before = await d.runs.run(ADMIN, DAY);
    expect(before.statement?.differences.map((x) => [x.kind, x.outTradeNo, x.orderId])).toEqual([
      ['differ', 'T-BUSY', 'O-PAY'],
      ['statement-only', 'T-LONG', null],
    ]);

    const busy = await resolveDifference(d, ADMIN, { runId: before.id, source: 'statement', key: 'T-BUSY', reason: '核实' });
    expect(busy.resolution).toBe('handed-over');
    expect(intents.get(intentId)!.nextAt).toBe(AT.toISOString());
    const long = await resolveDifference(d, ADMIN, { runId: before.id, source: 'statement', key: 'T-LONG', reason: '长款' });
    expect(long).toMatchObject({ resolution: 'needs-person', run: { outcome: 'unbalanced' } });
    expect(long.note).toContain('长款');
    // a key the run does not have under that source is refused (a trade is not a HIS settle id)
    await expect(resolveDifference(d, ADMIN, { runId: before.id, source: 'his', key: 'T-LONG', reason: '核实' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(audited()).toEqual([
      { operatorId: 'admin', outcome: 'ok' },
      { operatorId: 'admin', outcome: 'ok' },
      { operatorId: 'admin', outcome: 'denied' },
    ]);
  });
});
