/**
 * ReceiptPdfPrinter for the Electron shell: a hidden, locked-down window renders the slip's HTML and
 * webContents.printToPDF prints it (A5, backgrounds on, the CSS @page size preferred).
 *
 * The window runs no script at all (javascript: false), in the sandbox, with context isolation, no preload and
 * no Node, in its own in-memory session (which security.ts hardens like every session: no permission, no
 * request but data: and app://). The HTML comes as a data: URL, so nothing is written before the PDF, and the
 * PDF is written to a temp name in the output directory (0700) and renamed once it is known to be a PDF.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { BrowserWindow } from 'electron';
import { isSafeReceiptFileName, type ReceiptPdf, type ReceiptPdfPrinter } from '../station/receipts/receipt-pdf';

export interface ElectronReceiptPdfOptions {
  /** Where the PDFs are written; created (mode 0700) when missing. */
  dir: string;
  /** Loading and printing together must finish within this; default 30 s. */
  timeoutMs?: number;
}

/** An in-memory partition of its own: the slip shares no cookies, storage or cache with the station window. */
export const RECEIPT_PRINT_PARTITION = 'receipt-print';

function withTimeout<T>(work: Promise<T>, timeoutMs: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(message)), timeoutMs);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export class ElectronReceiptPdfPrinter implements ReceiptPdfPrinter {
  readonly dir: string;
  private readonly timeoutMs: number;

  constructor(opts: ElectronReceiptPdfOptions) {
    this.dir = path.resolve(opts.dir);
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    if (!(this.timeoutMs > 0)) throw new RangeError(`timeoutMs must be positive, got ${this.timeoutMs}`);
  }

  async print(html: string, fileName: string): Promise<ReceiptPdf> {
    if (!isSafeReceiptFileName(fileName)) throw new Error(`结算单文件名不合法：${JSON.stringify(fileName)}`);
    const pdf = await this.render(html);
    if (pdf.subarray(0, 5).toString('latin1') !== '%PDF-') throw new Error('未生成有效的 PDF');

    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
    const finalFile = path.join(this.dir, fileName);
    const partFile = path.join(this.dir, `.receipt-${randomUUID()}.pdf.part`);
    try {
      await fs.writeFile(partFile, pdf, { mode: 0o600, flag: 'wx' });
      await fs.rename(partFile, finalFile);
    } finally {
      await fs.rm(partFile, { force: true });
    }
    return { path: finalFile, bytes: pdf.length };
  }

  private async render(html: string): Promise<Buffer> {
    const win = new BrowserWindow({
      show: false,
      width: 560, // about A5 at 96 dpi; the PDF's size comes from pageSize / @page, not from the window
      height: 794,
      webPreferences: {
        sandbox: true,
        contextIsolation: true,
        nodeIntegration: false,
        nodeIntegrationInSubFrames: false,
        javascript: false,
        webSecurity: true,
        webviewTag: false,
        spellcheck: false,
        devTools: false,
        partition: RECEIPT_PRINT_PARTITION,
      },
    });
    try {
      return await withTimeout(
        (async () => {
          await win.loadURL(`data:text/html;charset=utf-8,${encodeURIComponent(html)}`);
          return win.webContents.printToPDF({ pageSize: 'A5', printBackground: true, preferCSSPageSize: true });
        })(),
        this.timeoutMs,
        `生成 PDF 超时（${this.timeoutMs} ms）`,
      );
    } finally {
      if (!win.isDestroyed()) win.destroy();
    }
  }
}
