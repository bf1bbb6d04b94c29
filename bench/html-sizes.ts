// `npm run bench:html` (after bench/html.ts): time to interactive of the HTML export in headless Chromium for synthetic states of 100,
// 1,000, 5,000 and 50,000 instances (export time in Node, layout kind, load-to-interactive, search-to-focus), and
// screenshots of three real states under bench/results/. One JSON file of results per run.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { StateGraph } from '../src/graph/state-graph.js';
import { graphExport } from '../src/plan/graph-export.js';
import { parseState } from '../src/state/parse-state.js';
import { launchBrowser } from '../test/support/browser.js';
import { fixtureGraph } from '../test/support/fixtures.js';
import { customerKey, syntheticState } from '../test/support/synthetic-state.js';

declare const window: { __velocity: { ready: boolean; readyMs: number; layout(): string; state(): { selected: string | null } } };

const { values } = parseArgs({ options: { sizes: { type: 'string' }, shots: { type: 'boolean', default: true } } });
const sizes = (values.sizes ?? '100,1000,5000,50000').split(',').map(Number);
const RESULTS = join(import.meta.dirname, 'results');
mkdirSync(RESULTS, { recursive: true });
const dir = mkdtempSync(join(tmpdir(), 'velocity-bench-html-'));
const browser = await launchBrowser();
console.log(`load average at start: ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${cpus().length} cores`);

const rows: Record<string, unknown>[] = [];
try {
  for (const size of sizes) {
    const graph = StateGraph.fromState(parseState(syntheticState(Math.max(size, 60))));
    const t0 = performance.now();
    const html = graphExport(graph, { format: 'html', title: `synthetic ${size}` });
    const exportMs = performance.now() - t0;
    const file = join(dir, `synthetic-${size}.html`);
    writeFileSync(file, html);
    const page = await browser.newPage();
    const w0 = Date.now();
    await page.goto(`file://${file}`, { waitUntil: 'commit' });
    await page.waitForFunction(() => window.__velocity?.ready === true, null, { timeout: 300_000 });
    const wallMs = Date.now() - w0;
    const readyMs = await page.evaluate(() => window.__velocity.readyMs);
    const layout = await page.evaluate(() => window.__velocity.layout());
    const target = `module.customer["${customerKey(Math.floor(graph.size / 40))}"].terraform_data.network`;
    const s0 = Date.now();
    await page.fill('#search', target);
    await page.press('#search', 'Enter');
    await page.waitForFunction((a) => window.__velocity.state().selected === a, target, { timeout: 60_000 });
    const searchMs = Date.now() - s0;
    await page.close();
    const row = { instances: graph.size, drawnEdges: (JSON.parse(graphExport(graph, { format: 'json' })) as { edges: unknown[] }).edges.length, recordedEdges: graph.index.edgeCount, layout, htmlBytes: Buffer.byteLength(html), exportMs: Math.round(exportMs), loadToInteractiveMs: Math.round(readyMs), gotoToInteractiveWallMs: wallMs, searchToFocusMs: searchMs };
    rows.push(row);
    console.log(JSON.stringify(row));
  }

  if (values.shots) {
    const real = [
      ['eks', 'aws-samples__web-hosting-architecture-examples-for-china-region-terraform__eks__terraform.tfstate.backup', 'module.vpc.aws_vpc.this[0]'],
      ['crypto', 'huzaifa678__Crypto-currency-web-app-project__terraform__terraform.tfstate.backup', ''],
      ['npd', 'DSACMS__npd__infrastructure__terraform.tfstate', ''],
    ] as const;
    for (const [label, name, focus] of real) {
      const graph = fixtureGraph(name);
      const file = join(dir, `${label}.html`);
      writeFileSync(file, graphExport(graph, { format: 'html', title: name, ...(focus ? { focus: [focus], cone: 'change' as const } : {}) }));
      const page = await browser.newPage();
      await page.goto(`file://${file}`);
      await page.waitForFunction(() => window.__velocity?.ready === true, null, { timeout: 60_000 });
      await page.screenshot({ path: join(RESULTS, `html-${label}.png`) });
      console.log(`screenshot: bench/results/html-${label}.png`);
      if (label === 'eks') {
        // The README's picture (committed): the left half of the drawing, zoomed until the labels are readable.
        await page.evaluate(() => (window as unknown as { __velocity: { renderer: { getCamera(): { setState(s: object): void } } } }).__velocity.renderer.getCamera().setState({ x: 0.32, y: 0.5, ratio: 0.5 }));
        await page.waitForTimeout(300);
        await page.screenshot({ path: join(RESULTS, 'graph-eks.png'), clip: { x: 0, y: 220, width: 1040, height: 460 } });
        console.log('screenshot: bench/results/graph-eks.png');
      }
      await page.close();
    }
  }
} finally {
  await browser.close();
  rmSync(dir, { recursive: true, force: true });
}
const out = join(RESULTS, `html-sizes-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(out, `${JSON.stringify({ node: process.version, cpus: cpus().length, loadavg: loadavg(), rows }, null, 2)}\n`);
console.log(`wrote ${out}`);
