/**
 * ReceiptPdfPrinter for the loopback host (plain Node, no Electron): the system Chromium prints the slip headless.
 *
 * The HTML goes to a private temp file in the output directory (0700), Chromium prints it to a temp PDF there
 * with its own throw-away profile (so it never hands the job to a Chromium the station already runs), and
 * only a file that really is a PDF is renamed to its final name. Chromium runs from an argument array (no
 * shell) in its own process group, which a timeout kills whole. Headless needs no display.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isSafeReceiptFileName, type ReceiptPdf, type ReceiptPdfPrinter } from '../station/receipts/receipt-pdf';

export const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'] as const;
export const CHROMIUM_NOT_FOUND = '找不到 Chromium，无法生成 PDF';

export interface ChromiumReceiptPdfOptions {
  /** Where the PDFs are written; created (mode 0700) when missing. */
  dir: string;
  /** The Chromium binary; default the first of CHROMIUM_CANDIDATES that exists. */
  executablePath?: string;
  /** Chromium is killed after this long; default 30 s. */
  timeoutMs?: number;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The Chromium to print with, or null when there is none. */
export function findChromium(executablePath?: string): string | null {
  if (executablePath !== undefined) return isExecutable(executablePath) ? executablePath : null;
  return CHROMIUM_CANDIDATES.find(isExecutable) ?? null;
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

function startsWithPdfMagic(file: string): boolean {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const head = Buffer.alloc(5);
    const n = fs.readSync(fd, head, 0, 5, 0);
    return n === 5 && head.toString('latin1') === '%PDF-';
  } catch {
    return false;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

function removeQuietly(target: string, opts: { recursive?: boolean } = {}): void {
  try {
    fs.rmSync(target, { force: true, recursive: opts.recursive ?? false });
  } catch {
    // best effort: a leftover temp file is not worth failing a print that succeeded
  }
}

interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stderr: string;
}

const STDERR_KEEP = 4_000;

function run(executable: string, args: string[], timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    // detached: Chromium and its helpers (zygote, renderer, GPU) form their own process group, killed together.
    const child = spawn(executable, args, { stdio: ['ignore', 'ignore', 'pipe'], detached: true, shell: false });
    let stderr = '';
    let timedOut = false;
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-STDERR_KEEP);
    });
    const killGroup = () => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, timedOut, stderr });
    });
  });
}

export class ChromiumReceiptPdfPrinter implements ReceiptPdfPrinter {
  readonly dir: string;
  private readonly executablePath: string | undefined;
  private readonly timeoutMs: number;

  constructor(opts: ChromiumReceiptPdfOptions) {
    this.dir = path.resolve(opts.dir);
    this.executablePath = opts.executablePath;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    if (!(this.timeoutMs > 0)) throw new RangeError(`timeoutMs must be positive, got ${this.timeoutMs}`);
  }

  async print(html: string, fileName: string): Promise<ReceiptPdf> {
    if (!isSafeReceiptFileName(fileName)) throw new Error(`结算单文件名不合法：${JSON.stringify(fileName)}`);
    const executable = findChromium(this.executablePath);
    if (executable === null) throw new Error(CHROMIUM_NOT_FOUND);

    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const id = randomUUID();
    const htmlFile = path.join(this.dir, `.receipt-${id}.html`);
    const partFile = path.join(this.dir, `.receipt-${id}.pdf.part`);
    const finalFile = path.join(this.dir, fileName);
    let profileDir: string | undefined;
    try {
      fs.writeFileSync(htmlFile, html, { encoding: 'utf8', mode: 0o600, flag: 'wx' });
      profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'receipt-chromium-'));
      const args = [
        '--headless',
        '--disable-gpu',
        ...(isRoot() ? ['--no-sandbox'] : []),
        '--no-pdf-header-footer',
        '--no-first-run',
        '--no-default-browser-check',
        '--disable-extensions',
        '--disable-sync',
        '--disable-background-networking',
        '--disable-component-update',
        '--mute-audio',
        `--user-data-dir=${profileDir}`,
        `--print-to-pdf=${partFile}`,
        pathToFileURL(htmlFile).href,
      ];
      const result = await run(executable, args, this.timeoutMs);
      if (result.timedOut) throw new Error(`Chromium 生成 PDF 超时（${this.timeoutMs} ms）`);
      if (!startsWithPdfMagic(partFile)) {
        const how = result.signal ? `signal ${result.signal}` : `exit code ${String(result.code)}`;
        const tail = result.stderr.trim().split('\n').slice(-5).join('\n');
        throw new Error(`Chromium 未生成有效的 PDF（${how}）${tail ? `：${tail}` : ''}`);
      }
      fs.chmodSync(partFile, 0o600);
      fs.renameSync(partFile, finalFile);
      return { path: finalFile, bytes: fs.statSync(finalFile).size };
    } finally {
      removeQuietly(htmlFile);
      removeQuietly(partFile);
      if (profileDir !== undefined) removeQuietly(profileDir, { recursive: true });
    }
  }
}
