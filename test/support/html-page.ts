// Driving the exported HTML page in headless Chromium (test/support/browser.ts): wait until it is interactive,
// search an address, read the page's test hooks (window.__velocity). Shared by the page test and bench/html.ts.
import type { Page } from 'playwright-core';

export interface Viewport { x: number; y: number; width: number; height: number }

declare const window: {
  __velocity: {
    ready: boolean;
    readyMs: number;
    state(): { selected: string | null; upstream: number; downstream: number };
    colorOf(a: string): string | null;
    group(): string | null;
    viewportOf(a: string): Viewport | null;
  };
};

/** Opens `file` and waits until the page says it is interactive; wall time and the page's own load-to-ready time. */
export async function openPage(page: Page, file: string): Promise<{ wallMs: number; readyMs: number }> {
  const t0 = Date.now();
  await page.goto(`file://${file}`, { waitUntil: 'commit' });
  await page.waitForFunction(() => window.__velocity?.ready === true, null, { timeout: 150_000 });
  return { wallMs: Date.now() - t0, readyMs: await page.evaluate(() => window.__velocity.readyMs) };
}

/** Waits until the page's selection is `address` (after a click or a search). */
export async function waitForSelected(page: Page, address: string, timeoutMs = 30_000): Promise<void> {
  await page.waitForFunction((a) => window.__velocity.state().selected === a, address, { timeout: timeoutMs });
}

/** Types `address` into the search box and waits for the selection, the camera animation (300 ms) and a frame. */
export async function searchPage(page: Page, address: string): Promise<void> {
  await page.fill('#search', address);
  await page.press('#search', 'Enter');
  await waitForSelected(page, address);
  await page.waitForTimeout(600);
}

export const pageState = (page: Page) => page.evaluate(() => window.__velocity.state());
export const colorOf = (page: Page, address: string) => page.evaluate((a) => window.__velocity.colorOf(a), address);
export const viewportOf = async (page: Page, address: string) => (await page.evaluate((a) => window.__velocity.viewportOf(a), address)) as Viewport;
/** Waits until the page highlights module `group` (after a click in the module list) and its camera move ends. */
export async function waitForGroup(page: Page, group: string): Promise<void> {
  await page.waitForFunction((g) => window.__velocity.group() === g, group, { timeout: 10_000 });
  await page.waitForTimeout(600);
}
