/**
 * Outpatient settlement end to end in the core (HX-08..HX-29), all parts real: HIS, NHSA centre and payment
 * platform simulators on 127.0.0.1 with their own ledgers, the scan box on a pty, the station's SQLite file and
 * outbox, driven over the loopback host as the cashier screen drives it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createStationFromConfig, type ComposedStation } from '../app/compose';
import { startLoopbackHost, type LoopbackHost } from './loopback-host';
import { connect, type TestClient } from '../../test/harness/ws-test-client';
import { TRAINING_PASSWORD } from '../station/auth/training-operators';
import { POPULATION } from '../simulators/nhsa';
import type { OrderView, PatientView } from '../shared/domain';
import { bookViolations } from '../../test/harness/station-orders';
import { scanWith } from '../../test/harness/outpatient-harness';
import { FieldCipher, loadOrCreateDataKeys } from '../station/security';
import { OrdersRepo } from '../station/outpatient/orders-repo';

let dataDir: string;
let station: ComposedStation;
let host: LoopbackHost;
let c: TestClient;

beforeEach(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'station-outpatient-'));
  station = await createStationFromConfig({
    dataDir,
    training: true,
    shell: 'browser',
    kdfCost: { N: 2 ** 14, r: 8, p: 1 },
    nhsaTimeoutMs: 2000,
  });
  host = await startLoopbackHost({ core: station.core, rendererDir: path.join(dataDir, 'none') });
  c = await connect(host);
  expect((await c.call('login', { login: 'sf001', password: TRAINING_PASSWORD })).ok).toBe(true);
});
afterEach(async () => {
  c.close();
  await host.close();
  await station.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const ok = <T>(r: { ok: true; value: T } | { ok: false; error: { code: string; message: string } }): T => {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
};

/** The first local, active insured person of an insurance type (employees 310 have a personal account, residents 390 not). */
const personOf = (insutype: '310' | '390') =>
  POPULATION.find(
    (p) => p.insurances[0]?.insuplcAdmdvs === '350200' && p.insurances[0]?.insutype === insutype && p.insurances[0]?.psnInsuStas === '1',
  )!;

/** Every book on its own (the centre's, HIS's, the platform's) agrees with what the station's database says of its orders. */
function booksAgree(on: ComposedStation = station, dir = dataDir): void {
  expect(bookViolations(dir, on.training!)).toEqual([]);
}

/** Identify a local patient by ID card, fetch the HIS order (the first, or `orderNo`), pre-settle and settle it. */
async function settledOrder(insutype: '310' | '390', orderNo?: string): Promise<OrderView> {
  const person = personOf(insutype);
  const patient = ok(await c.call<PatientView>('identifyPatient', { method: 'idcard', certNo: person.idNo }));
  const orders = ok(await c.call<OrderView[]>('listOrders', { identificationId: patient.identificationId }));
  const order = orderNo ? orders.find((o) => o.hisOrderNo === orderNo)! : orders[0]!;
  expect(order).toBeDefined();
  expect(order.state).toBe('open');
  const previewed = ok(await c.call<OrderView>('preSettleOrder', { orderId: order.id }));
  expect(previewed.state).toBe('previewed');
  const split = previewed.split!;
  expect(split.fundFen + split.accountFen + split.cashFen).toBe(order.totalFen);
  const settled = ok(await c.call<OrderView>('settleOrder', { orderId: order.id }));
  expect(settled.state).toBe(split.cashFen === 0 ? 'completed' : 'awaiting-payment');
  return settled;
}

function scanPaymentCode(authCode: string): Promise<string> {
  return scanWith(c, station.training!.scanner!, authCode);
}

describe('outpatient settlement', () => {
  it('an employee whose personal account covers the personal part is settled and confirmed with HIS at once', async () => {
    const settled = await settledOrder('310');
    expect(settled.split!.cashFen).toBe(0);
    expect(settled.split!.accountFen).toBeGreaterThan(0);
    expect(settled.state).toBe('completed');
    expect(station.training!.his.control.books().bookings).toMatchObject([{ orderNo: settled.hisOrderNo, cashFen: 0 }]);
    booksAgree();
  });

  it('HIS order → 2201/2204/2206 → 2207 → payment code → HIS confirm: every ledger agrees', async () => {
    const rig = station.training!;
    const settled = await settledOrder('390');
    expect(settled.state).toBe('awaiting-payment'); // resident insurance has no personal account: a cash share remains
    {
      const wallet = rig.payChannel.control.wallet({ channel: 'WECHAT', balanceFen: 1_000_000 });
      const scanId = await scanPaymentCode(wallet.authCode);
      const paid = ok(await c.call<OrderView>('payOrderByCode', { orderId: settled.id, scanId }));
      expect(paid.state).toBe('completed');
      expect(rig.payChannel.control.balance(wallet.authCode)).toBe(1_000_000 - settled.split!.cashFen);
    }
    const his = rig.his.control.settlements();
    expect(his).toHaveLength(1);
    expect(his[0]).toMatchObject({ medfee_fen: settled.totalFen });
    const centre = rig.centre.control.books();
    expect(centre.settlements.filter((x) => x.setl_id === settled.setlId)).toMatchObject([
      { state: 'settled', medfee_sumamt: settled.totalFen, psn_cash_pay: settled.split!.cashFen },
    ]);
    booksAgree();
  });

  it('the order keeps what the centre and HIS answered: the visit id, exact lines, and the 2204/2207 outputs for later slips (HX-05, HX-09, ZS-06)', async () => {
    const rig = station.training!;
    const patientId = rig.his.control.patients().find((p) => p.id_no === personOf('390').idNo)!.patient_id;
    // decimal quantities: half a box, one and a quarter bags
    const orderNo = rig.his.control.prescribe({
      patientId,
      prescriptions: [
        {
          lines: [
            { hospCode: 'Y0007', quantity: '0.5' },
            { hospCode: 'Y0006', quantity: '1.25' },
          ],
        },
      ],
    });
    const settled = await settledOrder('390', orderNo);
    expect(settled.totalFen).toBe(1_800 + 525);
    expect(settled.lines.map((l) => [l.name, l.quantity, l.unitPriceFen, l.amountFen])).toEqual([
      ['蒲地蓝消炎口服液', '0.5', 3_600, 1_800],
      ['氯化钠注射液', '1.25', 420, 525],
    ]);

    // Read back later from the file, as a reprint or an invoice would: a fresh connection and the data key.
    const db = new Database(path.join(dataDir, 'station.db'), { readonly: true });
    try {
      const stored = new OrdersRepo(db, new FieldCipher(loadOrCreateDataKeys(path.join(dataDir, 'keys')))).get(settled.id)!;
      const centre = rig.centre.control.books();
      const visit = centre.visits.find((v) => v.ipt_otp_no === orderNo)!;
      expect(stored.mdtrtId).toBe(visit.mdtrt_id);
      expect(stored.lines.map((l) => [l.medListCodg, l.quantity, l.amountFen])).toEqual([
        ['ZA04AAS0157010109527', '0.5', 1_800],
        ['XB05BBA001B002010100457', '1.25', 525],
      ]);
      const settlement = centre.settlements.find((x) => x.mdtrt_id === visit.mdtrt_id)!;
      const output = new OrdersRepo(db, new FieldCipher(loadOrCreateDataKeys(path.join(dataDir, 'keys')))).settlementOutput<{
        setlinfo: { setl_id: string; medfee_sumamt: number };
      }>(settled.id)!;
      expect(output.setlinfo.setl_id).toBe(settlement.setl_id);
      expect(output.setlinfo.medfee_sumamt).toBe(2_325); // kept as the station parsed it: fen
      const fees = db.prepare('SELECT fee_results_sealed AS s FROM outpatient_orders WHERE id = ?').get(settled.id) as { s: string };
      const feeResults = new FieldCipher(loadOrCreateDataKeys(path.join(dataDir, 'keys'))).openJson<{ result: { feedetl_sn: string }[] }>(
        fees.s,
      );
      expect(feeResults.result.map((r) => r.feedetl_sn)).toEqual(stored.lines.map((l) => l.feedetlSn));
    } finally {
      db.close();
    }
  });

  it('the patient leaves before paying: the cashier’s cancel undoes 2208 → 2205 → 2202 and the order can be settled again', async () => {
    const rig = station.training!;
    const settled = await settledOrder('390');
    expect(settled.state).toBe('awaiting-payment');
    const moves = rig.centre.control.messages().length;
    const cancelled = ok(await c.call<OrderView>('cancelOrderSettlement', { orderId: settled.id, reason: '患者未带钱' }));
    expect(cancelled).toMatchObject({ state: 'open', detail: expect.stringContaining('收费员撤销医保结算（患者未带钱）') });
    expect(
      rig.centre.control
        .messages()
        .slice(moves)
        .map((m) => m.infno)
        .filter((i) => i !== '9001'),
    ).toEqual(['2208', '2205', '5204', '2202', '5201']); // the empty-output cancels confirmed by the centre's queries
    const centre = rig.centre.control.books();
    expect(centre.settlements.filter((x) => x.setl_id === settled.setlId).map((x) => x.state)).toEqual(['cancelled']);
    expect(rig.his.control.books().bookings).toEqual([]);
    expect(rig.payChannel.control.books().trades).toEqual([]);
    booksAgree();

    // The same order, settled again from the start: a new visit, a new settlement.
    const again = ok(await c.call<OrderView>('preSettleOrder', { orderId: settled.id }));
    expect(again.state).toBe('previewed');
    const resettled = ok(await c.call<OrderView>('settleOrder', { orderId: settled.id }));
    expect(resettled.state).toBe('awaiting-payment');
    expect(resettled.setlId).toEqual(expect.any(String));
    expect(resettled.setlId).not.toBe(settled.setlId);
    const wallet = rig.payChannel.control.wallet({ channel: 'WECHAT', balanceFen: 1_000_000 });
    const paid = ok(await c.call<OrderView>('payOrderByCode', { orderId: settled.id, scanId: await scanPaymentCode(wallet.authCode) }));
    expect(paid.state).toBe('completed');
    booksAgree();
  });

  it('an overlong cancel reason is refused with a clear message, and nothing is cancelled', async () => {
    const settled = await settledOrder('390');
    const refused = await c.call<OrderView>('cancelOrderSettlement', { orderId: settled.id, reason: '很'.repeat(61) });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', message: expect.stringContaining('撤销原因不能超过 60 个字') },
    });
    expect(station.training!.centre.control.books().settlements.find((x) => x.setl_id === settled.setlId)?.state).not.toBe('cancelled');
  });

  it('an unpaid top-up window expires: the settlement (2208) and the registration (2202) are reversed, the order expired', async () => {
    // A station of its own with a short window, checked often (HX-32..35).
    const fastDir = fs.mkdtempSync(path.join(os.tmpdir(), 'station-expiry-'));
    const fast = await createStationFromConfig({
      dataDir: fastDir,
      training: true,
      shell: 'browser',
      kdfCost: { N: 2 ** 14, r: 8, p: 1 },
      nhsaTimeoutMs: 2000,
      payWindowMs: 300,
      sweepEveryMs: 100,
    });
    const fastHost = await startLoopbackHost({ core: fast.core, rendererDir: path.join(fastDir, 'none') });
    const fc = await connect(fastHost);
    try {
      expect((await fc.call('login', { login: 'sf001', password: TRAINING_PASSWORD })).ok).toBe(true);
      const previous = c;
      c = fc;
      const settled = await settledOrder('390').finally(() => (c = previous));
      expect(settled.state).toBe('awaiting-payment');
      const expired = await fc.nextEvent<OrderView>('orderUpdated', (o) => o.id === settled.id && o.state === 'expired', 15_000);
      expect(expired.state).toBe('expired');
      // nothing left anywhere: the settlement cancelled, the fee batch and the visit too, no booking, no money
      booksAgree(fast, fastDir);
      const centre = fast.training!.centre.control.books();
      expect(centre.settlements.map((x) => x.state)).toEqual(['cancelled']);
      expect(centre.visits.filter((v) => v.ipt_otp_no === settled.hisOrderNo).map((v) => v.state)).toEqual(['cancelled']);
    } finally {
      fc.close();
      await fastHost.close();
      await fast.close();
      fs.rmSync(fastDir, { recursive: true, force: true });
    }
  });

  it('killed while HIS books the order: on restart the outbox finds the booking at HIS and completes the order with it', async () => {
    const rig = station.training!;
    const settled = await settledOrder('390');
    const wallet = rig.payChannel.control.wallet({ channel: 'WECHAT', balanceFen: 1_000_000 });
    const scanId = await scanPaymentCode(wallet.authCode);
    expect(ok(await c.call<OrderView>('payOrderByCode', { orderId: settled.id, scanId })).state).toBe('completed');
    // The crash: HIS booked it, the station died before recording the answer. The booking's final state and the
    // order's completion are one transaction, so what is left is the state before both: the order waiting for its
    // booking, the booking's intent written but unanswered.
    c.close();
    await host.close();
    await station.close();
    const db = new Database(path.join(dataDir, 'station.db'));
    const booking = db.prepare(`SELECT id FROM intents WHERE kind = 'his.confirm' AND order_id = ?`).get(settled.id) as { id: string };
    db.prepare(`DELETE FROM intent_transitions WHERE intent_id = ? AND to_state <> 'prepared'`).run(booking.id);
    db.prepare(`UPDATE intents SET state = 'prepared', result = NULL WHERE id = ?`).run(booking.id);
    // The booking's ledger event was written in that same transaction, so before it there was none either (the
    // station never deletes an event: the test lifts the guard for this one row).
    db.exec(`DROP TRIGGER ledger_events_kept`);
    db.prepare(`DELETE FROM ledger_events WHERE event_id = ?`).run(booking.id);
    db.exec(
      `CREATE TRIGGER ledger_events_kept BEFORE DELETE ON ledger_events BEGIN SELECT RAISE(ABORT, 'ledger events are never deleted'); END`,
    );
    db.prepare(`UPDATE outpatient_orders SET state = 'awaiting-payment', completed_at = NULL WHERE id = ?`).run(settled.id);
    db.close();

    station = await createStationFromConfig({
      dataDir,
      training: true,
      shell: 'browser',
      kdfCost: { N: 2 ** 14, r: 8, p: 1 },
      nhsaTimeoutMs: 2000,
    });
    host = await startLoopbackHost({ core: station.core, rendererDir: path.join(dataDir, 'none') });
    c = await connect(host);
    // Recovery runs at the start, maybe before this client connected: look at the file until it is done (the
    // test's own timeout bounds the wait).
    for (;;) {
      const check = new Database(path.join(dataDir, 'station.db'), { readonly: true });
      const row = check.prepare('SELECT state FROM outpatient_orders WHERE id = ?').get(settled.id) as { state: string };
      check.close();
      if (row.state === 'completed') break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(station.training!.his.control.books().bookings).toHaveLength(1);
    booksAgree();
  });

  it('the payment answer is lost: the order is in doubt, the outbox finds it paid and completes it with HIS', async () => {
    const rig = station.training!;
    const settled = await settledOrder('390');
    expect(settled.state).toBe('awaiting-payment');
    const wallet = rig.payChannel.control.wallet({ channel: 'ALIPAY', balanceFen: 1_000_000 });
    rig.payChannel.control.inject({ op: 'micropay', fault: { kind: 'drop-response' }, times: 1 });
    const scanId = await scanPaymentCode(wallet.authCode);
    const inDoubt = ok(await c.call<OrderView>('payOrderByCode', { orderId: settled.id, scanId }));
    expect(inDoubt.state).toBe('in-doubt');
    const done = await c.nextEvent<OrderView>('orderUpdated', (o) => o.id === settled.id && o.state === 'completed', 15_000);
    expect(done.state).toBe('completed');
    // charged exactly once
    expect(rig.payChannel.control.balance(wallet.authCode)).toBe(1_000_000 - settled.split!.cashFen);
    expect(rig.his.control.books().bookings).toHaveLength(1);
    booksAgree();
  });
});
