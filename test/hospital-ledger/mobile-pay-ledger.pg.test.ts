/**
 * 医保移动支付 in the hospital's PostgreSQL ledger (a throwaway cluster, test/harness/postgres.ts): a training station
 * with the settlement service (real HTTP, the simulators on 127.0.0.1) pays an outpatient bill on the phone and pays
 * and refunds a registration (退号); its ledger events are shipped with the station's login; the office's lists
 * show the phone's self-pay parts as 医保移动支付 (paid, refunded) and the refund with its legs, and the day's 3201
 * group read back through the office login counts the bill that stands.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { FinanceFilter, type PaymentRow, type RefundRow } from '../../src/shared/finance-lists';
import {
  addOfficeLogin,
  addStationLogin,
  initLedgerSchema,
  LedgerEventsRepo,
  LedgerShipper,
  PostgresLedger,
  type LedgerEvent,
  type PostgresFinanceQuery,
  stationClientConfig,
} from '../../src/station/hospital-ledger';
import { dayStartUtc, localDay } from '../../src/station/clock';
import { settlementEntries, totalsByGroup } from '../../src/station/reconciliation';
import { openDatabase } from '../../src/station/store';
import { openOfficeFinanceQuery, openOfficeReader } from '../../src/app/wiring/ledger';
import { RESIDENT, startOutpatientRig, type OutpatientRig } from '../../src/service/testing/outpatient-rig';
import { missing } from '../harness/prerequisites';
import { asSuperuser, createLedgerDatabase, startThrowawayPostgres, writeKeyFile, type ThrowawayPostgres } from '../harness/postgres';
import { payOnline, refundRegistration, stationLedgerEvents } from '../harness/phone-outpatient';

const ZONE = 'Asia/Shanghai';
const admin = { roles: ['admin'] as const };

let server: ThrowawayPostgres;
let dir: string;
let rig: OutpatientRig;
let office: PostgresFinanceQuery;

const keyFile = (name: string, user: string, password: string) => writeKeyFile(dir, name, { user, password });

const asOwner = <T>(fn: (c: pg.Client) => Promise<T>): Promise<T> => asSuperuser(server, 'yibao', fn);

/** Every ledger event the training station wrote, in its order. */
const stationEvents = (): LedgerEvent[] => stationLedgerEvents(rig);

describe.skipIf(missing('postgresql'))('医保移动支付 in the hospital ledger on PostgreSQL', () => {
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-mobile-'));
    server = await startThrowawayPostgres();
    await createLedgerDatabase(server);
    rig = await startOutpatientRig();
  });
  afterAll(async () => {
    await office?.close();
    await rig?.close();
    server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('ships the phone’s events; the office lists them as 医保移动支付 and 3201’s group counts the bill that stands', async () => {
    const kept = rig.prescribe([
      { hospCode: 'Y0002', quantity: '30' },
      { hospCode: 'Y0007', quantity: '20' },
    ]);
    const bill = await payOnline(rig, kept, 'pg-pay-0001');
    const registration = rig.station.training!.his.control.register({ patientId: RESIDENT.hisId, deptCode: '0301' });
    const refunded = await payOnline(rig, registration, 'pg-pay-0002');
    const refund = await refundRegistration(rig, registration, 'pg-ref-0002');
    expect(refund).toMatchObject({ status: 201, body: { state: 'refunded' } });
    const centre = rig.station.training!.mobilePay.control.ledger;
    const [billOrder, regOrder] = [centre.order(bill.payOrderId)!, centre.order(refunded.payOrderId)!];

    // Shipped as a station ships: its outbox of events, its own login, in order.
    const events = stationEvents();
    const stationId = events[0]!.stationId;
    await asOwner(async (c) => {
      await initLedgerSchema(c);
      await addStationLogin(c, stationId, 'w01', 'w01-secret-1');
      await addOfficeLogin(c, 'office', 'office-secret-1');
    });
    const outbox = openDatabase(path.join(dir, 'events.db'));
    const repo = new LedgerEventsRepo(outbox);
    for (const { seq: _seq, ...e } of events) repo.append(e);
    const ledger = new PostgresLedger(
      stationClientConfig({ url: server.url('yibao'), keyFile: keyFile('w01.json', 'w01', 'w01-secret-1') }),
    );
    expect(await new LedgerShipper(repo, ledger, { now: () => new Date() }).shipNow()).toBe(events.length);
    await ledger.close();
    outbox.close();
    expect(events.filter((e) => e.channel === 'mobile').map((e) => e.kind)).toEqual(['payment', 'payment', 'refund-payment']);

    const chosen = { url: server.url('yibao'), officeKeyFile: keyFile('office.json', 'office', 'office-secret-1') };
    office = openOfficeFinanceQuery(dir, chosen, ZONE)!;
    const today = localDay(new Date(), ZONE);
    const filter = FinanceFilter.parse({ from: today, to: today });
    const payments = await office.page({ list: 'payments', filter, sort: 'time-asc', limit: 50, offset: 0 }, admin);
    expect(
      payments.rows.map((r) => {
        const p = r as PaymentRow;
        return [p.hisOrderNo, p.channel, p.mode, p.amountFen, p.state, p.outTradeNo];
      }),
    ).toEqual([
      [kept, 'mobile', 'mobile', billOrder.own_pay_amt, 'paid', bill.payOrderId],
      [registration, 'mobile', 'mobile', regOrder.own_pay_amt, 'refunded', refunded.payOrderId],
    ]);
    const byChannel = FinanceFilter.parse({ from: today, to: today, channel: 'mobile' });
    expect((await office.page({ list: 'payments', filter: byChannel, sort: 'time-asc', limit: 50, offset: 0 }, admin)).total).toBe(2);

    const refunds = await office.page({ list: 'refunds', filter, sort: 'time-asc', limit: 50, offset: 0 }, admin);
    expect(
      refunds.rows.map((r) => {
        const x = r as RefundRow;
        return [x.hisOrderNo, x.state, x.fundFen, x.accountFen, x.cashFen, x.amountFen, x.channel];
      }),
    ).toEqual([[registration, 'refunded', regOrder.fund_pay, regOrder.psn_acct_pay, regOrder.own_pay_amt, regOrder.fee_sumamt, 'mobile']]);

    // The day's reconciliation reads the office's ledger: one settlement stands in group 350200 / 390 / 11.
    const reader = openOfficeReader(dir, chosen)!;
    const start = dayStartUtc(today, ZONE);
    const day = await reader.eventsBetween(start, new Date(start.getTime() + 86_400_000));
    await reader.close();
    expect(totalsByGroup(settlementEntries(day))).toEqual([
      {
        region: '350200',
        insutype: '390',
        clrType: '11',
        medfeeFen: billOrder.fee_sumamt,
        fundFen: billOrder.fund_pay,
        acctFen: billOrder.psn_acct_pay,
        cashFen: billOrder.own_pay_amt,
        count: 1,
      },
    ]);
  });

  it('a server that stored these events at v5 (no channel, no refund row) is put right by init, and a rerun changes nothing', async () => {
    const lists = () =>
      asOwner(async (c) => ({
        payments: (await c.query('SELECT id, channel, mode, state FROM yibao.list_payments ORDER BY id')).rows,
        refunds: (await c.query('SELECT refund_id, state, fund_fen, cash_fen, amount_fen, channel FROM yibao.list_refunds ORDER BY id'))
          .rows,
      }));
    const right = await lists();
    // What v5's projection made of them: the payments without a channel named as payment codes, 6203 no refund step.
    await asOwner(async (c) => {
      await c.query(`UPDATE yibao.list_payments SET channel = NULL, mode = 'micropay'`);
      await c.query('DELETE FROM yibao.list_refunds');
      // A window's refund v5 did list (so init's first backfill of the list, for an empty one, does not run).
      await c.query(`INSERT INTO yibao.list_refunds (id, station_id, refund_id, order_id, state, fund_fen, account_fen, cash_fen,
        amount_fen, at) VALUES (0, 'W09', 'window-refund', 'o1', 'refunded', 0, 0, 100, 100, now())`);
    });
    const withWindows = {
      ...right,
      refunds: [
        { refund_id: 'window-refund', state: 'refunded', fund_fen: '0', cash_fen: '100', amount_fen: '100', channel: null },
        ...right.refunds,
      ],
    };
    expect((await lists()).refunds).toEqual(withWindows.refunds.slice(0, 1));
    await asOwner((c) => initLedgerSchema(c));
    expect(await lists()).toEqual(withWindows);
    await asOwner((c) => initLedgerSchema(c));
    expect(await lists()).toEqual(withWindows);
  });
});
