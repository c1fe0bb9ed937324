/**
 * A private CUPS scheduler for print tests: its own cupsd (temp ServerRoot, spool, logs, a Unix socket of its own,
 * no network port, no system service touched) with one cups-pdf queue that writes what it prints into a temp
 * folder. Clients reach it by CUPS_SERVER=<socket>, the ordinary CUPS client variable.
 *
 * One compromise: cups-pdf reads its configuration only from /etc/cups (compiled in), so the queue's own file
 * /etc/cups/cups-pdf-<instance>.conf (the instance named by the device URI cups-pdf:/<instance>) is written for the
 * test and removed by close(). Hence root, which the cups-pdf backend (mode 0700) needs anyway.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const CUPS_PDF_BACKEND = '/usr/lib/cups/backend/cups-pdf';
const CUPS_PDF_PPD = '/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd';

/** Why a private CUPS with a PDF printer cannot run here, or null when it can. */
export function privateCupsUnavailable(): string | null {
  if (process.getuid?.() !== 0) return 'needs root (the cups-pdf backend runs as root; its queue config lives in /etc/cups)';
  for (const [file, pkg] of [
    ['/usr/sbin/cupsd', 'cups'],
    ['/usr/sbin/lpadmin', 'cups-client'],
    [CUPS_PDF_BACKEND, 'printer-driver-cups-pdf'],
    [CUPS_PDF_PPD, 'printer-driver-cups-pdf'],
    ['/usr/bin/pdftotext', 'poppler-utils'],
    ['/usr/bin/pdfinfo', 'poppler-utils'],
  ] as const) {
    if (!fs.existsSync(file)) return `${file} is missing: apt-get install cups printer-driver-cups-pdf poppler-utils (${pkg})`;
  }
  return null;
}

export interface PrivateCups {
  /** the environment for CUPS clients (lp, lpstat) to use this scheduler */
  env: NodeJS.ProcessEnv;
  queue: string;
  /** where cups-pdf writes each printed job as a PDF */
  outDir: string;
  /** the PDFs printed so far */
  printed(): string[];
  close(): Promise<void>;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): string {
  const r = spawnSync(cmd, args, { env: { ...env, LC_ALL: 'C' }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr || r.stdout}`);
  return r.stdout;
}

/** Polls until `ready` holds (the scheduler's socket, a job's file); fails with `what` after `ms`. */
export async function until<T>(what: string, ready: () => T | null | undefined, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = ready();
    if (value !== null && value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function startPrivateCups(): Promise<PrivateCups> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'private-cups-'));
  // The filters run as the lp user: they must reach the spool and temp folders below.
  fs.chmodSync(root, 0o755);
  const dir = (name: string, mode = 0o755) => {
    const p = path.join(root, name);
    fs.mkdirSync(p, { recursive: true, mode });
    fs.chmodSync(p, mode);
    return p;
  };
  const etc = dir('etc');
  for (const d of ['spool', 'cache', 'state', 'log']) dir(d);
  dir('tmp', 0o1777);
  const outDir = dir('out');
  const pdfSpool = dir('pdf-spool', 0o751);
  const socket = path.join(root, 'cups.sock');
  fs.writeFileSync(
    path.join(etc, 'cupsd.conf'),
    [
      `Listen ${socket}`,
      'LogLevel info',
      'WebInterface No',
      'Browsing No',
      '<Location />',
      'Order allow,deny',
      'Allow all',
      '</Location>',
      '',
    ].join('\n'),
  );
  fs.writeFileSync(
    path.join(etc, 'cups-files.conf'),
    [
      `ServerRoot ${etc}`,
      `RequestRoot ${path.join(root, 'spool')}`,
      `CacheDir ${path.join(root, 'cache')}`,
      `StateDir ${path.join(root, 'state')}`,
      `TempDir ${path.join(root, 'tmp')}`,
      `AccessLog ${path.join(root, 'log', 'access_log')}`,
      `ErrorLog ${path.join(root, 'log', 'error_log')}`,
      `PageLog ${path.join(root, 'log', 'page_log')}`,
      'SystemGroup root',
      '',
    ].join('\n'),
  );
  const instance = `yibao${randomBytes(4).toString('hex')}`;
  const cupsPdfConf = `/etc/cups/cups-pdf-${instance}.conf`;
  fs.writeFileSync(
    cupsPdfConf,
    [`Out ${outDir}`, `AnonDirName ${outDir}`, `Spool ${pdfSpool}`, `Log ${path.join(root, 'log')}`, ''].join('\n'),
  );

  const env: NodeJS.ProcessEnv = { ...process.env, CUPS_SERVER: socket };
  const cupsd: ChildProcess = spawn(
    '/usr/sbin/cupsd',
    ['-f', '-c', path.join(etc, 'cupsd.conf'), '-s', path.join(etc, 'cups-files.conf')],
    {
      stdio: 'ignore',
    },
  );
  const close = async () => {
    if (cupsd.exitCode === null) {
      const exited = new Promise((r) => cupsd.once('exit', r));
      cupsd.kill('SIGTERM');
      await exited;
    }
    fs.rmSync(cupsPdfConf, { force: true });
    fs.rmSync(root, { recursive: true, force: true });
  };
  try {
    await until('the private cupsd', () =>
      spawnSync('lpstat', ['-r'], { env, encoding: 'utf8' }).stdout.includes('is running') ? true : null,
    );
    const queue = 'slip-printer';
    run('lpadmin', ['-p', queue, '-E', '-v', `cups-pdf:/${instance}`, '-P', CUPS_PDF_PPD], env);
    // pdftocairo keeps the slip's text as text through the PostScript step cups-pdf needs (Ghostscript's renderer
    // turns it into bitmap glyphs), so the printed PDF can be read back.
    run('lpadmin', ['-p', queue, '-o', 'pdftops-renderer-default=pdftocairo'], env);
    run('lpadmin', ['-d', queue], env);
    const printed = () =>
      fs
        .readdirSync(outDir)
        .filter((f) => f.endsWith('.pdf'))
        .map((f) => path.join(outDir, f));
    return { env, queue, outDir, printed, close };
  } catch (e) {
    await close();
    throw e;
  }
}
