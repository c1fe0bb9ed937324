/**
 * Layout evidence for issue 12, item 1: the page never scrolls, the status bar and a step's essentials lie wholly
 * inside the window — at the cashier PC's 1366×768 and on a 1920×1080 screen.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';

/** Screenshots of the screens at their size, for docs/screens/ (copied there by hand when a screen changes). */
export const SCREENS = path.resolve('artifacts/screens');

export async function saveScreen(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENS, name) });
}

export const CASHIER_PC = { width: 1366, height: 768 } as const;
export const WIDE_SCREEN = { width: 1920, height: 1080 } as const;

/**
 * Whether the element shows whole: inside the window and not cut by an ancestor that clips (a list scrolling in
 * its own area, a panel with `overflow: hidden`) — the box alone would pass an amount scrolled out of its panel.
 */
export async function inView(page: Page, locator: Locator): Promise<string | null> {
  const handle = await locator.elementHandle({ timeout: 2000 }).catch(() => null);
  if (!handle) return `${locator.toString()} is not rendered`;
  const cut = await handle.evaluate((el) => {
    const own = el.getBoundingClientRect();
    if (own.width === 0 && own.height === 0) return 'has no size';
    let top = 0;
    let left = 0;
    let bottom = window.innerHeight;
    let right = window.innerWidth;
    for (let a = el.parentElement; a; a = a.parentElement) {
      const style = getComputedStyle(a);
      if (style.overflowX === 'visible' && style.overflowY === 'visible') continue;
      const r = a.getBoundingClientRect();
      top = Math.max(top, r.top);
      left = Math.max(left, r.left);
      bottom = Math.min(bottom, r.bottom);
      right = Math.min(right, r.right);
    }
    const px = (n: number) => Math.round(n);
    const inside = own.top >= top - 0.5 && own.left >= left - 0.5 && own.bottom <= bottom + 0.5 && own.right <= right + 0.5;
    return inside
      ? null
      : `at y ${px(own.top)}..${px(own.bottom)}, x ${px(own.left)}..${px(own.right)} shows only in y ${px(top)}..${px(bottom)}, x ${px(left)}..${px(right)}`;
  });
  await handle.dispose();
  const size = page.viewportSize()!;
  return cut ? `${locator.toString()} ${cut} (${size.width}×${size.height})` : null;
}

/** The page itself never scrolls; the status bar is in view. Returns what is wrong, for one assertion per check. */
export async function layoutProblems(page: Page, essentials: readonly Locator[]): Promise<string[]> {
  // Every key of the key bar shows whole: a key cut at the window's edge is a key the cashier cannot read.
  const keys = page.locator('[data-testid="key-bar"] .key-bar__key');
  const shownKeys = Array.from({ length: await keys.count() }, (_, i) => keys.nth(i));
  return pageProblems(page, [page.getByTestId('status-bar'), ...shownKeys, ...essentials]);
}

/** The page never scrolls and the essentials show whole: for the screens before sign-in, which have no status bar. */
export async function pageProblems(page: Page, essentials: readonly Locator[]): Promise<string[]> {
  const problems: string[] = [];
  const { scrollHeight, innerHeight, scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollHeight: document.scrollingElement!.scrollHeight,
    innerHeight: window.innerHeight,
    scrollWidth: document.scrollingElement!.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  if (scrollHeight > innerHeight) problems.push(`the page scrolls: ${scrollHeight} > ${innerHeight}`);
  if (scrollWidth > innerWidth) problems.push(`the page scrolls sideways: ${scrollWidth} > ${innerWidth}`);
  for (const locator of essentials) {
    const problem = await inView(page, locator);
    if (problem) problems.push(problem);
  }
  return problems;
}

/**
 * The same check at the window's size and on a 1920×1080 screen, the window then back at its size. Each problem
 * names its size, so one `toEqual([])` says where what fell out of view.
 */
export async function problemsAtBothSizes(page: Page, essentials: readonly Locator[]): Promise<string[]> {
  const own = page.viewportSize()!;
  const problems: string[] = [];
  for (const size of [own, WIDE_SCREEN]) {
    await page.setViewportSize(size);
    for (const p of await layoutProblems(page, essentials)) problems.push(`${size.width}×${size.height}: ${p}`);
  }
  await page.setViewportSize(own);
  return problems;
}
