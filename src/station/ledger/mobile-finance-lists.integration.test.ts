// The station's own (本站) finance lists with the phone's money, with real parts: the mobile-payment centre and HIS
// simulators on 127.0.0.1, the station's SQLite file and its outbox. A discharge paid on the phone and refunded,
// another paid and kept: the payments list shows each self-pay part (医保移动支付, 手机支付, the centre's order as the
// trade), the refunds list the refund under its serial with the centre's shares; filters, masking by role and the
// CSV export (audited) as for the window's rows — and the rows agree with what the hospital ledger was told.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mobilePayTestChannel } from '../../../test/harness/mobile-pay-channel';
import { maskName } from '../../devices/masking';
import { HisClient, HisWardClient } from '../../insurance/his';
import type { SignedInOperator } from '../../shared/domain';
import { ExportFinanceInput, FinanceFilter, type FinanceFilterInput, type PaymentRow, type RefundRow } from '../../shared/finance-lists';
import type { ExportProgress } from '../../shared/ledger';
import { fenToYuan } from '../../shared/money';
import type { MobilePrepareInput } from '../../shared/mobile-pay';
import { startHis, type HisSimulator } from '../../simulators/his';
import { startMobilePayCentre, type MobilePayCentre } from '../../simulators/mobile-pay';
import { EventBus } from '../events';
import { LedgerEventsRepo } from '../hospital-ledger';
import { StaysRepo } from '../inpatient';
import { IntentsRepo, Outbox } from '../outbox';
import { FieldCipher, loadOrCreateDataKeys } from '../security';
import { AuditRepo, openDatabase, PersonsRepo, type Db } from '../store';
import {
  MobileOrdersRepo,
  MobileSettlement,
  mobileMovements,
  mobileWardBookingMovement,
  mobileWardCancelMovement,
  newMobileId,
  withMobileOrders,
} from '../mobile-pay';
import { PAYMENTS } from './finance-specs';
import { LedgerService } from './ledger-service';
import { maskCertNo } from '../workflows';

const channel = mobilePayTestChannel();
const HIS_APP = { appId: 'YBSTATION01', appSecret: 'his-secret-0123456789abcdef' };
/** 黄志强: resident scheme (390), in HIS (P000103) and the centre's population; no personal account, so a self-pay part. */
const PATIENT = { hisId: 'P000103', idNo: '350211195203054010', name: '黄志强', psnNo: '35020000000000000103' };
const REGION = '350200';

let dir: string;
let db: Db;
let sim: MobilePayCentre;
let his: HisSimulator;
let ward: HisWardClient;
let stays: StaysRepo;
let events: LedgerEventsRepo;
let outbox: Outbox;
let settlement: MobileSettlement;
let busy: Promise<void>[];
let ledger: LedgerService;
let audit: AuditRepo;
const bus = new EventBus();

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mobile-finance-lists-'));
  db = openDatabase(path.join(dir, 'station.db'));
  sim = await startMobilePayCentre({ ...channel.centre });
  his = await startHis({ apps: [{ appId: HIS_APP.appId, secret: HIS_APP.appSecret }], seedOrders: false });
  ward = new HisWardClient(new HisClient({ baseUrl: his.url, appId: HIS_APP.appId, appSecret: HIS_APP.appSecret, timeoutMs: 5_000 }));
  const cipher = new FieldCipher(loadOrCreateDataKeys(path.join(dir, 'keys')));
  const orders = new MobileOrdersRepo(db, cipher);
  stays = new StaysRepo(db, cipher);
  events = new LedgerEventsRepo(db);
  const client = channel.client(sim.url, 2000);
  const now = () => new Date();
  const deps = { his: ward, stays, orders, newId: newMobileId, now };
  // No window orders here: every event's row is the phone's order.
  const window = { get: () => undefined, payments: { paid: () => [] } };
  busy = [];
  outbox = new Outbox(
    db,
    new IntentsRepo(db, cipher),
    [
      ...mobileMovements({ client, orders, stays, now, newId: newMobileId }),
      mobileWardBookingMovement(deps),
      mobileWardCancelMovement(deps),
    ],
    {
      now,
      policy: { backoffBaseMs: 10, backoffMaxMs: 10, settleTimeMs: 0 },
      events: { finished: (i) => void busy.push(settlement.afterFinished(i)) },
      onFinal: events.recorder('W01', withMobileOrders(window, { db, cipher, stays, persons: new PersonsRepo(db, cipher) })),
    },
  );
  settlement = new MobileSettlement({ db, orders, outbox, client, now, ward: { his: ward, stays } });
  outbox.start();
  audit = new AuditRepo(db, 'W01', cipher);
  ledger = new LedgerService({
    db,
    cipher,
    timeZone: 'Asia/Shanghai',
    now,
    audit,
    bus,
    exportsDir: path.join(dir, 'exports'),
    stationId: 'W01',
  });
});

afterEach(async () => {
  await outbox.stop();
  await Promise.allSettled(busy);
  await sim.close();
  await his.close();
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A stay on the ward two days, discharged at the centre (the station's stay) and at HIS: its 住院号. */
function dischargedStay(): string {
  const iptNo = his.control.ward.admit({ patientId: PATIENT.hisId, wardCode: 'W0301' });
  const stay = stays.insert(
    {
      iptNo,
      hisPatientId: PATIENT.hisId,
      psnNo: PATIENT.psnNo,
      insuredRegion: REGION,
      insutype: '390',
      cert: { type: '01', no: PATIENT.idNo },
      ward: { code: 'W0301', bedNo: '01' },
      dept: { code: 'A03', name: '内科' },
      doctor: { code: 'D001', name: '王医生' },
      diagnosis: { code: 'J18.900', name: '肺炎' },
      admittedAt: '2026-12-01 08:00:00',
      operatorId: 'hs001',
    },
    new Date(),
  );
  stays.update(stay.id, { state: 'discharged', mdtrtId: 'MDTRT1' }, new Date());
  for (const day of ['2026-12-01', '2026-12-02'])
    his.control.ward.charge({
      iptNo,
      day,
      lines: [
        { hospCode: 'Y0006', quantity: '40' },
        { hospCode: 'Y0001', quantity: '20' },
      ],
    });
  his.control.ward.orderDischarge(iptNo);
  return iptNo;
}

/** The phone's bill of the stay: HIS's lines not yet settled. */
async function dischargeBill(orderId: string, iptNo = dischargedStay()): Promise<MobilePrepareInput> {
  const page = await ward.feeLines(iptNo, 0, 200);
  if (page.kind !== 'ok') throw new Error(JSON.stringify(page));
  return {
    orderId,
    kind: 'inpatient',
    visitNo: iptNo,
    payAuthNo: sim.control.authorise(PATIENT.idNo, 1_000_000),
    patient: { idNo: PATIENT.idNo, idType: '01', name: PATIENT.name, psnNo: PATIENT.psnNo, insutype: '390' },
    medType: '21',
    deptCode: 'A03',
    deptName: '内科',
    begntime: '2026-12-01 08:00:00',
    ward: { iptNo, uptoLine: page.value.lastLine },
    lines: page.value.lines
      .filter((l) => l.settleId === null)
      .map((l) => ({
        feedetlSn: String(l.lineNo),
        medListCodg: l.nationalCode,
        medinsListCodg: l.hospCode,
        cnt: l.quantity,
        pric: fenToYuan(l.unitPriceFen),
        amountFen: l.amountFen,
      })),
  };
}

const person = (role: 'admin' | 'cashier', id: string): SignedInOperator => ({
  id,
  name: id,
  role,
  roles: [role],
  mustChangePassword: false,
});
const admin = person('admin', 'admin');
const cashier = person('cashier', 'sf001');
/** Yesterday to tomorrow, China time: today's rows whatever the hour. */
const chinaDay = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
const TODAY = { from: chinaDay(Date.now() - 86_400_000), to: chinaDay(Date.now() + 86_400_000) };

async function page(list: 'payments' | 'refunds', filter: Omit<FinanceFilterInput, 'from' | 'to'> = {}, who = admin) {
  return ledger.searchFinance(who, { list, filter: FinanceFilter.parse({ ...TODAY, ...filter }), sort: 'time-asc', limit: 50, offset: 0 });
}

async function exported(who: SignedInOperator, list: 'payments' | 'refunds'): Promise<string[]> {
  const finished = new Promise<ExportProgress>((resolve) => {
    const sub = bus.listen((event, payload) => {
      const p = payload as ExportProgress;
      if (event !== 'exportProgress' || p.state === 'running') return;
      sub.dispose();
      resolve(p);
    });
  });
  await ledger.exportFinance(who, ExportFinanceInput.parse({ list, filter: { ...TODAY, channel: 'mobile' }, format: 'csv' }));
  const end = await finished;
  expect(end.state).toBe('finished');
  return fs
    .readFileSync(end.file!, 'utf8')
    .replace(/^\uFEFF/, '')
    .split('\r\n')
    .filter(Boolean);
}

describe('the station’s own finance lists with the phone’s payments and refunds', () => {
  it('lists each self-pay part and the refund as the hospital ledger was told them; filters, masking and the export', async () => {
    // the patient as 1101 described them at admission: the lists find a patient through the persons' indexes
    new PersonsRepo(db, new FieldCipher(loadOrCreateDataKeys(path.join(dir, 'keys')))).upsert(
      {
        psnNo: PATIENT.psnNo,
        name: PATIENT.name,
        certType: '01',
        certNo: PATIENT.idNo,
        gender: '1',
        nation: '01',
        birthDate: '1952-03-05',
        age: 74,
        insurances: [],
        identities: [],
      },
      new Date(),
    );
    const refundedBill = await dischargeBill('ZF1');
    await settlement.prepare(refundedBill);
    const first = await settlement.pay({ orderId: 'ZF1' });
    expect(first).toMatchObject({ state: 'completed', inDoubt: false });
    expect(await settlement.refund({ orderId: 'ZF1' })).toMatchObject({ state: 'refunded', inDoubt: false });
    const keptBill = await dischargeBill('ZF2', refundedBill.ward!.iptNo);
    await settlement.prepare(keptBill);
    const second = await settlement.pay({ orderId: 'ZF2' });
    expect(second).toMatchObject({ state: 'completed', inDoubt: false });
    const one = sim.control.ledger.order(first.payOrdId!)!;
    const two = sim.control.ledger.order(second.payOrdId!)!;
    const [refund] = sim.control.ledger.refunds();

    const payments = await page('payments', { channel: 'mobile' });
    expect(payments).toMatchObject({ source: 'station', total: 2 });
    const shownPayment = (r: PaymentRow) => [
      r.orderId,
      r.hisOrderNo,
      r.channel,
      r.mode,
      r.amountFen,
      r.state,
      r.orderState,
      r.outTradeNo,
      r.transactionId,
    ];
    expect(payments.rows.map((r) => shownPayment(r as PaymentRow))).toEqual([
      ['ZF1', refundedBill.ward!.iptNo, 'mobile', 'mobile', one.own_pay_amt, 'refunded', 'refunded', one.pay_ord_id, one.hi_doc_sn],
      ['ZF2', keptBill.ward!.iptNo, 'mobile', 'mobile', two.own_pay_amt, 'paid', 'completed', two.pay_ord_id, two.hi_doc_sn],
    ]);
    expect(payments.rows.map((r) => [r.patientName, r.certNo, r.operatorId])).toEqual([0, 1].map(() => [PATIENT.name, PATIENT.idNo, '']));

    const refunds = await page('refunds', { channel: 'mobile' });
    expect(refunds.total).toBe(1);
    const back = refunds.rows[0] as RefundRow;
    expect(back).toMatchObject({
      id: refund!.app_refd_sn,
      orderId: 'ZF1',
      orderState: 'refunded',
      hisOrderNo: refundedBill.ward!.iptNo,
      state: 'refunded',
      fundFen: one.fund_pay,
      accountFen: one.psn_acct_pay,
      cashFen: one.own_pay_amt,
      amountFen: one.fund_pay + one.psn_acct_pay + one.own_pay_amt,
      channel: 'mobile',
      patientName: PATIENT.name,
    });
    expect(back.finishedAt).toBe(back.createdAt);

    // What the hospital ledger heard of the same money: the self-pay events' trades, amounts and times.
    const told = (orderId: string) => events.ofOrder(orderId).filter((e) => e.channel === 'mobile');
    expect(told('ZF1').map((e) => [e.kind, e.ids.outTradeNo, e.amounts.cash])).toEqual([
      ['payment', one.pay_ord_id, one.own_pay_amt],
      ['refund-payment', one.pay_ord_id, -one.own_pay_amt],
    ]);
    expect(told('ZF1')[1]!.ids.stationRefundId).toBe(back.id);

    // The filters: a state, another channel, an operator (the phone has none), another station, the day range.
    expect((await page('payments', { channel: 'mobile', states: ['paid'] })).rows.map((r) => r.orderId)).toEqual(['ZF2']);
    expect((await page('payments', { channel: 'wechat' })).total).toBe(0);
    expect((await page('payments', { operatorId: 'sf001' })).total).toBe(0);
    expect((await page('refunds', { stationId: 'W09' })).total).toBe(0);
    expect((await page('refunds', { channel: 'alipay' })).total).toBe(0);
    expect((await page('payments', { states: ['refunded'] })).rows.map((r) => r.orderId)).toEqual(['ZF1']);
    expect((await page('payments', { patient: PATIENT.idNo })).rows.map((r) => r.orderId)).toEqual(['ZF1', 'ZF2']);
    expect((await page('refunds', { patient: ` ${PATIENT.name.slice(0, 1)} ${PATIENT.name.slice(1)}` })).rows.map((r) => r.id)).toEqual([
      back.id,
    ]);
    expect((await page('payments', { patient: '张三' })).total).toBe(0);
    const lastYear = FinanceFilter.parse({ from: '2025-01-01', to: '2025-01-31' });
    expect((await ledger.searchFinance(admin, { list: 'payments', filter: lastYear, sort: 'time-asc', limit: 5, offset: 0 })).total).toBe(
      0,
    );

    // A cashier sees the patient masked, on the list and in the export; the admin's export names them in full.
    const masked = await page('payments', { channel: 'mobile' }, cashier);
    expect(masked.rows.map((r) => [r.patientName, r.certNo])).toEqual([0, 1].map(() => [maskName(PATIENT.name), maskCertNo(PATIENT.idNo)]));
    const csv = await exported(cashier, 'payments');
    expect(csv[0]).toBe(PAYMENTS.headers.join(','));
    expect(csv.slice(1).map((l) => l.split(','))).toEqual([
      expect.arrayContaining([
        refundedBill.ward!.iptNo,
        maskName(PATIENT.name),
        '医保移动支付',
        '手机支付',
        fenToYuan(one.own_pay_amt),
        '已退款',
        one.pay_ord_id,
      ]),
      expect.arrayContaining([
        keptBill.ward!.iptNo,
        maskName(PATIENT.name),
        '医保移动支付',
        '手机支付',
        fenToYuan(two.own_pay_amt),
        '已支付',
        two.pay_ord_id,
      ]),
    ]);
    expect(csv.join('\n')).not.toContain(PATIENT.idNo);
    const full = await exported(admin, 'refunds');
    expect(full).toHaveLength(2);
    expect(full[1]!.split(',')).toEqual(
      expect.arrayContaining([refundedBill.ward!.iptNo, PATIENT.name, PATIENT.idNo, '已退费', fenToYuan(one.fund_pay), '医保移动支付']),
    );
    const trail = audit.list(10).filter((e) => e.action === 'ledger.export');
    expect(trail.map((e) => [e.operatorId, e.outcome])).toEqual([
      ['admin', 'ok'],
      ['sf001', 'ok'],
    ]);
    expect(trail[1]!.detail).toContain('2 rows');
    expect(trail[0]!.detail).toContain('list refunds');
  });
});
