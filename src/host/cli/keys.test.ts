/**
 * The `keys` command line as IT runs it (a child process, tsx): a hospital-wide lookup key made once, imported into
 * a station's ledger key file (found through the data dir's configuration) and the office's, exported again, and a
 * rotation keeping the older key behind the new one — the login fields of each key file untouched, nothing
 * overwritten, one id never naming two secrets.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exportLookupKey, importLookupKey, lookupsOf, readLedgerKeys } from '../../station/hospital-ledger';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..', '..');
let dataDir: string;

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'station-cli-keys-'));
  fs.writeFileSync(
    path.join(dataDir, 'station.config.json'),
    JSON.stringify({ ledger: { url: 'postgres://127.0.0.1:5432/yibao', keyFile: 'pg/station-keys.json' } }),
  );
  fs.mkdirSync(path.join(dataDir, 'pg'));
  fs.writeFileSync(path.join(dataDir, 'pg', 'station-keys.json'), JSON.stringify({ user: 'w01', password: 'w01-secret-123' }));
  fs.writeFileSync(path.join(dataDir, 'office-keys.json'), JSON.stringify({ user: 'office', password: 'office-secret-1' }));
});
afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

function cli(...args: string[]) {
  const r = spawnSync(
    process.execPath,
    [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), path.join(ROOT, 'src/host/cli/index.ts'), 'keys', ...args, '--data-dir', dataDir],
    { encoding: 'utf8', cwd: ROOT },
  );
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const inDir = (f: string) => path.join(dataDir, f);
const stationKeys = () => readLedgerKeys(inDir('pg/station-keys.json'));

describe('keys: the hospital-wide lookup key', () => {
  // a few child processes (each a tsx start) on a shared machine: a generous timeout, nothing timed
  it('made once, imported into the station’s and the office’s key files, exported, rotated', { timeout: 120_000 }, () => {
    const made = cli('lookup-new', '--out', inDir('hospital-lookup.json'));
    expect(made.code).toBe(0);
    const key = JSON.parse(fs.readFileSync(inDir('hospital-lookup.json'), 'utf8')) as { id: string; key: string };
    expect(key.id).toMatch(/^HK\d{8}-[0-9a-f]{4}$/);
    expect(fs.statSync(inDir('hospital-lookup.json')).mode & 0o777).toBe(0o600);
    expect(made.out).toContain(key.id);
    expect(made.out).not.toContain(key.key); // the secret is never printed

    // never over an existing key file: it may be the one every station holds
    expect(cli('lookup-new', '--out', inDir('hospital-lookup.json')).code).toBe(1);

    expect(cli('lookup-import', inDir('hospital-lookup.json')).code).toBe(0); // the data dir's configured key file
    importLookupKey(inDir('office-keys.json'), key); // what `lookup-import FILE --key-file office-keys.json` does
    expect(stationKeys()).toEqual({ user: 'w01', password: 'w01-secret-123', lookupKeys: [key] });
    expect(readLedgerKeys(inDir('office-keys.json')).lookupKeys).toEqual([key]);
    // both hold the same key: the same token for the same ID number
    const [station] = lookupsOf(stationKeys());
    const [office] = lookupsOf(readLedgerKeys(inDir('office-keys.json')));
    expect(station!.certNoToken('35020319900101123x')).toBe(office!.certNoToken('35020319900101123X'));

    exportLookupKey(inDir('pg/station-keys.json'), inDir('carried.json')); // `lookup-export --out carried.json`
    expect(fs.statSync(inDir('carried.json')).mode & 0o777).toBe(0o600);
    expect(JSON.parse(fs.readFileSync(inDir('carried.json'), 'utf8'))).toEqual(key);

    // a rotation: the new key first, the old kept for rows tokened under it; importing it again changes nothing
    fs.writeFileSync(inDir('next.json'), JSON.stringify({ id: 'HK20270101-beef', key: 'ab'.repeat(32) }));
    const next = { id: 'HK20270101-beef', key: 'ab'.repeat(32) };
    expect(importLookupKey(inDir('pg/station-keys.json'), next)).toEqual({ keyIds: [next.id, key.id], changed: true });
    expect(importLookupKey(inDir('pg/station-keys.json'), next)).toEqual({ keyIds: [next.id, key.id], changed: false });
    expect(cli('lookup-list').out.trim().split('\n')).toEqual(['HK20270101-beef', key.id]);

    // one id, one secret
    fs.writeFileSync(inDir('forged.json'), JSON.stringify({ id: key.id, key: 'cd'.repeat(32) }));
    const forged = cli('lookup-import', inDir('forged.json'));
    expect(forged.code).toBe(1);
    expect(forged.err).toContain('已用于另一把密钥');
    expect(stationKeys().lookupKeys!.map((k) => k.id)).toEqual(['HK20270101-beef', key.id]);
  });
});
