/**
 * DQ-07 against the payment platform simulator on 127.0.0.1: the platform's statement of a day matched with the
 * ledger's payment and refund events, trade by trade, split into the window's QR payments and payment codes, the
 * cash part of insured orders and self-pay; the platform made to disagree on purpose (a trade the ledger lacks, a
 * trade it never had, an amount that differs), each difference with what to do; and the match kept with the day's run.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordingClient, simDefaults, virtualClock, type VirtualClock } from '../../src/insurance/pay-channel/testing/platform-fixture';
import { fen } from '../../src/shared/money';
import { startPayChannel, type PayChannelSimulator } from '../../src/simulators/pay-channel';
import { EmbeddedLedger, LEDGER_EVENT_VERSION, type LedgerEvent } from '../../src/station/hospital-ledger';
import { matchStatement, ReconciliationRuns } from '../../src/station/reconciliation';
import { FieldCipher, loadOrCreateDataKeys } from '../../src/station/security';
import { AuditRepo, openDatabase, type Db } from '../../src/station/store';
import type { CentrePort } from '../../src/station/ports';

let clock: VirtualClock;
let sim: PayChannelSimulator;
let dir: string;
let db: Db;
let seq = 0;

beforeEach(async () => {
  clock = virtualClock(); // 2026-11-22 10:15 Beijing
  sim = await startPayChannel(simDefaults(clock));
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'statement-match-'));
  db = openDatabase(path.join(dir, 'station.db'));
});

afterEach(async () => {
  db.close();
  await sim.close().catch(() => undefined);
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A payment-channel ledger event as a station publishes it. */
function event(
  kind: 'payment' | 'refund-payment' | 'settlement',
  orderId: string,
  o: { trade?: string; wallet?: 'wechat' | 'alipay'; fen?: number; qr?: boolean },
): LedgerEvent {
  const movement = kind === 'settlement' ? 'nhsa.2207' : kind === 'refund-payment' ? 'pay.refund' : o.qr ? 'pay.qr' : 'pay.micropay';
  return {
    v: LEDGER_EVENT_VERSION,
    stationId: 'W01',
    eventId: `e${++seq}`,
    seq,
    kind,
    movement,
    outcome: 'succeeded',
    orderId,
    hisOrderNo: null,
    operatorId: 'sf001',
    actor: 'station',
    at: clock.date().toISOString(),
    channel: kind === 'settlement' ? 'nhsa' : o.wallet!,
    amounts: kind === 'settlement' ? {} : { cash: o.fen! },
    ids: o.trade ? { outTradeNo: o.trade } : {},
  };
}

/** The day at the platform and in the ledger: five trades agree or disagree on purpose. */
async function aDay(): Promise<LedgerEvent[]> {
  const { client } = recordingClient(sim.url);
  const wallet = (channel: 'WECHAT' | 'ALIPAY') => sim.control.wallet({ channel, balanceFen: 100_000 }).authCode;
  const pay = (trade: string, channel: 'WECHAT' | 'ALIPAY', amount: number) =>
    client.micropay({ outTradeNo: trade, totalFee: fen(amount), subject: '门诊缴费', authCode: wallet(channel) });
  await pay('S1', 'WECHAT', 1230); // self-pay, agrees
  const qr = await client.precreate({
    outTradeNo: 'S2',
    totalFee: fen(2000),
    subject: '门诊缴费',
    expiresAt: new Date(clock.now + 60_000),
  });
  sim.control.payQr(qr.kind === 'ok' ? qr.value.codeUrl : '', wallet('WECHAT')); // the cash part of an insured order, by QR
  await pay('S3', 'ALIPAY', 4500); // insured order's cash part, 5.00 refunded: agrees
  await client.refund({ outTradeNo: 'S3', outRefundNo: 'S3R1', totalFee: fen(4500), refundFee: fen(500) });
  await pay('S4', 'ALIPAY', 999); // the ledger lacks it
  await pay('S6', 'WECHAT', 800); // the ledger says 7.00
  return [
    event('payment', 'O1', { trade: 'S1', wallet: 'wechat', fen: 1230 }),
    event('settlement', 'O2', {}),
    event('payment', 'O2', { trade: 'S2', wallet: 'wechat', fen: 2000, qr: true }),
    event('settlement', 'O3', {}),
    event('payment', 'O3', { trade: 'S3', wallet: 'alipay', fen: 4500 }),
    event('refund-payment', 'O3', { trade: 'S3', wallet: 'alipay', fen: -500 }),
    event('payment', 'O5', { trade: 'S5', wallet: 'alipay', fen: 3300 }), // the platform never had it
    event('payment', 'O6', { trade: 'S6', wallet: 'wechat', fen: 700 }),
  ];
}

describe('the payment platform’s statement matched with the ledger (DQ-07)', () => {
  it('splits the day into QR and code, insured cash part and self-pay, and names each disagreement with what to do', async () => {
    const events = await aDay();
    const { client } = recordingClient(sim.url);
    const statement = await client.statement('20261122');
    if (statement.kind !== 'ok') throw new Error(JSON.stringify(statement));
    const match = matchStatement(events, statement.value);

    expect(match.balanced).toBe(false);
    expect(match.differences.map((d) => [d.outTradeNo, d.kind, d.statementNetFen, d.ledgerNetFen])).toEqual([
      ['S4', 'statement-only', 999, null],
      ['S6', 'differ', 800, 700],
      ['S5', 'ledger-only', null, 3300],
    ]);
    expect(match.differences.find((d) => d.kind === 'statement-only')!.suggestion).toContain('长款');
    expect(match.differences.find((d) => d.kind === 'ledger-only')).toMatchObject({
      orderId: 'O5',
      suggestion: expect.stringContaining('orderquery'),
    });
    expect(match.parts).toEqual([
      { wallet: 'alipay', way: 'code', purpose: 'insured-cash', trades: 1, statementNetFen: 4000, ledgerNetFen: 4000 },
      { wallet: 'alipay', way: 'code', purpose: 'self-pay', trades: 1, statementNetFen: 0, ledgerNetFen: 3300 },
      { wallet: 'alipay', way: 'code', purpose: 'unknown', trades: 1, statementNetFen: 999, ledgerNetFen: 0 },
      { wallet: 'wechat', way: 'code', purpose: 'self-pay', trades: 2, statementNetFen: 1230 + 800, ledgerNetFen: 1230 + 700 },
      { wallet: 'wechat', way: 'qr', purpose: 'insured-cash', trades: 1, statementNetFen: 2000, ledgerNetFen: 2000 },
    ]);
  });

  it('a day whose trades agree balances', async () => {
    const events = (await aDay()).filter((e) => !['S5', 'S6'].includes(e.ids.outTradeNo ?? ''));
    events.push(
      event('payment', 'O4', { trade: 'S4', wallet: 'alipay', fen: 999 }),
      event('payment', 'O6', { trade: 'S6', wallet: 'wechat', fen: 800 }),
    );
    const { client } = recordingClient(sim.url);
    const statement = await client.statement('20261122');
    if (statement.kind !== 'ok') throw new Error(JSON.stringify(statement));
    expect(matchStatement(events, statement.value)).toMatchObject({ balanced: true, differences: [] });
  });

  it('the day’s run keeps the match: unbalanced by the statement alone; a platform out of reach leaves the day unbalanced, with why', async () => {
    const ledger = new EmbeddedLedger(db, clock.date);
    await ledger.append(await aDay());
    const cipher = new FieldCipher(loadOrCreateDataKeys(path.join(dir, 'keys')));
    const noCentreCalls: CentrePort = {
      perform: () => Promise.reject(new Error('no insured settlement that day: the centre is not asked')),
    };
    const runs = new ReconciliationRuns({
      db,
      cipher,
      audit: new AuditRepo(db, 'W01', cipher),
      gateway: noCentreCalls,
      ledger,
      pay: recordingClient(sim.url).client,
      now: clock.date,
      timeZone: 'Asia/Shanghai',
      autoAfterHour: null,
    });
    const run = await runs.run({ id: 'admin', name: '管理员', role: 'admin' }, '2026-11-22');
    expect(run).toMatchObject({ outcome: 'unbalanced', groups: [], differences: [], statement: { balanced: false, error: null } });
    expect(run.statement!.differences.map((d) => d.outTradeNo)).toEqual(['S4', 'S6', 'S5']);
    expect(runs.list({ limit: 1 })[0]!.statement).toEqual(run.statement);

    await sim.close();
    const offline = await runs.run({ id: 'admin', name: '管理员', role: 'admin' }, '2026-11-22');
    expect(offline).toMatchObject({
      outcome: 'unbalanced',
      statement: { balanced: false, error: expect.stringContaining('支付平台对账单未取得') },
    });
  });
});
