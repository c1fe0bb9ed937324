/**
 * A throwaway PostgreSQL cluster for one test file: initdb and pg_ctl on a temp dir of its own, a free port on
 * 127.0.0.1, its Unix socket in the temp dir — never a server already running on the machine. initdb refuses root,
 * so under root the cluster belongs to the `postgres` system user (`runuser -u postgres`), which owns the temp dir.
 * Local socket logins are trusted (the test's superuser); TCP logins need their password (scram-sha-256), so a
 * station connects as it would in a hospital: login and password from its key file.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg, { type ClientConfig } from 'pg';
import { POSTGRES_BIN } from './prerequisites';

export interface ThrowawayPostgres {
  readonly dir: string;
  /** With `{ tls: true }`: the test CA that signed the server's certificate (CN localhost, SAN 127.0.0.1), PEM. */
  readonly caFile: string | null;
  readonly socketDir: string;
  readonly port: number;
  /** The superuser over the Unix socket (trusted). */
  superuser(database?: string): ClientConfig;
  /** postgres://127.0.0.1:port/db — a station's address (TCP, password required). */
  url(database: string): string;
  /** pg_ctl stop -m fast: the server goes away under its clients. */
  stop(): void;
  /** pg_ctl start on the same data dir and port. */
  start(): void;
  /** Stops the server and removes everything it wrote. */
  close(): void;
}

const asRoot = process.getuid?.() === 0;

function run(cmd: string, args: string[]): string {
  const full = asRoot ? (['runuser', ['-u', 'postgres', '--', cmd, ...args]] as const) : ([cmd, args] as const);
  const r = spawnSync(full[0], [...full[1]], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr || r.stdout}`);
  return r.stdout;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** A CA and a server certificate for it (EC P-256, two days), made with the OpenSSL command line. */
function makeServerCertificate(dir: string): { caFile: string; certFile: string; keyFile: string } {
  const at = (f: string) => path.join(dir, f);
  const ssl = (...args: string[]) => {
    const r = spawnSync('openssl', args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.stderr}`);
  };
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  ssl('req', '-x509', ...ec, '-keyout', at('ca.key'), '-out', at('ca.crt'), '-days', '2', '-subj', '/CN=yibao test CA');
  ssl('req', ...ec, '-keyout', at('server.key'), '-out', at('server.csr'), '-subj', '/CN=localhost');
  fs.writeFileSync(at('server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  ssl(
    'x509',
    '-req',
    '-in',
    at('server.csr'),
    '-CA',
    at('ca.crt'),
    '-CAkey',
    at('ca.key'),
    '-CAcreateserial',
    '-out',
    at('server.crt'),
    '-days',
    '2',
    '-extfile',
    at('server.ext'),
  );
  return { caFile: at('ca.crt'), certFile: at('server.crt'), keyFile: at('server.key') };
}

/** `tls`: the server speaks TLS with a test CA's certificate and accepts TCP logins only over TLS (hostssl). */
export async function startThrowawayPostgres(opts: { tls?: boolean } = {}): Promise<ThrowawayPostgres> {
  const bin = (name: string) => path.join(POSTGRES_BIN, name);
  if (!fs.existsSync(bin('initdb'))) throw new Error(`PostgreSQL server binaries not found in ${POSTGRES_BIN}: apt-get install postgresql`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yibao-pg-'));
  if (asRoot) {
    const ids = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    if (ids.status !== 0) throw new Error('running as root but there is no postgres system user (apt-get install postgresql creates it)');
    const uid = Number(ids.stdout.trim());
    const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
    fs.chownSync(dir, uid, gid);
  }
  const data = path.join(dir, 'data');
  const socketDir = dir;
  const log = path.join(dir, 'server.log');
  run(bin('initdb'), ['-D', data, '-U', 'postgres', '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--no-sync']);
  const port = await freePort();
  let options = `-p ${port} -k ${socketDir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  let caFile: string | null = null;
  if (opts.tls) {
    const certs = makeServerCertificate(dir);
    caFile = certs.caFile;
    if (asRoot) for (const f of [certs.certFile, certs.keyFile]) fs.chownSync(f, fs.statSync(dir).uid, fs.statSync(dir).gid);
    fs.chmodSync(certs.keyFile, 0o600);
    options += ` -c ssl=on -c ssl_cert_file=${certs.certFile} -c ssl_key_file=${certs.keyFile}`;
    fs.writeFileSync(path.join(data, 'pg_hba.conf'), 'local all all trust\nhostssl all all 127.0.0.1/32 scram-sha-256\n');
  }
  const start = () => void run(bin('pg_ctl'), ['start', '-D', data, '-w', '-t', '60', '-l', log, '-o', options]);
  const stop = () => void run(bin('pg_ctl'), ['stop', '-D', data, '-w', '-t', '60', '-m', 'fast']);
  start();
  let running = true;
  return {
    dir,
    caFile,
    socketDir,
    port,
    superuser: (database = 'postgres') => ({ host: socketDir, port, user: 'postgres', database }),
    url: (database) => `postgres://127.0.0.1:${port}/${database}`,
    stop: () => {
      stop();
      running = false;
    },
    start: () => {
      start();
      running = true;
    },
    close: () => {
      try {
        if (running) stop();
      } finally {
        running = false;
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** `fn` with the superuser connected to `database` over the socket; the connection ended after, also on a throw. */
export async function asSuperuser<T>(server: ThrowawayPostgres, database: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client(server.superuser(database));
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** The hospital ledger's database (yibao), empty, on the server. */
export async function createLedgerDatabase(server: ThrowawayPostgres): Promise<void> {
  const admin = new pg.Client(server.superuser());
  await admin.connect();
  await admin.query('CREATE DATABASE yibao');
  await admin.end();
}

/** A login's key file in `dir` (mode 600), as a station or the office reads it (user, password, …): its path. */
export function writeKeyFile(dir: string, name: string, keys: { user: string; password: string } & Record<string, unknown>): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, JSON.stringify(keys), { mode: 0o600 });
  return file;
}
