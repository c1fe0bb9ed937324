/**
 * The day's reconciliation hospital-wide (AQ-06, DQ-07): two stations ship their payment events to a throwaway
 * PostgreSQL with their own logins; the run reads the day through the office login named by the configuration's
 * `ledger.officeKeyFile` (src/app/wiring/ledger.ts), and the payment platform's one statement for the merchant is
 * matched against both stations' events — a trade neither station has is named.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openOfficeReader } from '../../src/app/wiring/ledger';
import { recordingClient, simDefaults, virtualClock } from '../../src/insurance/pay-channel/testing/platform-fixture';
import { fen } from '../../src/shared/money';
import { startPayChannel, type PayChannelSimulator } from '../../src/simulators/pay-channel';
import {
  addOfficeLogin,
  addStationLogin,
  initLedgerSchema,
  LedgerEventsRepo,
  LedgerShipper,
  PostgresLedger,
  stationClientConfig,
  type NewLedgerEvent,
} from '../../src/station/hospital-ledger';
import type { CentrePort } from '../../src/station/ports';
import { ReconciliationRuns } from '../../src/station/reconciliation';
import { FieldCipher, loadOrCreateDataKeys } from '../../src/station/security';
import { AuditRepo, openDatabase } from '../../src/station/store';
import { missing } from '../harness/prerequisites';
import { asSuperuser, createLedgerDatabase, startThrowawayPostgres, writeKeyFile, type ThrowawayPostgres } from '../harness/postgres';

const clock = virtualClock('2026-12-04T02:00:00Z'); // 10:00 Beijing
let server: ThrowawayPostgres;
let sim: PayChannelSimulator;
let dir: string;

const keyFile = (name: string, user: string, password: string) => writeKeyFile(dir, name, { user, password });

function payment(stationId: string, n: number, trade: string, cashFen: number): NewLedgerEvent {
  return {
    v: 1,
    stationId,
    eventId: `${stationId}-E${n}`,
    kind: 'payment',
    movement: 'pay.micropay',
    outcome: 'succeeded',
    orderId: `${stationId}-o${n}`,
    hisOrderNo: null,
    operatorId: 'sf001',
    actor: 'station',
    at: clock.date().toISOString(),
    channel: 'wechat',
    amounts: { cash: cashFen },
    ids: { outTradeNo: trade },
  };
}

/** A station's events shipped to the hospital's ledger with its own login. */
async function ship(stationId: string, login: string, events: NewLedgerEvent[]): Promise<void> {
  const db = openDatabase(path.join(dir, `${stationId}.db`));
  const repo = new LedgerEventsRepo(db);
  for (const e of events) repo.append(e);
  const ledger = new PostgresLedger(
    stationClientConfig({ url: server.url('yibao'), keyFile: keyFile(`${login}.json`, login, `${login}-secret-1`) }),
  );
  expect(await new LedgerShipper(repo, ledger, { now: clock.date }).shipNow()).toBe(events.length);
  await ledger.close();
  db.close();
}

describe.skipIf(missing('postgresql'))('the day reconciled hospital-wide through the office login', () => {
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'office-recon-'));
    server = await startThrowawayPostgres();
    await createLedgerDatabase(server);
    await asSuperuser(server, 'yibao', async (c) => {
      await initLedgerSchema(c);
      await addStationLogin(c, 'W01', 'w01', 'w01-secret-1');
      await addStationLogin(c, 'W02', 'w02', 'w02-secret-1');
      await addOfficeLogin(c, 'office', 'office-secret-1');
    });
    sim = await startPayChannel(simDefaults(clock));
  });
  afterAll(async () => {
    await sim?.close();
    server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('both stations’ payments match the one statement; the trade neither has is named', async () => {
    const { client } = recordingClient(sim.url);
    for (const [trade, amount] of [
      ['P1', 1200],
      ['P2', 3400],
      ['P9', 560],
    ] as const) {
      const authCode = sim.control.wallet({ channel: 'WECHAT', balanceFen: 10_000 }).authCode;
      expect(await client.micropay({ outTradeNo: trade, totalFee: fen(amount), subject: '门诊缴费', authCode })).toMatchObject({
        kind: 'ok',
      });
    }
    await ship('W01', 'w01', [payment('W01', 1, 'P1', 1200)]);
    await ship('W02', 'w02', [payment('W02', 1, 'P2', 3400)]);

    const reader = openOfficeReader(dir, { url: server.url('yibao'), officeKeyFile: keyFile('office.json', 'office', 'office-secret-1') });
    expect(reader).toBeDefined();
    expect(openOfficeReader(dir, { url: server.url('yibao') })).toBeUndefined(); // no office key: the embedded ledger
    const cipher = new FieldCipher(loadOrCreateDataKeys(path.join(dir, 'keys')));
    const db = openDatabase(path.join(dir, 'office.db'));
    const noInsured: CentrePort = { perform: () => Promise.reject(new Error('no insured settlement: the centre is not asked')) };
    try {
      const runs = new ReconciliationRuns({
        db,
        cipher,
        audit: new AuditRepo(db, 'OFFICE', cipher),
        gateway: noInsured,
        ledger: reader!,
        pay: client,
        now: clock.date,
        timeZone: 'Asia/Shanghai',
        autoAfterHour: null,
      });
      const run = await runs.run({ id: 'admin', name: '管理员', role: 'admin' }, '2026-12-04');
      expect(run.events).toBe(2);
      expect(run.outcome).toBe('unbalanced');
      expect(run.statement!.parts).toEqual([
        { wallet: 'wechat', way: 'code', purpose: 'self-pay', trades: 2, statementNetFen: 4600, ledgerNetFen: 4600 },
        { wallet: 'wechat', way: 'code', purpose: 'unknown', trades: 1, statementNetFen: 560, ledgerNetFen: 0 },
      ]);
      expect(run.statement!.differences).toEqual([
        expect.objectContaining({ kind: 'statement-only', outTradeNo: 'P9', statementNetFen: 560, ledgerNetFen: null }),
      ]);
    } finally {
      db.close();
      await reader!.close();
    }
  });
});
