// The interactive HTML page at scale (`npm run bench:html`): export a 50,000-node synthetic state (2,498 customer
// modules), open it in headless Chromium, and time export, load-to-interactive and search-to-coloured. Checks what
// it times (node count, the searched cone's colours) so a fast broken page is not a result.
// Env: BENCH_HTML_NODES=50000. Writes bench/results/html-<date>.json and html-latest.json (git-ignored).

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { refreshScope } from '../src/engine/refresh-scope.js';
import { StateGraph } from '../src/graph/state-graph.js';
import { graphExport } from '../src/plan/graph-export.js';
import { parseState } from '../src/state/parse-state.js';
import { hasChromium, launchBrowser } from '../test/support/browser.js';
import { colorOf, openPage, pageState, searchPage } from '../test/support/html-page.js';
import { customerKey, syntheticState } from '../test/support/synthetic-state.js';

const NODES = Number(process.env['BENCH_HTML_NODES'] ?? 50_000);
const RESULTS = join(import.meta.dirname, 'results');
const CONE_DOWNSTREAM = '#c2185b';

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`bench:html: ${what}`);
}

async function main(): Promise<void> {
  if (!hasChromium) throw new Error('bench:html needs /usr/bin/chromium (apt-get install chromium)');
  const customers = Math.floor((NODES - 40) / 20);
  const dir = mkdtempSync(join(tmpdir(), 'velocity-bench-html-'));
  const browser = await launchBrowser();
  try {
    const t0 = performance.now();
    const graph = StateGraph.fromState(parseState(syntheticState(NODES)));
    const focus = `module.customer["${customerKey(123 % customers)}"].terraform_data.site`;
    const html = graphExport(graph, { format: 'html', focus: [focus], title: `synthetic ${NODES}` });
    const file = join(dir, 'synthetic.html');
    writeFileSync(file, html);
    const exportMs = performance.now() - t0;

    const page = await browser.newPage();
    const timing = await openPage(page, file);
    check((await page.textContent('#node-count')) === String(NODES), 'node count shown');

    const customer = customerKey(4321 % customers);
    const target = `module.customer["${customer}"].terraform_data.network`;
    const s0 = Date.now();
    await searchPage(page, target);
    // searchPage waits 600 ms for the camera animation and a frame; that wait is not the page's time.
    const searchMs = Date.now() - s0 - 600;
    check((await pageState(page)).selected === target, 'search selects the target');
    check((await colorOf(page, `module.customer["${customer}"].terraform_data.device[3]`)) === CONE_DOWNSTREAM, 'downstream cone coloured');
    check(refreshScope(graph, { changed: [target] }).refresh.length > 1, 'target has a downstream cone');
    check(browser.blocked.length === 0, 'no network requests');
    await page.close();

    const report = {
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, loadavg: loadavg().map((l) => Math.round(l * 100) / 100) },
      nodes: graph.size,
      edges: graph.toGraphology().size,
      htmlBytes: Buffer.byteLength(html),
      exportMs: Math.round(exportMs),
      loadToInteractiveMs: Math.round(timing.readyMs),
      gotoToInteractiveWallMs: timing.wallMs,
      searchToColouredMs: searchMs,
    };
    mkdirSync(RESULTS, { recursive: true });
    const json = `${JSON.stringify(report, null, 2)}\n`;
    writeFileSync(join(RESULTS, `html-${report.date.slice(0, 10)}.json`), json);
    writeFileSync(join(RESULTS, 'html-latest.json'), json);
    console.log('| nodes | edges | HTML | export | load → interactive | goto → interactive (wall) | search → coloured |');
    console.log('|---|---|---|---|---|---|---|');
    console.log(
      `| ${report.nodes} | ${report.edges} | ${(report.htmlBytes / 1e6).toFixed(1)} MB | ${report.exportMs} ms | ${report.loadToInteractiveMs} ms | ${report.gotoToInteractiveWallMs} ms | ${report.searchToColouredMs} ms |`,
    );
    console.log(`load average ${report.machine.loadavg.join(' ')} on ${report.machine.cpus} CPUs: read the times next to it.`);
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
