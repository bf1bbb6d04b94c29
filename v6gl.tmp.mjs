import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
for (const extra of [[], ['--use-angle=swiftshader', '--enable-unsafe-swiftshader'], ['--use-gl=angle', '--use-angle=swiftshader-webgl'], ['--enable-unsafe-swiftshader', '--use-angle=vulkan', '--use-vulkan=swiftshader']]) {
const dir = mkdtempSync('/tmp/v6chrome-');
const ctx = await chromium.launchPersistentContext(dir, { executablePath: '/usr/bin/chromium', headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', ...extra],
  viewport: { width: 1400, height: 900 } });
try {
  const page = await ctx.newPage();
  await page.goto('file://' + process.argv[2], { waitUntil: 'commit' });
  await page.waitForFunction(() => window.__velocity && window.__velocity.ready, null, { timeout: 240000 });
  const info = await page.evaluate(async () => {
    const gl = document.createElement('canvas').getContext('webgl2');
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    const t = performance.now();
    window.__velocity.renderer.scheduleRender();
    await new Promise((res) => requestAnimationFrame(() => requestAnimationFrame(res)));
    return [ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : 'n/a', Math.round(performance.now() - t), Math.round(window.__velocity.readyMs)];
  });
  console.log(extra.join(' '), info);
} finally { await ctx.close(); rmSync(dir, { recursive: true, force: true }); }
}
