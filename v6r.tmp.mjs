import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
const dir = mkdtempSync('/tmp/v6chrome-');
const ctx = await chromium.launchPersistentContext(dir, { executablePath: '/usr/bin/chromium', headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1400, height: 900 } });
try {
  const page = await ctx.newPage();
  await page.goto('file://' + process.argv[2], { waitUntil: 'commit' });
  await page.waitForFunction(() => window.__velocity && window.__velocity.ready, null, { timeout: 240000 });
  for (const what of ['refresh', 'render', 'noop', 'select']) {
    const ms = await page.evaluate(async (what) => {
      const t = performance.now();
      const r = window.__velocity.renderer;
      if (what === 'refresh') r.refresh(); else if (what === 'render') r.scheduleRender(); else if (what === 'select') window.__velocity.select('module.customer["c00007"].terraform_data.site');
      await new Promise((res) => requestAnimationFrame(() => requestAnimationFrame(res)));
      return performance.now() - t;
    }, what);
    console.log(what, Math.round(ms));
  }
} finally { await ctx.close(); rmSync(dir, { recursive: true, force: true }); }
