/**
 * Issue 12, item 2, at the window in real Chromium: a typed ID number with a wrong check character is refused
 * on the screen in the cashier's words — nothing goes to the centre — and a patient the centre does not know
 * says what to do next, the code only on the detail line.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { expect as pw } from './expect';
import { chromiumMissingReason, launchBrowser, login, openStation } from './fixtures';
import { idNumberCheckChar } from '../src/shared/id-number';

const skipReason = chromiumMissingReason();
if (skipReason) console.warn(`[e2e] skipped: ${skipReason}`);

const FIRST17 = '35020319870615123';
const STRANGER = FIRST17 + idNumberCheckChar(FIRST17);
const MISTYPED = FIRST17 + (STRANGER.endsWith('9') ? '0' : '9');

describe.skipIf(skipReason !== null)('messages at the window', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('a wrong check character is refused on the screen; an unknown patient gets the next step', async () => {
    const t = await openStation(browser);
    try {
      const { page, station } = t;
      await login(page);
      const input = page.getByTestId('idcard-input');
      // Too long is said as it is typed, never cut to 18 (the first 18 could be someone else's number).
      await input.fill(`${STRANGER}7`);
      expect(await input.inputValue()).toBe(`${STRANGER}7`);
      await pw(page.getByTestId('idcard-problem')).toContainText('多输入了');
      await input.fill(MISTYPED);
      await input.press('Enter');
      await pw(page.getByTestId('idcard-problem')).toContainText('身份证号校验位不正确，请核对后重新输入');
      expect(station.training!.centre.control.requests().filter((r) => r.infno === '1101')).toEqual([]);
      const error = page.getByTestId('identify-error');

      await input.fill(STRANGER);
      await input.press('Enter');
      await pw(error).toHaveAttribute('data-code', 'PATIENT_NOT_FOUND');
      await pw(error).toContainText('查不到该患者');
      await pw(error).toContainText('请核对身份证号');
      await pw(error.locator('.notice__detail')).toContainText('代码 PATIENT_NOT_FOUND');
      await pw(error.locator('.notice__title')).toHaveText('查不到该患者');
    } finally {
      await t.close();
    }
  });
});
