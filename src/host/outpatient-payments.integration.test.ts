/**
 * The self-pay share and what follows a settlement (HX-20..28, HX-32): the QR on the screen, a failed payment
 * undoing the insurance part by itself, self-pay-only orders, HIS's details, the patient's message, the slip,
 * and HIS orders that change on their own. Every part real, as in outpatient.integration.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import Database from 'better-sqlite3';
import path from 'node:path';
import type { OrderView, PatientView, ReceiptView } from '../shared/domain';
import { idNumberCheckChar } from '../shared/id-number';
import { POPULATION } from '../simulators/nhsa';
import {
  centreInfnos,
  ok,
  openOrder,
  scanCode,
  settle,
  startOutpatientHarness,
  type OutpatientHarness,
} from '../../test/harness/outpatient-harness';
import { bookViolations } from '../../test/harness/station-orders';

let h: OutpatientHarness;
beforeEach(async () => {
  h = await startOutpatientHarness({ qr: { ttlMs: 60_000, pollEveryMs: 100 }, sweepEveryMs: 200 });
});
afterEach(async () => {
  await h.close();
});

/** Every book on its own (the centre's, HIS's, the platform's) agrees with the station's orders, once they are at rest. */
function booksAgree(on: OutpatientHarness = h): void {
  expect(bookViolations(on.dataDir, on.station.training!)).toEqual([]);
}

const waitFor = (orderId: string, state: OrderView['state'], ms = 15_000) =>
  h.c.nextEvent<OrderView>('orderUpdated', (o) => o.id === orderId && o.state === state, ms);

describe('self-pay share', () => {
  it('a refused payment code undoes the insurance part (2208 → 2205 → 2202); the order is settled afresh and paid', async () => {
    const rig = h.station.training!;
    const order = await openOrder(h.c, '390');
    const settled = await settle(h.c, order.id);
    expect(settled.state).toBe('awaiting-payment');
    const poor = rig.payChannel.control.wallet({ channel: 'WECHAT', balanceFen: 1 });
    const after = ok(await h.c.call<OrderView>('payOrderByCode', { orderId: order.id, scanId: await scanCode(h, poor.authCode) }));
    expect(after.state).toBe('open');
    expect(after.setlId).toBeNull();
    expect(after.detail).toMatch(/付款失败.*已自动撤销/);
    // 2208 answers the settlement it cancelled; 2205 and 2202 answer nothing, so 5204 and 5201 confirm them.
    expect(centreInfnos(h).slice(-5)).toEqual(['2208', '2205', '5204', '2202', '5201']);

    const again = await settle(h.c, order.id);
    expect(again.state).toBe('awaiting-payment');
    expect(again.setlId).not.toBe(settled.setlId);
    const rich = rig.payChannel.control.wallet({ channel: 'ALIPAY', balanceFen: 1_000_000 });
    const paid = ok(await h.c.call<OrderView>('payOrderByCode', { orderId: order.id, scanId: await scanCode(h, rich.authCode) }));
    expect(paid.state).toBe('completed');
    expect(rig.payChannel.control.balance(poor.authCode)).toBe(1);
    expect(rig.payChannel.control.balance(rich.authCode)).toBe(1_000_000 - again.split!.cashFen);
    const booked = rig.his.control.settlements();
    expect(booked).toHaveLength(1);
    expect(booked[0]).toMatchObject({ setl_id: again.setlId, state: 'settled' });
    expect(centreInfnos(h).filter((i) => i === '2207')).toHaveLength(2);
    booksAgree();
  });

  it('QR on the screen (HX-22): the patient scans and pays, the poll finds it (HX-24), HIS books it, details and message follow', async () => {
    const rig = h.station.training!;
    const order = await openOrder(h.c, '390');
    const settled = await settle(h.c, order.id);
    const shown = ok(await h.c.call<OrderView>('payOrderByQr', { orderId: order.id }));
    expect(shown.state).toBe('awaiting-payment');
    const qr = shown.payments.find((p) => p.mode === 'precreate')!;
    expect(qr).toMatchObject({ state: 'pending', amountFen: settled.split!.cashFen });
    expect(qr.qrCode).toMatch(/^(weixin|https?):/);
    expect(Date.parse(qr.expiresAt!)).toBeGreaterThan(Date.now());
    expect(ok(await h.c.call<{ inDoubt: number }>('outboxSummary', {})).inDoubt).toBe(0); // waiting for a patient is not "in doubt"
    // Another payment while the QR is shown is refused with the reason.
    const busy = await h.c.call('payOrderByCode', { orderId: order.id, scanId: crypto.randomUUID() });
    expect(busy.ok).toBe(false);

    const wallet = rig.payChannel.control.wallet({ channel: 'WECHAT', balanceFen: 1_000_000 });
    expect(rig.payChannel.control.payQr(qr.qrCode!, wallet.authCode)).toMatchObject({ paid: true });
    const done = await waitFor(order.id, 'completed');
    expect(done.payments.find((p) => p.mode === 'precreate')).toMatchObject({ state: 'paid', wallet: 'wechat', qrCode: null });
    expect(rig.his.control.settlements()).toHaveLength(1);

    // HX-25: HIS's booking with its numbers; HX-27: the payer's phone has the message once.
    const withDetails = await h.c.nextEvent<OrderView>(
      'orderUpdated',
      (o) => o.id === order.id && o.his !== null && o.push === 'sent',
      10_000,
    );
    expect(withDetails.his!.hisSettleNo).not.toBe('');
    const inbox = rig.messages.control.inbox(wallet.payerId);
    expect(inbox).toHaveLength(1);
    expect(inbox[0]!.data).toMatchObject({ order_no: order.hisOrderNo });
    expect(JSON.stringify(inbox[0])).not.toContain(done.patientName); // the name is masked on a lock screen

    // The slip: the split adds up, the payment is on it.
    const slip = ok(await h.c.call<ReceiptView>('getReceipt', { orderId: order.id }));
    expect(slip.fundFen + slip.accountFen + slip.cashFen).toBe(slip.totalFen);
    expect(slip.payments).toHaveLength(1);
    expect(slip.hisSettleNo).toBe(withDetails.his!.hisSettleNo);
    expect(ok(await h.c.call<OrderView[]>('listTodayOrders', {})).map((o) => o.id)).toContain(order.id);
    booksAgree();
  });

  it('a QR paid just before the station stopped is booked after the restart: no second QR, no second charge', async () => {
    // A station of its own whose QR poll would not look for minutes: the restart's recovery must find it.
    const slow = await startOutpatientHarness({ qr: { ttlMs: 60_000, pollEveryMs: 600_000 } });
    try {
      const order = await openOrder(slow.c, '390');
      const settled = await settle(slow.c, order.id);
      const qr = ok(await slow.c.call<OrderView>('payOrderByQr', { orderId: order.id })).payments.find((p) => p.mode === 'precreate')!;
      const pay = () => slow.station.training!.payChannel.control;
      const wallet = pay().wallet({ channel: 'ALIPAY', balanceFen: 1_000_000 });
      expect(pay().payQr(qr.qrCode!, wallet.authCode)).toMatchObject({ paid: true });
      await slow.restart(() => {
        // The crash: the resolver committed the payment as final, the saga's next step (HIS booking) never ran.
        const db = new Database(path.join(slow.dataDir, 'station.db'));
        db.prepare(`UPDATE intents SET state = 'succeeded' WHERE kind = 'pay.qr' AND order_id = ?`).run(order.id);
        db.prepare(`UPDATE payments SET state = 'paid', channel = 'alipay' WHERE out_trade_no = ?`).run(qr.outTradeNo);
        db.close();
      });
      // Nobody may take a second payment meanwhile; the restart books the one there is.
      // Whether the recovery has booked it yet (completed), is booking it (the order locked) or not (a paid QR on
      // file), a second QR is refused — in words that depend on that moment; the platform's books say it all.
      const again = await slow.c.call('payOrderByQr', { orderId: order.id });
      expect(again.ok).toBe(false);
      const his = () => slow.station.training!.his.control.books().bookings;
      while (his().length === 0) await new Promise((r) => setTimeout(r, 50)); // bounded by the test's timeout
      expect(his()).toHaveLength(1);
      expect(pay().balance(wallet.authCode)).toBe(1_000_000 - settled.split!.cashFen);
      // one trade at the platform, the paid one: no second QR was ever created
      expect(
        pay()
          .trades()
          .map((t) => t.state),
      ).toEqual(['SUCCESS']);
      const stateOf = () => {
        const db = new Database(path.join(slow.dataDir, 'station.db'), { readonly: true });
        try {
          return (db.prepare('SELECT state FROM outpatient_orders WHERE id = ?').get(order.id) as { state: string }).state;
        } finally {
          db.close();
        }
      };
      while (stateOf() !== 'completed') await new Promise((r) => setTimeout(r, 50)); // bounded by the test's timeout
      booksAgree(slow);
    } finally {
      await slow.close();
    }
  });

  it('a restart books an order with nothing to pay whose 2207 was the last thing done before the stop', async () => {
    const slow = await startOutpatientHarness();
    try {
      // HIS hears nothing this time: the booking stays in doubt, and the crash below takes even its intent away.
      slow.station.training!.his.control.inject({ op: 'settle.confirm', fault: { kind: 'drop-request' }, times: 50 });
      const order = await openOrder(slow.c, '310');
      const settled = await settle(slow.c, order.id);
      expect(settled.split!.cashFen).toBe(0);
      await slow.restart(() => {
        // The crash: 2207 committed and the order marked settled; the HIS booking's intent was never written.
        const db = new Database(path.join(slow.dataDir, 'station.db'));
        const his = db.prepare(`SELECT id FROM intents WHERE kind = 'his.confirm' AND order_id = ?`).all(order.id) as { id: string }[];
        for (const { id } of his) {
          db.prepare('DELETE FROM intent_transitions WHERE intent_id = ?').run(id);
          db.prepare('DELETE FROM intents WHERE id = ?').run(id);
        }
        db.prepare(`UPDATE outpatient_orders SET state = 'insurance-settled', detail = '' WHERE id = ?`).run(order.id);
        db.close();
      });
      const booked = () => slow.station.training!.his.control.settlements();
      const deadline = Date.now() + 10_000;
      while (booked().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(booked()).toEqual([expect.objectContaining({ order_no: order.hisOrderNo, setl_id: settled.setlId, state: 'settled' })]);
    } finally {
      await slow.close();
    }
    booksAgree();
  });

  it('the cashier closes the QR: nothing was paid, the insurance part is undone automatically (HX-28)', async () => {
    const rig = h.station.training!;
    const order = await openOrder(h.c, '390');
    await settle(h.c, order.id);
    const shown = ok(await h.c.call<OrderView>('payOrderByQr', { orderId: order.id, wallet: 'alipay' }));
    const qr = shown.payments.find((p) => p.mode === 'precreate')!;
    ok(await h.c.call<OrderView>('cancelOrderPayment', { orderId: order.id }));
    const open = await waitFor(order.id, 'open');
    expect(open.detail).toMatch(/二维码未付款已关闭.*已自动撤销/);
    expect(open.payments.find((p) => p.outTradeNo === qr.outTradeNo)!.state).toBe('closed');
    // A patient scanning the old QR now cannot pay it.
    const wallet = rig.payChannel.control.wallet({ channel: 'ALIPAY', balanceFen: 1_000_000 });
    expect(rig.payChannel.control.payQr(qr.qrCode!, wallet.authCode)).toMatchObject({ paid: false });
    // 2208 answers the settlement it cancelled; 2205 and 2202 answer nothing, so 5204 and 5201 confirm them.
    expect(centreInfnos(h).slice(-5)).toEqual(['2208', '2205', '5204', '2202', '5201']);
    expect(rig.his.control.settlements()).toHaveLength(0);
    booksAgree();
  });

  it('self-pay only (HX-20/21): an uninsured patient by hospital card; nothing goes to the centre, HIS books it as self-pay', async () => {
    const rig = h.station.training!;
    const before = centreInfnos(h).length;
    const uninsured = rig.his.control.patients().find((p) => p.psn_no === null)!;
    const scanId = await scanCode(h, uninsured.card_no);
    const patient = ok(await h.c.call<PatientView>('identifyPatient', { method: 'scan', scanId }));
    expect(patient).toMatchObject({ name: uninsured.name, uninsured: true, insurances: [] });
    const order = ok(await h.c.call<OrderView[]>('listOrders', { identificationId: patient.identificationId }))[0]!;
    const insuranceRefused = await h.c.call('preSettleOrder', { orderId: order.id });
    expect(insuranceRefused).toMatchObject({ ok: false, error: { code: 'NOT_INSURED', message: expect.stringContaining('只能自费结算') } });
    const due = ok(await h.c.call<OrderView>('selfPayOrder', { orderId: order.id }));
    expect(due).toMatchObject({ state: 'awaiting-payment', settleMode: 'self-pay' });
    expect(due.split).toMatchObject({ totalFen: order.totalFen, cashFen: order.totalFen, fundFen: 0, accountFen: 0 });
    const wallet = rig.payChannel.control.wallet({ channel: 'WECHAT', balanceFen: 10 * order.totalFen });
    const paid = ok(await h.c.call<OrderView>('payOrderByCode', { orderId: order.id, scanId: await scanCode(h, wallet.authCode) }));
    expect(paid.state).toBe('completed');
    expect(rig.payChannel.control.balance(wallet.authCode)).toBe(9 * order.totalFen);
    expect(rig.his.control.settlements()).toEqual([
      expect.objectContaining({ kind: 'selfpay', order_no: order.hisOrderNo, state: 'settled' }),
    ]);
    expect(centreInfnos(h).length).toBe(before); // no 2201/2204/2207 for a self-pay order
    const slip = ok(await h.c.call<ReceiptView>('getReceipt', { orderId: order.id }));
    expect(slip).toMatchObject({
      title: '门诊自费结算单',
      cashFen: order.totalFen,
      setlId: null,
      supplementaryCumulativeDeductibleFen: null,
    });
    // The PDF slip, printed by the system Chromium into the station's data directory.
    const pdf = ok(await h.c.call<{ path: string; bytes: number; fileName: string }>('exportReceiptPdf', { orderId: order.id }));
    expect(pdf.path.startsWith(path.join(h.dataDir, 'receipts'))).toBe(true);
    expect(fs.readFileSync(pdf.path).subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.bytes).toBe(fs.statSync(pdf.path).size);
    booksAgree();
  });

  it('a valid ID number the centre does not know is PATIENT_NOT_FOUND, not a generic refusal (issue 12, item 2)', async () => {
    const first17 = '35020319870615123';
    const stranger = first17 + idNumberCheckChar(first17);
    expect(POPULATION.some((p) => p.idNo === stranger)).toBe(false);
    expect(await h.c.call('identifyPatient', { method: 'idcard', certNo: stranger })).toMatchObject({
      ok: false,
      error: { code: 'PATIENT_NOT_FOUND', message: expect.stringContaining('未查询到人员参保信息') },
    });
  });

  it('HX-11/12: a suspended scheme fails the 2001 check before anything is registered; the patient pays as self-pay', async () => {
    const suspended = POPULATION.find((p) => p.insurances[0]?.insuplcAdmdvs === '350200' && p.insurances[0]?.psnInsuStas !== '1')!;
    const patient = ok(await h.c.call<PatientView>('identifyPatient', { method: 'idcard', certNo: suspended.idNo }));
    const order = ok(await h.c.call<OrderView[]>('listOrders', { identificationId: patient.identificationId }))[0]!;
    const refused = await h.c.call('preSettleOrder', { orderId: order.id });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'NO_BENEFITS', message: expect.stringMatching(/不享受医保待遇.*自费/) },
    });
    expect(centreInfnos(h)).toContain('2001');
    expect(centreInfnos(h)).not.toContain('2201');
    expect(ok(await h.c.call<OrderView>('selfPayOrder', { orderId: order.id })).state).toBe('awaiting-payment');
    booksAgree();
  });

  it('HX-32: HIS withdraws a pre-settled order; the station stops offering it and undoes its registration and fees', async () => {
    const rig = h.station.training!;
    const order = await openOrder(h.c, '390');
    ok(await h.c.call<OrderView>('preSettleOrder', { orderId: order.id }));
    rig.his.control.expire(order.hisOrderNo);
    const gone = await waitFor(order.id, 'expired');
    expect(gone.detail).toMatch(/HIS：处方已过期/);
    expect(centreInfnos(h).slice(-4)).toEqual(['2205', '5204', '2202', '5201']);
    const refused = await h.c.call('settleOrder', { orderId: order.id });
    expect(refused.ok).toBe(false);
    booksAgree();
  });
});
