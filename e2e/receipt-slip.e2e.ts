/**
 * The slip on a thermal roll (issue 12, item 4): receiptHtml for 80 mm and 58 mm rendered by Chromium at the paper's
 * width (96 px per inch, as the shell's hidden print window lays it out) must not overflow sideways — on screen and
 * in print media, with the longest values a slip meets. The 80 mm picture is saved to artifacts/receipt-80mm.png
 * (copied to docs/screens/ when the layout changes).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { receiptHtml, type ReceiptPaper } from '../src/station/receipts';
import { sampleReceipt } from '../src/station/receipts/testing/sample-receipt';
import { fen } from '../src/shared/money';
import { missing, missingReason } from '../test/harness/prerequisites';
import { launchBrowser, saveScreenshot } from './fixtures';

const skip = missing('chromium');

/** A slip with the long values that break narrow layouts: long drug names and specs, big amounts, long trade numbers. */
const longSlip = sampleReceipt({
  institutionName: '厦门大学附属第一医院思明分院（厦门市第一医院思明院区）',
  lines: [
    ...sampleReceipt().lines,
    {
      seq: 5,
      name: '注射用头孢哌酮钠舒巴坦钠（舒普深）ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
      spec: '1.5g(头孢哌酮0.75g+舒巴坦0.75g)*10支/盒',
      unit: '盒',
      quantity: '120',
      unitPriceFen: fen(1_234_567),
      amountFen: fen(148_148_040),
      chargeLevel: '02',
    },
  ],
  totalFen: fen(148_159_250),
  payments: [{ ...sampleReceipt().payments[0]!, outTradeNo: 'YB2026112210153000012345678901234567890' }],
  pickupWindow: '门诊西药房（一楼东侧）3 号窗口 / 中药房 7 号窗口',
});

const PX_PER_MM = 96 / 25.4;

async function overflow(page: Page): Promise<{ scroll: number; client: number; outside: string[] }> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const outside = [...document.querySelectorAll('body *')]
      .filter((el) => !el.classList.contains('watermark'))
      .filter((el) => {
        const r = el.getBoundingClientRect();
        return r.width > 0 && (r.left < -0.5 || r.right > width + 0.5);
      })
      .map((el) => `${el.tagName.toLowerCase()}.${el.className}: ${(el.textContent ?? '').slice(0, 30)}`);
    return { scroll: document.documentElement.scrollWidth, client: width, outside };
  });
}

describe.skipIf(skip)(`the slip on a thermal roll${skip ? ` (${missingReason('chromium')})` : ''}`, () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it.each([
    ['80mm', 80, 72],
    ['58mm', 58, 48],
  ] as const)(
    'fits %s paper: nothing wider than the page, on screen and in print',
    async (paper: ReceiptPaper, paperMm: number, contentMm: number) => {
      const page = await browser.newPage({ viewport: { width: Math.round(paperMm * PX_PER_MM), height: 900 } });
      try {
        await page.setContent(receiptHtml(longSlip, { paper }));
        for (const media of ['screen', 'print'] as const) {
          await page.emulateMedia({ media });
          const o = await overflow(page);
          expect(o.outside, media).toEqual([]);
          expect(o.scroll, media).toBeLessThanOrEqual(o.client);
        }
        const body = await page.evaluate(() => document.body.getBoundingClientRect().width);
        expect(Math.abs(body - contentMm * PX_PER_MM)).toBeLessThan(1);
        await expect(page.getByText('大写：人民币壹佰肆拾捌万壹仟伍佰玖拾贰元伍角整').count()).resolves.toBe(1);
        await expect(page.getByText('乙类').count()).resolves.toBeGreaterThan(0);
      } finally {
        await page.close();
      }
    },
  );

  it('pictures the 80 mm slip (artifacts/receipt-80mm.png)', async () => {
    const page = await browser.newPage({ viewport: { width: Math.round(80 * PX_PER_MM), height: 900 } });
    try {
      await page.setContent(receiptHtml(sampleReceipt(), { paper: '80mm' }));
      const png = await saveScreenshot(page, 'receipt-80mm.png');
      expect(png.readUInt32BE(16)).toBe(Math.round(80 * PX_PER_MM)); // the PNG's width: the paper's
    } finally {
      await page.close();
    }
  });

  it('the A5 slip fits its sheet too', async () => {
    const page = await browser.newPage({ viewport: { width: Math.round(148 * PX_PER_MM), height: 900 } });
    try {
      await page.setContent(receiptHtml(longSlip));
      await page.emulateMedia({ media: 'print' });
      const o = await overflow(page);
      expect(o.outside).toEqual([]);
      expect(o.scroll).toBeLessThanOrEqual(o.client);
    } finally {
      await page.close();
    }
  });
});
