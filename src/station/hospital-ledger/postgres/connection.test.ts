/** The ledger's address and key file (no server needed): no password in the configuration, TLS off this machine. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StationConfigSchema } from '../../config';
import { clientConfig, LedgerUrlSchema, parseLedgerUrl, stationClientConfig } from './connection';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-conn-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const write = (name: string, value: unknown) => {
  fs.writeFileSync(path.join(dir, name), typeof value === 'string' ? value : JSON.stringify(value), { mode: 0o600 });
  return path.join(dir, name);
};

describe('the hospital ledger connection', () => {
  it('an address with a password in it is refused: the password belongs in the key file', () => {
    expect(LedgerUrlSchema.safeParse('postgres://w01:secret@ledger.example/yibao').success).toBe(false);
    expect(LedgerUrlSchema.safeParse('mysql://ledger.example/yibao').success).toBe(false);
    expect(LedgerUrlSchema.safeParse('postgres://ledger.example:5432/yibao').success).toBe(true);
  });

  it('reads a network address, a Unix socket and an administrator in the address', () => {
    expect(parseLedgerUrl('postgresql://ledger.example:6432/his_ledger')).toEqual({
      host: 'ledger.example',
      port: 6432,
      database: 'his_ledger',
      user: null,
    });
    expect(parseLedgerUrl('postgres://postgres@localhost/yibao?host=%2Frun%2Fpostgresql')).toEqual({
      host: '/run/postgresql',
      port: 5432,
      database: 'yibao',
      user: 'postgres',
    });
  });

  it('a server on another machine needs the CA in the key file, and the connection then verifies it', () => {
    const far = parseLedgerUrl('postgres://ledger.example/yibao');
    expect(() => clientConfig(far, { user: 'w01', password: 'x' })).toThrow('tls.caFile');
    write('ca.pem', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    const keys = write('ledger-keys.json', { user: 'w01', password: 'station-w01-secret', tls: { caFile: 'ca.pem' } });
    const config = stationClientConfig({ url: 'postgres://ledger.example/yibao', keyFile: keys });
    expect(config).toMatchObject({
      host: 'ledger.example',
      user: 'w01',
      password: 'station-w01-secret',
      ssl: { rejectUnauthorized: true },
    });
    expect((config.ssl as { ca: string }).ca).toContain('BEGIN CERTIFICATE');
  });

  it('a key file with a short password or an unknown field stops the start', () => {
    const short = write('short.json', { user: 'w01', password: 'short' });
    expect(() => stationClientConfig({ url: 'postgres://localhost/yibao', keyFile: short })).toThrow();
    const extra = write('extra.json', { user: 'w01', password: 'station-w01-secret', sslmode: 'disable' });
    expect(() => stationClientConfig({ url: 'postgres://localhost/yibao', keyFile: extra })).toThrow();
  });

  it('the station configuration takes ledger { url, keyFile }, keyFile defaulting to ledger-keys.json', () => {
    const ledger = StationConfigSchema.shape.ledger;
    expect(ledger.parse({ url: 'postgres://ledger.example/yibao' })).toEqual({
      url: 'postgres://ledger.example/yibao',
      keyFile: 'ledger-keys.json',
    });
    expect(ledger.safeParse({ url: 'postgres://u:p@ledger.example/yibao' }).success).toBe(false);
    expect(ledger.parse(undefined)).toBeUndefined();
  });
});
