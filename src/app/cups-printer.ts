/**
 * The core's own printer for the loopback host on Linux (issue 12, item 4): CUPS. The slip becomes a PDF of the
 * paper's size (the system Chromium headless; a roll as long as the slip, measured first) and `lp` queues it to
 * the chosen printer with the same media, copies and a job name — no dialog anywhere. The list comes from
 * `lpstat -e` / `lpstat -d`. Every tool runs from an argument array (no shell), in the C locale (its words are
 * parsed), with a timeout; CUPS_SERVER in the environment picks another scheduler, as for any CUPS client.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SystemPrintersView } from '../shared/printing';
import { PAPER_SPECS, parseLpstatDefault, parseLpstatDestinations, type SystemPrinterPort, type SystemPrintJob } from '../station/receipts';
import { ChromiumReceiptPdfPrinter, findChromium } from './receipt-pdf-chromium';

const TOOL_TIMEOUT_MS = 15_000;
/** A roll's page is the slip's height plus this much feed, so the cutter misses the last line. */
const ROLL_FEED_MM = 12;
const ROLL_FALLBACK_MM = 297;

interface ToolResult {
  code: number;
  stdout: string;
  stderr: string;
}

function runTool(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      { env: { ...env, LC_ALL: 'C', LANG: 'C' }, timeout: TOOL_TIMEOUT_MS, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') return reject(error);
        resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
      },
    );
  });
}

export interface CupsPrinterOptions {
  /** where the PDFs are made and removed again (0700) */
  workDir: string;
  env?: NodeJS.ProcessEnv;
  chromiumPath?: string;
}

export class CupsSystemPrinter implements SystemPrinterPort {
  private readonly env: NodeJS.ProcessEnv;

  constructor(private readonly opts: CupsPrinterOptions) {
    this.env = opts.env ?? process.env;
  }

  async list(): Promise<SystemPrintersView> {
    let names: ToolResult;
    try {
      names = await runTool('lpstat', ['-e'], this.env);
    } catch {
      return { source: 'none', printers: [], defaultPrinter: null, message: '本机未安装 CUPS（lpstat）：sudo apt install cups' };
    }
    if (names.code !== 0) {
      return {
        source: 'none',
        printers: [],
        defaultPrinter: null,
        message: `无法读取 CUPS 打印机列表：${names.stderr.trim() || `lpstat ${names.code}`}`,
      };
    }
    const def = await runTool('lpstat', ['-d'], this.env).catch(() => null);
    const printers = parseLpstatDestinations(names.stdout).map((name) => ({ name, displayName: name, description: '' }));
    return { source: 'cups', printers, defaultPrinter: def ? parseLpstatDefault(def.stdout) : null, message: null };
  }

  async print(job: SystemPrintJob): Promise<{ printer: string; copies: number }> {
    const spec = PAPER_SPECS[job.paper];
    const roll = spec.heightMicrons === null;
    const lengthMm = spec.heightMicrons === null ? await this.rollLengthMm(job.html, spec.widthMicrons) : spec.heightMicrons / 1000;
    const html = roll ? withRollPage(job.html, spec.widthMicrons / 1000, lengthMm) : job.html;
    fs.mkdirSync(this.opts.workDir, { recursive: true, mode: 0o700 });
    const pdfDir = fs.mkdtempSync(path.join(this.opts.workDir, 'print-'));
    try {
      const pdf = await new ChromiumReceiptPdfPrinter({
        dir: pdfDir,
        ...(this.opts.chromiumPath ? { executablePath: this.opts.chromiumPath } : {}),
      }).print(html, 'slip.pdf');
      const media = roll ? `Custom.${spec.widthMicrons / 1000}x${lengthMm}mm` : job.paper;
      const args = [
        ...(job.printer ? ['-d', job.printer] : []),
        '-n',
        String(job.copies),
        '-t',
        job.title,
        '-o',
        `media=${media}`,
        pdf.path,
      ];
      const r = await runTool('lp', args, this.env).catch((e: unknown) => ({ code: -1, stdout: '', stderr: String(e) }));
      if (r.code !== 0) throw new Error(r.stderr.trim() || `lp ${r.code}`);
      return { printer: job.printer ?? '系统默认打印机', copies: job.copies };
    } finally {
      fs.rmSync(pdfDir, { recursive: true, force: true });
    }
  }

  /** The slip's height laid out at the roll's width (Chromium headless --dump-dom), in whole mm plus the feed. */
  private async rollLengthMm(html: string, widthMicrons: number): Promise<number> {
    const chromium = findChromium(this.opts.chromiumPath);
    if (!chromium) return ROLL_FALLBACK_MM;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slip-measure-'));
    try {
      const file = path.join(dir, 'measure.html');
      // Only this throw-away copy carries a script: it writes the body's height where --dump-dom shows it.
      const probe =
        '<script>document.body.setAttribute("data-height-px", String(Math.ceil(document.body.getBoundingClientRect().height)))</script>';
      fs.writeFileSync(file, html.replace('</body>', `${probe}</body>`), { mode: 0o600 });
      const widthPx = Math.ceil((widthMicrons / 25_400) * 96);
      const args = [
        '--headless',
        '--disable-gpu',
        ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
        `--user-data-dir=${path.join(dir, 'profile')}`,
        `--window-size=${widthPx},200`,
        '--dump-dom',
        pathToFileURL(file).href,
      ];
      const r = await runTool(chromium, args, this.env).catch(() => null);
      const px = Number(/data-height-px="(\d+)"/.exec(r?.stdout ?? '')?.[1]);
      return Number.isFinite(px) && px > 0 ? Math.ceil((px * 25.4) / 96) + ROLL_FEED_MM : ROLL_FALLBACK_MM;
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}

/** A roll slip with its page fixed to the paper's width and the measured length (the PDF's MediaBox). */
export function withRollPage(html: string, widthMm: number, lengthMm: number): string {
  return html.replace('</style>', `@page { size: ${widthMm}mm ${lengthMm}mm; margin: 0; }</style>`);
}
