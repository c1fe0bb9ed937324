// The station's own (本站) finance lists with the phone's money, with real parts: the mobile-payment centre and HIS
// simulators on 127.0.0.1, the station's SQLite file and its outbox. A discharge paid on the phone and refunded,
// another paid and kept: the payments list shows each self-pay part (医保移动支付, 手机支付, the centre's order as the
// trade), the refunds list the refund under its serial with the centre's shares; filters, masking by role and the
// CSV export (audited) as for the window's rows — and the rows agree with what the hospital ledger was told.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mobilePayTestChannel } from '../../../test/harness/mobile-pay-channel';
import { HUANG_ZHIQIANG, startPhoneLedgerWorld, twoDayDischargeBill, type PhoneLedgerWorld } from '../../../test/harness/phone-discharge';
import { maskName } from '../../devices/masking';
import type { SignedInOperator } from '../../shared/domain';
import { ExportFinanceInput, FinanceFilter, type FinanceFilterInput, type PaymentRow, type RefundRow } from '../../shared/finance-lists';
import type { ExportProgress } from '../../shared/ledger';
import { fenToYuan } from '../../shared/money';
import { EventBus } from '../events';
import { AuditRepo, PersonsRepo } from '../store';
import { PAYMENTS } from './finance-specs';
import { LedgerService } from './ledger-service';
import { maskCertNo } from '../workflows';

const channel = mobilePayTestChannel();
const PATIENT = HUANG_ZHIQIANG;
const bus = new EventBus();

let w: PhoneLedgerWorld;
let ledger: LedgerService;
let audit: AuditRepo;
beforeEach(async () => {
  w = await startPhoneLedgerWorld(channel, 'mobile-finance-lists');
  audit = new AuditRepo(w.db, 'W01', w.station.cipher);
  ledger = new LedgerService({
    db: w.db,
    cipher: w.station.cipher,
    timeZone: 'Asia/Shanghai',
    now: () => new Date(),
    audit,
    bus,
    exportsDir: path.join(w.dir, 'exports'),
    stationId: 'W01',
  });
});
afterEach(() => w.close());

/** The phone's bill of a stay on the ward two days, discharged at the centre and at HIS, or of `iptNo` again. */
const dischargeBill = (orderId: string, iptNo?: string) =>
  twoDayDischargeBill(w, orderId, PATIENT, { insutype: '390', region: '350200' }, iptNo);

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
    new PersonsRepo(w.db, w.station.cipher).upsert(
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
    await w.station.settlement.prepare(refundedBill);
    const first = await w.station.settlement.pay({ orderId: 'ZF1' });
    expect(first).toMatchObject({ state: 'completed', inDoubt: false });
    expect(await w.station.settlement.refund({ orderId: 'ZF1' })).toMatchObject({ state: 'refunded', inDoubt: false });
    const keptBill = await dischargeBill('ZF2', refundedBill.ward!.iptNo);
    await w.station.settlement.prepare(keptBill);
    const second = await w.station.settlement.pay({ orderId: 'ZF2' });
    expect(second).toMatchObject({ state: 'completed', inDoubt: false });
    const one = w.sim.control.ledger.order(first.payOrdId!)!;
    const two = w.sim.control.ledger.order(second.payOrdId!)!;
    const [refund] = w.sim.control.ledger.refunds();

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
    const told = (orderId: string) => w.events.ofOrder(orderId).filter((e) => e.channel === 'mobile');
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
