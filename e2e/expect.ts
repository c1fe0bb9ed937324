/**
 * Auto-waiting assertions on Playwright locators (the subset these specs need), so tests wait on the page's
 * state instead of sleeping. playwright-core ships no `expect`; @playwright/test would bring its own runner.
 */
import type { Locator } from 'playwright-core';

const DEFAULT_TIMEOUT_MS = 10_000;

async function until(describe: () => Promise<string>, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${await describe().catch((e) => String(e))}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function expect(locator: Locator, timeoutMs = DEFAULT_TIMEOUT_MS) {
  const what = locator.toString();
  return {
    toBeVisible: () => locator.first().waitFor({ state: 'visible', timeout: timeoutMs }),
    toBeAttached: () => locator.first().waitFor({ state: 'attached', timeout: timeoutMs }),
    toBeEnabled: () =>
      until(
        async () => `${what} is disabled or missing`,
        async () => locator.first().isEnabled({ timeout: 100 }),
        timeoutMs,
      ),
    toHaveCount: (n: number) =>
      until(
        async () => `${what} count is ${await locator.count()}, expected ${n}`,
        async () => (await locator.count()) === n,
        timeoutMs,
      ),
    toHaveAttribute: (name: string, value: string) =>
      until(
        async () =>
          `${what} [${name}] is ${JSON.stringify(await locator.first().getAttribute(name, { timeout: 100 }))}, expected ${JSON.stringify(value)}`,
        async () => (await locator.first().getAttribute(name, { timeout: 100 })) === value,
        timeoutMs,
      ),
    toHaveText: (text: string) =>
      until(
        async () =>
          `${what} text is ${JSON.stringify(await locator.first().innerText({ timeout: 100 }))}, expected ${JSON.stringify(text)}`,
        async () => (await locator.first().innerText({ timeout: 100 })).trim() === text,
        timeoutMs,
      ),
    toContainText: (text: string) =>
      until(
        async () =>
          `${what} text is ${JSON.stringify(await locator.first().innerText({ timeout: 100 }))}, expected to contain ${JSON.stringify(text)}`,
        async () => (await locator.first().innerText({ timeout: 100 })).includes(text),
        timeoutMs,
      ),
  };
}
