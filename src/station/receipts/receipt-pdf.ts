/**
 * The port through which the core turns a slip's HTML into a PDF file. Two adapters: the system Chromium for the
 * loopback host (src/app/receipt-pdf-chromium.ts) and a hidden window for the Electron shell
 * (src/main/receipt-pdf-electron.ts). Both write into a directory of their own configuration; the core only
 * names the file, with receiptFileName.
 */
import type { ReceiptView } from '../../shared/domain';
import { compactChinaTime } from './receipt-time';

export interface ReceiptPdf {
  /** Absolute path of the written PDF. */
  path: string;
  bytes: number;
}

export interface ReceiptPdfPrinter {
  /** Prints `html` (a receiptHtml document) to `<the printer's directory>/<fileName>`; rejects when no PDF came out. */
  print(html: string, fileName: string): Promise<ReceiptPdf>;
}

const FILE_PREFIX = '结算单';
/** A plain file name: letters (CJK included), digits, '_', '-', inner dots; no separators, no leading dot. */
const SAFE_NAME = /^[\p{L}\p{N}_-][\p{L}\p{N}_.-]{0,150}\.pdf$/u;

/** Anything but ASCII letters, digits, '_' and '-' becomes '_'; capped at 64 characters. */
function safePart(value: string): string {
  const cleaned = value
    .trim()
    .replace(/[^A-Za-z0-9_-]/g, '_')
    .slice(0, 64);
  return cleaned === '' || /^_+$/.test(cleaned) ? 'order' : cleaned;
}

/**
 * `结算单-<hisOrderNo>-<yyyyMMddHHmmss>.pdf`, the time being when it was printed (China time; the settlement
 * time when the print time is not a time, and 00000000000000 when neither is). Only ASCII letters, digits, '_'
 * and '-' besides the fixed prefix: no path separators, no spaces, no shell or URL characters.
 */
export function receiptFileName(r: Pick<ReceiptView, 'hisOrderNo' | 'printedAt' | 'settledAt'>): string {
  const stamp = compactChinaTime(r.printedAt) ?? compactChinaTime(r.settledAt) ?? '00000000000000';
  return `${FILE_PREFIX}-${safePart(r.hisOrderNo)}-${stamp}.pdf`;
}

/** What the PDF adapters accept as a file name (every receiptFileName is): a plain name ending .pdf, no '..'. */
export function isSafeReceiptFileName(fileName: string): boolean {
  return SAFE_NAME.test(fileName) && !fileName.includes('..');
}
