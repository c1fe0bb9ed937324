/**
 * Issue 12's print evidence: a real print path. A private CUPS scheduler with a cups-pdf queue stands in for the
 * cashier window's printer; the loopback host's core prints the slip to the queue the administrator chose, on 80 mm
 * paper, with no dialog and no browser involved (CUPS `lp`), and cups-pdf writes what the printer would have
 * received. That PDF must be the right slip (its text: the order number and the total in capitals) on the right
 * paper (its page 80 mm wide), and a second print of it must say 补打.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CupsSystemPrinter } from '../app/cups-printer';
import type { OperationOutputs } from '../shared/api';
import type { OrderView } from '../shared/domain';
import { fenToCapitals } from '../shared/money-capitals';
import type { PrintSettingsView, SystemPrintersView } from '../shared/printing';
import { TRAINING_PASSWORD } from '../station/auth/training-operators';
import { ok, openOrder, scanCode, settle, startOutpatientHarness, type OutpatientHarness } from '../../test/harness/outpatient-harness';
import { missing, missingReason } from '../../test/harness/prerequisites';
import { privateCupsUnavailable, startPrivateCups, until, type PrivateCups } from '../../test/harness/private-cups';
import { connect, type TestClient } from '../../test/harness/ws-test-client';

const unavailable =
  (missing('cups-pdf') ? missingReason('cups-pdf') : null) ??
  (missing('chromium') ? missingReason('chromium') : null) ??
  privateCupsUnavailable();

/** The page size of a PDF's first page in mm (pdfinfo prints points). */
function pageSizeMm(pdf: string): { width: number; height: number } {
  const info = spawnSync('pdfinfo', [pdf], { encoding: 'utf8' }).stdout;
  const m = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(info);
  if (!m) throw new Error(`no page size in ${pdf}: ${info}`);
  return { width: (Number(m[1]) * 25.4) / 72, height: (Number(m[2]) * 25.4) / 72 };
}

/**
 * Noto Sans CJK maps some glyphs to radical code points as well as to the ideograph, and pdftotext reports the
 * radical (⻔ for 门): read them as the characters they show. Kangxi radicals NFKC folds by itself; these are the
 * supplement's forms that occur on a slip.
 */
const RADICAL_FORMS: Record<string, string> = {
  '⻔': '门',
  '⺠': '民',
  '⻆': '角',
  '⻚': '页',
  '⻓': '长',
  '⻅': '见',
  '⻋': '车',
  '⻢': '马',
};

/** Text for comparing: NFKC (full-width punctuation too), radical forms as ideographs, no spaces. */
function plain(text: string): string {
  return [...text.normalize('NFKC')]
    .map((ch) => RADICAL_FORMS[ch] ?? ch)
    .join('')
    .replace(/\s+/g, '');
}

function pdfText(pdf: string): string {
  return plain(spawnSync('pdftotext', [pdf, '-'], { encoding: 'utf8' }).stdout);
}

describe.skipIf(unavailable !== null)(
  `a slip printed through CUPS to a PDF printer${unavailable ? ` — skipped: ${unavailable}` : ''}`,
  { timeout: 90_000 },
  () => {
    let cups: PrivateCups;
    let h: OutpatientHarness;
    let admin: TestClient;
    let workDir: string;

    beforeAll(async () => {
      cups = await startPrivateCups();
    });
    afterAll(async () => {
      await cups?.close();
    });
    beforeEach(async () => {
      workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cups-print-work-'));
      h = await startOutpatientHarness({ systemPrinter: new CupsSystemPrinter({ workDir, env: cups.env }) });
      admin = await connect(h.host);
      ok(await admin.call('login', { login: 'admin', password: TRAINING_PASSWORD }));
    });
    afterEach(async () => {
      admin.close();
      await h.close();
      fs.rmSync(workDir, { recursive: true, force: true });
    });

    /** The next PDF cups-pdf writes, once its job has left the queue (so the file is whole). */
    async function nextPrinted(before: number): Promise<string> {
      return until('the printed PDF', () => {
        const files = cups.printed();
        const pending = spawnSync('lpstat', ['-o', cups.queue], { env: cups.env, encoding: 'utf8' }).stdout.trim();
        return files.length > before && pending === ''
          ? files.sort((a, b) => fs.statSync(a).mtimeMs - fs.statSync(b).mtimeMs).at(-1)
          : null;
      });
    }

    it('the admin screen sees the CUPS printers and the default', async () => {
      const list = ok(await admin.call<SystemPrintersView>('listSystemPrinters', {}));
      expect(list).toEqual({
        source: 'cups',
        printers: [{ name: cups.queue, displayName: cups.queue, description: '' }],
        defaultPrinter: cups.queue,
        message: null,
      });
    });

    it('prints the right slip on 80 mm paper to the chosen queue without a dialog; the reprint says 补打', async () => {
      ok(await admin.call<PrintSettingsView>('setPrintSettings', { printer: cups.queue, paper: '80mm', copies: 1 }));
      const order = await openOrder(h.c, '310');
      let done: OrderView = await settle(h.c, order.id);
      if (done.state !== 'completed') {
        const wallet = h.station.training!.payChannel.control.wallet({ channel: 'WECHAT', balanceFen: 1_000_000 });
        done = ok(await h.c.call<OrderView>('payOrderByCode', { orderId: order.id, scanId: await scanCode(h, wallet.authCode) }));
      }
      expect(done.state).toBe('completed');

      const first = ok(await h.c.call<OperationOutputs['printReceipt']>('printReceipt', { orderId: order.id }));
      expect(first.printed).toEqual({ printer: cups.queue, copies: 1 });
      const pdf = await nextPrinted(0);
      const size = pageSizeMm(pdf);
      expect(Math.abs(size.width - 80)).toBeLessThan(1);
      expect(size.height).toBeGreaterThan(100); // a whole slip on one roll page, not an A4 sheet
      expect(size.height).not.toBeCloseTo(297, 0);
      const text = pdfText(pdf);
      expect(text).toContain(order.hisOrderNo);
      expect(text).toContain(plain(`人民币${fenToCapitals(first.receipt.totalFen)}`));
      expect(text).toContain('门诊医保结算单');
      expect(text).not.toContain('补打');

      const again = ok(await h.c.call<OperationOutputs['printReceipt']>('printReceipt', { orderId: order.id }));
      expect(again.receipt.reprint).toEqual({ printNo: 2 });
      const reprint = pdfText(await nextPrinted(1));
      expect(reprint).toContain(order.hisOrderNo);
      expect(reprint).toContain('补打');
      expect(reprint).toContain(plain('第 2 次（补打）'));
    });

    it('prints the test page to the chosen printer', async () => {
      ok(await admin.call<PrintSettingsView>('setPrintSettings', { printer: cups.queue, paper: 'A5', copies: 2 }));
      const before = cups.printed().length;
      const page = ok(await admin.call<OperationOutputs['printTestPage']>('printTestPage', {}));
      expect(page.printed).toEqual({ printer: cups.queue, copies: 1 });
      const pdf = await nextPrinted(before);
      expect(pdfText(pdf)).toContain('打印测试页');
      expect(pdfText(pdf)).toContain(cups.queue);
      const size = pageSizeMm(pdf);
      // A5 is 148 × 210 mm; PostScript rounds the page to whole points on its way through CUPS.
      expect(Math.abs(size.width - 148)).toBeLessThan(1);
      expect(Math.abs(size.height - 210)).toBeLessThan(1);
    });
  },
);
