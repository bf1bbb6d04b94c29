// Headless Chromium for page tests: Debian's /usr/bin/chromium driven by playwright-core, a fresh profile per
// launch, no network beyond file:// (every other request is aborted and recorded), cleaned up on close.

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

export interface BrowserSession {
  readonly context: BrowserContext;
  /** Non-file URLs the pages tried to load (each was aborted). */
  readonly blocked: string[];
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<BrowserSession> {
  const profile = mkdtempSync(join(tmpdir(), 'velocity-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
    viewport: { width: 1400, height: 900 },
    timeout: 60_000,
  });
  const blocked: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file://')) return route.continue();
    blocked.push(url);
    return route.abort();
  });
  return {
    context,
    blocked,
    newPage: () => context.newPage(),
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Pixels of a PNG that are not (near) white, and how many are close to `color` (#rrggbb). O(pixels). */
export function pixelStats(png: Buffer, color?: string): { inked: number; matching: number; total: number } {
  const img = PNG.sync.read(png);
  const target = color ? [1, 3, 5].map((i) => parseInt(color.slice(i, i + 2), 16)) : null;
  let inked = 0;
  let matching = 0;
  for (let p = 0; p < img.data.length; p += 4) {
    const r = img.data[p]!, g = img.data[p + 1]!, b = img.data[p + 2]!;
    if (r < 245 || g < 245 || b < 245) inked++;
    if (target && Math.abs(r - target[0]!) < 24 && Math.abs(g - target[1]!) < 24 && Math.abs(b - target[2]!) < 24) matching++;
  }
  return { inked, matching, total: img.width * img.height };
}
