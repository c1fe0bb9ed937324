// Prints a real settlement slip with the system Chromium (headless, no display needed) and checks the PDF.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { receiptHtml } from '../station/receipts/receipt-html';
import { receiptFileName } from '../station/receipts/receipt-pdf';
import { sampleReceipt } from '../station/receipts/testing/sample-receipt';
import { missing, missingReason } from '../../test/harness/prerequisites';
import { CHROMIUM_NOT_FOUND, ChromiumReceiptPdfPrinter, findChromium } from './receipt-pdf-chromium';

const chromium = findChromium(process.env.CHROMIUM_PATH);
// Under CI=true a machine without Chromium fails here, naming the package (test/harness/prerequisites.ts).
const noChromium = chromium === null && missing('chromium', process.env, () => false);
const skipReason = missingReason('chromium');

let base: string;
beforeEach(() => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'receipt-pdf-test-'));
});
afterEach(() => {
  fs.rmSync(base, { recursive: true, force: true });
});

describe('ChromiumReceiptPdfPrinter', () => {
  if (noChromium) console.warn(`[receipt-pdf-chromium.test] skipping the real prints: ${skipReason}`);

  it.skipIf(noChromium)(
    'prints a slip to a real PDF in a new 0700 directory and removes its temp HTML',
    async () => {
      const dir = path.join(base, 'receipts', 'nested');
      const printer = new ChromiumReceiptPdfPrinter({ dir, executablePath: chromium! });
      const receipt = sampleReceipt({ trainingMode: true, patientName: '<script>陈建国</script>' });
      const fileName = receiptFileName(receipt);

      const pdf = await printer.print(receiptHtml(receipt), fileName);

      expect(pdf.path).toBe(path.join(dir, fileName));
      const bytes = fs.readFileSync(pdf.path);
      expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(pdf.bytes).toBe(bytes.length);
      expect(pdf.bytes).toBeGreaterThan(1024);
      expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
      // Only the PDF is left: no temp HTML, no partial PDF.
      expect(fs.readdirSync(dir)).toEqual([fileName]);
    },
    60_000,
  );

  it.skipIf(noChromium)(
    'a timeout kills Chromium, rejects, and leaves nothing behind',
    async () => {
      const dir = path.join(base, 'out');
      const printer = new ChromiumReceiptPdfPrinter({ dir, executablePath: chromium!, timeoutMs: 1 });
      await expect(printer.print(receiptHtml(sampleReceipt()), 'slow.pdf')).rejects.toThrow(/超时/);
      expect(fs.readdirSync(dir)).toEqual([]);
    },
    30_000,
  );

  it('without a Chromium it says so, clearly', async () => {
    const printer = new ChromiumReceiptPdfPrinter({ dir: path.join(base, 'out'), executablePath: path.join(base, 'no-such-chromium') });
    await expect(printer.print('<html></html>', 'x.pdf')).rejects.toThrow(CHROMIUM_NOT_FOUND);
  });

  it('refuses a file name that could leave its directory, before starting anything', async () => {
    const printer = new ChromiumReceiptPdfPrinter({ dir: path.join(base, 'out') });
    await expect(printer.print('<html></html>', '../escape.pdf')).rejects.toThrow(/文件名不合法/);
    expect(fs.existsSync(path.join(base, 'out'))).toBe(false);
  });

  it('rejects an output that is not a PDF (a "Chromium" that prints nothing)', async () => {
    const fake = path.join(base, 'fake-chromium');
    fs.writeFileSync(
      fake,
      '#!/bin/sh\nfor a in "$@"; do case "$a" in --print-to-pdf=*) printf "not a pdf" > "${a#--print-to-pdf=}";; esac; done\necho "fake failure" >&2\n',
      { mode: 0o755 },
    );
    const dir = path.join(base, 'out');
    const printer = new ChromiumReceiptPdfPrinter({ dir, executablePath: fake });
    await expect(printer.print(receiptHtml(sampleReceipt()), 'x.pdf')).rejects.toThrow(/未生成有效的 PDF[\s\S]*fake failure/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
