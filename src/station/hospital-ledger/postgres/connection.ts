/**
 * How a station (or IT's `ledger` command) reaches the hospital's PostgreSQL: the address from the configuration
 * (`ledger.url`, never with a password in it), the login, its password and TLS files from the key file
 * (`ledger.keyFile`, mode 0600 beside the NHSA keys), and there the hospital-wide lookup keys. A server on the network is reached only over TLS that
 * verifies the server's certificate; only a Unix socket or loopback may go without.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { ClientConfig } from 'pg';
import { HospitalLookup, HospitalLookupKeySchema } from '../../security';

export const LedgerUrlSchema = z
  .string()
  .regex(/^postgres(ql)?:\/\//, 'postgres://主机:端口/库名')
  .refine((u) => {
    try {
      return new URL(u).password === '';
    } catch {
      return false;
    }
  }, '地址中不得包含密码（密码放在 ledger.keyFile）');

export const LedgerKeysSchema = z
  .object({
    user: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/),
    password: z.string().min(12),
    /** PEM files, relative to the key file: the hospital's CA (required for a network server), and a client certificate if the server asks for one. */
    tls: z
      .object({ caFile: z.string().min(1), certFile: z.string().min(1).optional(), keyFile: z.string().min(1).optional() })
      .strict()
      .optional(),
    /**
     * The hospital-wide lookup keys (全院查询密钥, `npm run station -- keys …`), the current one first: a station tokens
     * its events' patients with the first; the office searches with each (rows tokened before a rotation too).
     */
    lookupKeys: z.array(HospitalLookupKeySchema).min(1).max(8).optional(),
  })
  .strict();
export type LedgerKeys = z.infer<typeof LedgerKeysSchema>;

export interface LedgerAddress {
  /** A host name, or the directory of a Unix socket. */
  host: string;
  port: number;
  database: string;
  /** The login in the address (IT's `ledger init` as postgres); a station's comes from its key file. */
  user: string | null;
}

/** postgres://host:port/db, or postgres:///db?host=/run/postgresql for a Unix socket. */
export function parseLedgerUrl(url: string): LedgerAddress {
  const u = new URL(LedgerUrlSchema.parse(url));
  const socket = u.searchParams.get('host');
  const database = decodeURIComponent(u.pathname.replace(/^\//, '')) || 'yibao';
  return {
    host: socket ?? (decodeURIComponent(u.hostname) || 'localhost'),
    port: u.port ? Number(u.port) : 5432,
    database,
    user: u.username ? decodeURIComponent(u.username) : null,
  };
}

const isLocal = (host: string) => host.startsWith('/') || ['localhost', '127.0.0.1', '[::1]', '::1'].includes(host);

export function readLedgerKeys(file: string): LedgerKeys {
  return LedgerKeysSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
}

/** The key file's hospital-wide lookup keys, the current first (none when IT has not imported one). */
export function lookupsOf(keys: LedgerKeys): HospitalLookup[] {
  return (keys.lookupKeys ?? []).map((k) => new HospitalLookup(k));
}

/** The pg connection of a login: TLS verified against the hospital's CA off this machine; none only for a local server. */
export function clientConfig(
  address: LedgerAddress,
  login: { user: string; password?: string },
  keys?: LedgerKeys,
  keyFile?: string,
): ClientConfig {
  const base: ClientConfig = {
    host: address.host,
    port: address.port,
    database: address.database,
    user: login.user,
    ...(login.password === undefined ? {} : { password: login.password }),
    application_name: 'yibao-station',
    connectionTimeoutMillis: 10_000,
  };
  const tls = keys?.tls;
  if (!tls) {
    if (!isLocal(address.host)) throw new Error(`账本服务器 ${address.host} 不在本机：须在 ledger.keyFile 中配置 tls.caFile（TLS）`);
    return base;
  }
  const dir = keyFile ? path.dirname(keyFile) : '.';
  const read = (f: string) => fs.readFileSync(path.resolve(dir, f), 'utf8');
  return {
    ...base,
    ssl: {
      rejectUnauthorized: true,
      ca: read(tls.caFile),
      ...(tls.certFile ? { cert: read(tls.certFile) } : {}),
      ...(tls.keyFile ? { key: read(tls.keyFile) } : {}),
    },
  };
}

/** A station's connection from its configuration: the url and its key file. */
export function stationClientConfig(ledger: { url: string; keyFile: string }): ClientConfig {
  const keys = readLedgerKeys(ledger.keyFile);
  return clientConfig(parseLedgerUrl(ledger.url), keys, keys, ledger.keyFile);
}
