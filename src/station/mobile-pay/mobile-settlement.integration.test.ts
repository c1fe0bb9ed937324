// MobileSettlement against the simulated mobile-payment centre over real HTTP on 127.0.0.1, with the station's
// real SQLite file and outbox, the centre's callbacks POSTed to a real HTTP server in front of onNotify. Every
// outcome is checked against the centre's own ledger: what it settled, refunded and took from the wallet.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mobilePayTestChannel } from '../../../test/harness/mobile-pay-channel';
import { type MobilePayClient } from '../../insurance/mobile-pay';
import type { MobilePrepareInput } from '../../shared/mobile-pay';
import { startMobilePayCentre, type MobilePayCentre } from '../../simulators/mobile-pay';
import { POPULATION } from '../../simulators/nhsa';
import { MOVEMENT_KINDS } from '../movements';
import { IntentsRepo, Outbox, type OutboxPolicy } from '../outbox';
import { FieldCipher, loadOrCreateDataKeys } from '../security';
import { openDatabase, type Db } from '../store';
import { MobileOrdersRepo, MobileSettlement, mobileMovements, newMobileId } from '.';

const channel = mobilePayTestChannel();
const PATIENT = POPULATION[0]!;
const WALLET = 500_000;

let dir: string;
let db: Db;
let sim: MobilePayCentre;
let hook: http.Server;
let gate: Promise<void>;
let openGate: () => void;
let notified: { code: number }[];
let station: {
  outbox: Outbox;
  settlement: MobileSettlement;
  orders: MobileOrdersRepo;
  repo: IntentsRepo;
  client: MobilePayClient;
  finished: string[];
};

function buildStation(policy: Partial<OutboxPolicy> = {}) {
  const cipher = new FieldCipher(loadOrCreateDataKeys(path.join(dir, 'keys')));
  const repo = new IntentsRepo(db, cipher);
  const orders = new MobileOrdersRepo(db, cipher);
  const client = channel.client(sim.url, 2000);
  const now = () => new Date();
  const finished: string[] = [];
  const outbox = new Outbox(db, repo, mobileMovements({ client, orders, now, newId: newMobileId }), {
    now,
    policy: { backoffBaseMs: 10, backoffMaxMs: 10, settleTimeMs: 0, ...policy },
    events: { finished: (i) => finished.push(`${i.kind}:${i.final}`) },
  });
  const settlement = new MobileSettlement({ db, orders, outbox, client, now });
  return { outbox, settlement, orders, repo, client, finished };
}

async function startCentre(): Promise<void> {
  const { port } = hook.address() as AddressInfo;
  sim = await startMobilePayCentre({
    dbPath: path.join(dir, 'centre.db'),
    ...channel.centre,
    notifyUrl: `http://127.0.0.1:${port}/mobile-pay/notify`,
  });
}

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mobile-pay-'));
  db = openDatabase(path.join(dir, 'station.db'));
  notified = [];
  gate = Promise.resolve();
  openGate = () => undefined;
  hook = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void gate
        .then(() => station.settlement.onNotify(JSON.parse(Buffer.concat(chunks).toString('utf8'))))
        .then((answer) => {
          notified.push(answer);
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
        });
    });
  });
  await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
  await startCentre();
  station = buildStation();
  station.outbox.start();
});

afterEach(async () => {
  await station.outbox.stop();
  await sim.close();
  hook.closeAllConnections();
  await new Promise((resolve) => hook.close(resolve));
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function bill(orderId: string, payAuthNo: string): MobilePrepareInput {
  return {
    orderId,
    kind: 'inpatient',
    visitNo: 'ZY20261201',
    payAuthNo,
    patient: { idNo: PATIENT.idNo, idType: '01', name: PATIENT.name, psnNo: PATIENT.psnNo, insutype: '310' },
    medType: '21',
    deptCode: 'A03',
    deptName: '内科',
    begntime: '2026-12-01 08:00:00',
    lines: [
      { feedetlSn: '1', medListCodg: 'XJ01CAA040A001010100005', medinsListCodg: 'YP001', cnt: '40', pric: '20.00', amountFen: 80_000 },
      { feedetlSn: '2', medListCodg: '002501000010000', medinsListCodg: 'JC001', cnt: '10', pric: '20.00', amountFen: 20_000 },
      { feedetlSn: '3', medListCodg: 'XJ01DCC047A001010102934', medinsListCodg: 'YP002', cnt: '10', pric: '30.00', amountFen: 30_000 },
    ],
  };
}

/** Resolves when the centre's callback for this order was acknowledged (its ledger says so). */
function callbackAcked(payOrdId: string): Promise<void> {
  return new Promise((resolve) => {
    const look = () => (sim.control.ledger.callback(payOrdId)?.state === 'acked' ? resolve() : setImmediate(look));
    look();
  });
}

/** Resolves when the outbox has finished a movement of this kind (the resolver's work, not run()'s). */
function finishedOnce(entry: string): Promise<void> {
  return new Promise((resolve) => {
    const look = () => (station.finished.includes(entry) ? resolve() : setImmediate(look));
    look();
  });
}

const requests = (op: string) => sim.control.requests.filter((r) => r.op === op).length;
const wallet = (payAuthNo: string) => sim.control.ledger.auth(payAuthNo)!.wallet_fen;

async function preparedOrder(orderId: string) {
  const payAuthNo = sim.control.authorise(PATIENT.idNo, WALLET);
  const prepared = await station.settlement.prepare(bill(orderId, payAuthNo));
  return { payAuthNo, prepared };
}

describe('mobile settlement — happy path', () => {
  it('prepares, pays, is called back once and refunds; the station and the centre agree at each step', async () => {
    const { payAuthNo, prepared } = await preparedOrder('MP1');
    expect(prepared).toMatchObject({ state: 'uploaded', inDoubt: false, medfeeFen: 130_000 });
    expect(prepared.fundFen! + prepared.acctFen! + prepared.ownFen!).toBe(130_000);
    const centre = sim.control.ledger.order(prepared.payOrdId!)!;
    expect([centre.fund_pay, centre.psn_acct_pay, centre.own_pay_amt]).toEqual([prepared.fundFen, prepared.acctFen, prepared.ownFen]);

    const paid = await station.settlement.pay({ orderId: 'MP1' });
    expect(paid).toMatchObject({ state: 'paid', inDoubt: false, fundFen: centre.fund_pay });
    await callbackAcked(prepared.payOrdId!);
    expect(wallet(payAuthNo)).toBe(WALLET - paid.ownFen!);
    expect(sim.control.ledger.order(prepared.payOrdId!)!.ord_stas).toBe('4');
    expect(station.orders.bookings('MP1')).toEqual([{ effect: 'paid', source: 'answer' }]);

    // Paying again answers the order as it stands.
    expect(await station.settlement.pay({ orderId: 'MP1' })).toMatchObject({ state: 'paid' });
    expect(requests('pay_order')).toBe(1);

    const refunded = await station.settlement.refund({ orderId: 'MP1' });
    expect(refunded.state).toBe('refunded');
    expect(sim.control.ledger.refunds()).toEqual([expect.objectContaining({ app_refd_sn: 'MP1R', totl_fen: 130_000 })]);
    expect(wallet(payAuthNo)).toBe(WALLET);
    expect(station.orders.bookings('MP1').map((b) => b.effect)).toEqual(['paid', 'refunded']);
  });

  it('cancels an unpaid upload (6401) and the centre holds it cancelled', async () => {
    const { prepared } = await preparedOrder('MP2');
    expect(await station.settlement.cancel({ orderId: 'MP2' })).toMatchObject({ state: 'cancelled' });
    expect(sim.control.ledger.order(prepared.payOrdId!)!.ord_stas).toBe('7');
  });
});

describe('mobile settlement — lost answers', () => {
  it('a lost 6201 is asked by uploading again under the same number: one order at the centre', async () => {
    sim.control.inject({ op: 'uldFeeInfo', fault: { kind: 'drop-response' }, times: 1 });
    const payAuthNo = sim.control.authorise(PATIENT.idNo, WALLET);
    const first = await station.settlement.prepare(bill('MP3', payAuthNo));
    expect(first).toMatchObject({ state: 'uploading', inDoubt: true });
    await finishedOnce(`${MOVEMENT_KINDS.mobileUpload}:succeeded`);
    const view = station.settlement.query({ orderId: 'MP3' });
    expect(view).toMatchObject({ state: 'uploaded', inDoubt: false });
    expect(sim.control.ledger.orders().map((o) => o.pay_ord_id)).toEqual([view.payOrdId]);
  });

  it('a lost 6202 is settled by 6301 and never paid twice', async () => {
    const { payAuthNo, prepared } = await preparedOrder('MP4');
    sim.control.inject({ op: 'pay_order', fault: { kind: 'drop-response' }, times: 1 });
    const first = await station.settlement.pay({ orderId: 'MP4' });
    expect(first).toMatchObject({ state: 'paying', inDoubt: true });
    await finishedOnce(`${MOVEMENT_KINDS.mobilePay}:succeeded`);
    expect(station.settlement.query({ orderId: 'MP4' })).toMatchObject({ state: 'paid', inDoubt: false });
    expect(requests('pay_order')).toBe(1);
    expect(wallet(payAuthNo)).toBe(WALLET - sim.control.ledger.order(prepared.payOrdId!)!.own_pay_amt);
    await callbackAcked(prepared.payOrdId!);
    expect(station.orders.bookings('MP4')).toHaveLength(1);
  });

  it('a 6202 in doubt whose look-ups fail past the short query window is asked again, never handed to a person', async () => {
    await station.outbox.stop();
    station = buildStation({ queryWindowMs: 0 }); // every look-up is already past the outbox's short window
    station.outbox.start();
    const { payAuthNo, prepared } = await preparedOrder('MP11');
    sim.control.inject({ op: 'pay_order', fault: { kind: 'drop-response' }, times: 1 });
    sim.control.inject({ op: 'query_order_info', fault: { kind: 'http-500' }, times: 2 });
    sim.control.inject({ op: 'notify', fault: { kind: 'notify-lost' }, times: 100 });
    expect(await station.settlement.pay({ orderId: 'MP11' })).toMatchObject({ state: 'paying', inDoubt: true });
    for (let i = 0; i < 6 && !station.finished.includes(`${MOVEMENT_KINDS.mobilePay}:succeeded`); i++) {
      station.outbox.resolveOrderNow('MP11');
      await station.outbox.resolveNow();
    }
    expect(station.finished).toEqual([`${MOVEMENT_KINDS.mobilePay}:succeeded`]);
    expect(station.settlement.query({ orderId: 'MP11' })).toMatchObject({ state: 'paid', inDoubt: false });
    expect(requests('pay_order')).toBe(1);
    expect(wallet(payAuthNo)).toBe(WALLET - sim.control.ledger.order(prepared.payOrdId!)!.own_pay_amt);
  });

  it('a 6202 that never arrived is found unpaid by 6301; the patient pays again, once', async () => {
    const { payAuthNo } = await preparedOrder('MP5');
    sim.control.inject({ op: 'pay_order', fault: { kind: 'drop-request' }, times: 1 });
    await station.settlement.pay({ orderId: 'MP5' });
    await finishedOnce(`${MOVEMENT_KINDS.mobilePay}:failed`);
    expect(station.settlement.query({ orderId: 'MP5' })).toMatchObject({ state: 'uploaded', inDoubt: false });
    expect(wallet(payAuthNo)).toBe(WALLET);
    const paid = await station.settlement.pay({ orderId: 'MP5' });
    expect(paid.state).toBe('paid');
    expect(wallet(payAuthNo)).toBe(WALLET - paid.ownFen!);
  });

  it('a 6202 answered after the station gave up waiting is settled by 6301; a gateway 500 leaves it unpaid', async () => {
    const { payAuthNo } = await preparedOrder('MP12');
    sim.control.inject({ op: 'pay_order', fault: { kind: 'delay', ms: 2500 }, times: 1 });
    expect(await station.settlement.pay({ orderId: 'MP12' })).toMatchObject({ state: 'paying', inDoubt: true });
    await finishedOnce(`${MOVEMENT_KINDS.mobilePay}:succeeded`);
    const paid = station.settlement.query({ orderId: 'MP12' });
    expect(paid).toMatchObject({ state: 'paid', inDoubt: false });
    expect(wallet(payAuthNo)).toBe(WALLET - paid.ownFen!);

    await preparedOrder('MP13');
    sim.control.inject({ op: 'pay_order', fault: { kind: 'http-500' }, times: 1 });
    await station.settlement.pay({ orderId: 'MP13' });
    await finishedOnce(`${MOVEMENT_KINDS.mobilePay}:failed`);
    expect(station.settlement.query({ orderId: 'MP13' })).toMatchObject({ state: 'uploaded', inDoubt: false });
  });

  it('a lost 6203 is asked by 6301: one refund at the centre', async () => {
    const { payAuthNo } = await preparedOrder('MP6');
    await station.settlement.pay({ orderId: 'MP6' });
    sim.control.inject({ op: 'refund_Order', fault: { kind: 'drop-response' }, times: 1 });
    expect(await station.settlement.refund({ orderId: 'MP6' })).toMatchObject({ state: 'refunding', inDoubt: true });
    // Asked again while it is in doubt (the phone reading its result): the refund in flight, not a refusal, not a second one.
    expect(await station.settlement.refund({ orderId: 'MP6' })).toMatchObject({ state: 'refunding', inDoubt: true });
    await finishedOnce(`${MOVEMENT_KINDS.mobileRefund}:succeeded`);
    expect(station.settlement.query({ orderId: 'MP6' })).toMatchObject({ state: 'refunded' });
    expect(sim.control.ledger.refunds()).toHaveLength(1);
    expect(wallet(payAuthNo)).toBe(WALLET);
  });
});

describe('mobile settlement — callbacks', () => {
  it('duplicated and late callbacks are acknowledged and book nothing twice', async () => {
    sim.control.inject({ op: 'notify', fault: { kind: 'duplicate-notify' }, times: 1 });
    const { prepared } = await preparedOrder('MP7');
    await station.settlement.pay({ orderId: 'MP7' });
    await callbackAcked(prepared.payOrdId!);
    expect(await sim.control.replay(prepared.payOrdId!)).toBe(true); // a late one, after the acknowledgement
    expect(sim.control.ledger.callback(prepared.payOrdId!)!.deliveries).toBe(2);
    expect(notified).toEqual([
      expect.objectContaining({ code: 0 }),
      expect.objectContaining({ code: 0 }),
      expect.objectContaining({ code: 0 }),
    ]);
    expect(station.orders.bookings('MP7')).toEqual([{ effect: 'paid', source: 'answer' }]);
  });

  it('a callback makes the station look now at a 6202 it is in doubt about', async () => {
    await station.outbox.stop();
    station = buildStation({ backoffBaseMs: 600_000, backoffMaxMs: 600_000 });
    station.outbox.start();
    gate = new Promise((resolve) => (openGate = resolve));
    const { prepared } = await preparedOrder('MP8');
    sim.control.inject({ op: 'pay_order', fault: { kind: 'drop-response' }, times: 1 });
    sim.control.inject({ op: 'query_order_info', fault: { kind: 'system-error' }, times: 1 });
    await station.settlement.pay({ orderId: 'MP8' });
    await station.outbox.resolveNow();
    // The one look the resolver took found the centre busy; its next is ten minutes away.
    expect(station.settlement.query({ orderId: 'MP8' })).toMatchObject({ state: 'paying', inDoubt: true });
    openGate();
    await finishedOnce(`${MOVEMENT_KINDS.mobilePay}:succeeded`);
    await callbackAcked(prepared.payOrdId!);
    expect(station.settlement.query({ orderId: 'MP8' })).toMatchObject({ state: 'paid', inDoubt: false });
    expect(station.orders.bookings('MP8')).toEqual([{ effect: 'paid', source: 'resolver' }]);
    expect(requests('pay_order')).toBe(1);
  });

  it('a callback for a bill the patient paid outside the station (its 6202 refused) books it, after 6301 agrees', async () => {
    const { payAuthNo, prepared } = await preparedOrder('MP9');
    sim.control.inject({ op: 'pay_order', fault: { kind: 'refuse', code: '3009', msg: '请在手机上完成支付' }, times: 1 });
    expect(await station.settlement.pay({ orderId: 'MP9' })).toMatchObject({ state: 'uploaded', detail: '3009 请在手机上完成支付' });
    // The patient pays in the NHSA app: the centre settles the order by itself and calls back.
    const row = sim.control.ledger.order(prepared.payOrdId!)!;
    const phone = await station.client.pay({
      payAuthNo,
      payOrdId: row.pay_ord_id,
      payToken: row.pay_token,
      mdtrtId: row.mdtrt_id,
      chrgBchno: 'MP9',
      acctUsedFlag: '1',
    });
    expect(phone.kind).toBe('ok');
    await callbackAcked(prepared.payOrdId!);
    expect(station.settlement.query({ orderId: 'MP9' })).toMatchObject({ state: 'paid' });
    expect(station.orders.bookings('MP9')).toEqual([{ effect: 'paid', source: 'callback' }]);
  });
});

describe('mobile settlement — kill and resume', () => {
  it('a station killed after its 6202 left resumes by 6301 at start: paid once', async () => {
    const { payAuthNo, prepared } = await preparedOrder('MP10');
    await station.outbox.stop();
    gate = new Promise((resolve) => (openGate = resolve)); // the station is down: callbacks wait
    // The killed process had written the intent and sent 6202, which the centre settled; no answer was recorded.
    const row = station.orders.get('MP10')!;
    const payload = {
      payOrdId: row.pay_ord_id!,
      payToken: row.pay_token!,
      payAuthNo,
      mdtrtId: row.mdtrt_id!,
      chrgBchno: 'MP10',
      acctUsedFlag: '1' as const,
      who: { idNo: PATIENT.idNo, userName: PATIENT.name, idType: '01' },
    };
    db.transaction(() => {
      station.orders.update('MP10', { state: 'paying' }, new Date());
      station.repo.insert(
        { id: 'crashed-pay', kind: MOVEMENT_KINDS.mobilePay, orderId: 'MP10', externalId: row.pay_ord_id!, payload },
        new Date(),
      );
    })();
    const { who: _who, ...sent } = payload;
    expect((await station.client.pay(sent)).kind).toBe('ok');

    station = buildStation();
    station.outbox.start();
    await finishedOnce(`${MOVEMENT_KINDS.mobilePay}:succeeded`);
    openGate();
    await callbackAcked(prepared.payOrdId!);
    expect(station.repo.transitions('crashed-pay').map((t) => t.to)).toEqual(['prepared', 'unknown', 'succeeded']);
    expect(station.settlement.query({ orderId: 'MP10' })).toMatchObject({ state: 'paid', inDoubt: false });
    expect(station.orders.bookings('MP10')).toEqual([{ effect: 'paid', source: 'resolver' }]);
    expect(requests('pay_order')).toBe(1);
    expect(wallet(payAuthNo)).toBe(WALLET - sim.control.ledger.order(prepared.payOrdId!)!.own_pay_amt);
  });

  it('the centre restarted from its ledger file resumes its pending callbacks', async () => {
    gate = new Promise((resolve) => (openGate = resolve));
    sim.control.inject({ op: 'notify', fault: { kind: 'notify-lost' } });
    const { prepared } = await preparedOrder('MP11');
    await station.settlement.pay({ orderId: 'MP11' });
    await sim.close();
    openGate();
    await startCentre();
    await callbackAcked(prepared.payOrdId!);
    expect(station.orders.bookings('MP11')).toEqual([{ effect: 'paid', source: 'answer' }]);
  });
});
