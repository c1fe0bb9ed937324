/**
 * TLS from the station's key file (a throwaway PostgreSQL 15 that takes TCP logins only over TLS, its certificate
 * signed by a test CA): the station's connection verifies the server against the key file's CA, and is refused
 * without TLS or with another CA.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  addStationLogin,
  initLedgerSchema,
  LEDGER_EVENT_VERSION,
  PostgresLedger,
  stationClientConfig,
  withLedgerClient,
  type LedgerEvent,
} from '../../src/station/hospital-ledger';
import { missing } from '../harness/prerequisites';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../harness/postgres';

let server: ThrowawayPostgres;
let dir: string;
const PASSWORD = 'w09-tls-secret-password';

const event: LedgerEvent = {
  v: LEDGER_EVENT_VERSION,
  stationId: 'W09',
  eventId: 'E1',
  seq: 1,
  kind: 'payment',
  movement: 'pay.qr',
  outcome: 'succeeded',
  orderId: 'o1',
  hisOrderNo: 'H1',
  operatorId: 'op1',
  actor: 'resolver',
  at: '2026-12-04T02:00:00.000Z',
  channel: 'alipay',
  amounts: { cash: 990 },
  ids: { outTradeNo: 'Q1' },
};

function keyFile(name: string, keys: object): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, JSON.stringify({ user: 'w09', password: PASSWORD, ...keys }), { mode: 0o600 });
  return file;
}

async function appendWith(file: string): Promise<number> {
  const ledger = new PostgresLedger(stationClientConfig({ url: server.url('yibao'), keyFile: file }));
  try {
    return (await ledger.append([event])).inserted;
  } finally {
    await ledger.close();
  }
}

describe.skipIf(missing('postgresql') || missing('openssl'))('the hospital ledger over TLS', { timeout: 60_000 }, () => {
  beforeAll(async () => {
    server = await startThrowawayPostgres({ tls: true });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-tls-'));
    await withLedgerClient(server.superuser(), (c) => c.query('CREATE DATABASE yibao'));
    await withLedgerClient(server.superuser('yibao'), async (c) => {
      await initLedgerSchema(c);
      await addStationLogin(c, 'W09', 'w09', PASSWORD);
    });
    fs.copyFileSync(server.caFile!, path.join(dir, 'hospital-ca.pem'));
    // Another CA, which did not sign the server's certificate.
    const other = spawnSync('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      path.join(dir, 'other.key'),
      '-out',
      path.join(dir, 'other-ca.pem'),
      '-days',
      '2',
      '-subj',
      '/CN=another CA',
    ]);
    expect(other.status).toBe(0);
  });
  afterAll(() => {
    server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('with the hospital CA in the key file the station connects over verified TLS and its event is stored', async () => {
    const file = keyFile('keys.json', { tls: { caFile: 'hospital-ca.pem' } });
    expect(await appendWith(file)).toBe(1);
    // The same connection settings, asked by the server about themselves.
    const own = await withLedgerClient(stationClientConfig({ url: server.url('yibao'), keyFile: file }), (c) =>
      c.query('SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()'),
    );
    expect(own.rows).toEqual([{ ssl: true, version: expect.stringMatching(/^TLSv1\.[23]$/) }]);
  });

  it('without TLS the server refuses the login; with another CA the station refuses the server', async () => {
    await expect(appendWith(keyFile('plain.json', {}))).rejects.toThrow(/no encryption/);
    await expect(appendWith(keyFile('wrong-ca.json', { tls: { caFile: 'other-ca.pem' } }))).rejects.toThrow(/certificate/);
  });
});
