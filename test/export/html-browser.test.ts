// The HTML export in headless Chromium: a real fixture and a small synthetic page render, search and clicks colour
// the cones the engine computes, module grouping highlights and frames a module. Timing at 50,000 nodes is a
// benchmark, not a test: `npm run bench:html` (bench/html.ts).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bottomCone } from '../../src/cone/bottom-cone.js';
import { reduction } from '../../src/cone/reduction.js';
import { savingsLine } from '../../src/cone/savings-line.js';
import { topCone } from '../../src/cone/top-cone.js';
import { refreshScope } from '../../src/engine/refresh-scope.js';
import { ROLE_COLORS } from '../../src/export/role-colors.js';
import { StateGraph } from '../../src/graph/state-graph.js';
import { graphExport } from '../../src/plan/graph-export.js';
import { parseState } from '../../src/state/parse-state.js';
import { hasChromium, launchBrowser, pixelStats, type BrowserSession } from '../support/browser.js';
import { EKS_FIXTURE, fixtureGraph, itWithFixtures } from '../support/fixtures.js';
import { colorOf, openPage, pageState, searchPage, viewportOf, waitForGroup, waitForSelected } from '../support/html-page.js';
import { customerKey, syntheticState } from '../support/synthetic-state.js';

const ARTIFACTS = resolve(import.meta.dirname, '../artifacts');
const CONE_DOWNSTREAM = '#c2185b';
const CONE_UPSTREAM = '#17a2b8';
const FADED = '#ececec';
const GROUP = '#6f42c1';

/** The node is drawn near the middle of the graph area (the camera moved to it). */
async function expectCentred(page: Page, address: string): Promise<void> {
  const v = await viewportOf(page, address);
  expect(Math.abs(v.x - v.width / 2)).toBeLessThan(v.width * 0.1);
  expect(Math.abs(v.y - v.height / 2)).toBeLessThan(v.height * 0.1);
}

let browser: BrowserSession;
let dir: string;

/** What the engine says the page must show for one node: its cone sizes and the savings line if it changed. */
function expected(graph: StateGraph, address: string) {
  const scope = refreshScope(graph, { changed: [address] });
  return {
    upstream: topCone(graph, [address]).length - 1,
    downstream: bottomCone(graph, [address]).length - 1,
    line: savingsLine(reduction(scope.refresh.length, graph.size)),
  };
}

// Chromium is installed by .ci/run (apt-get install chromium); skipped only where the binary is truly absent.
describe.skipIf(!hasChromium)('HTML export in headless Chromium', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'velocity-html-'));
    mkdirSync(ARTIFACTS, { recursive: true });
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  itWithFixtures('real fixture: renders, shows the node count and the savings line, search focuses a node and colours its cones', async () => {
    const graph = fixtureGraph(EKS_FIXTURE);
    const focus = 'module.vpc.aws_vpc.this[0]';
    const file = join(dir, 'eks.html');
    writeFileSync(file, graphExport(graph, { format: 'html', focus: [focus], title: 'EKS example' }));
    const page = await browser.newPage();
    await openPage(page, file);

    expect(await page.textContent('#node-count')).toBe(String(graph.size));
    const scope = refreshScope(graph, { changed: [focus] });
    expect(await page.textContent('#summary')).toBe(savingsLine(reduction(scope.refresh.length, graph.size)));
    const before = pixelStats(await page.locator('#graph').screenshot(), ROLE_COLORS.changed);
    expect(before.inked).toBeGreaterThan(before.total * 0.005);
    expect(before.matching).toBeGreaterThan(0);
    await page.screenshot({ path: join(ARTIFACTS, 'html-eks.png') });

    // A real click on the focus node (drawn twice as big) selects it and shows its cones.
    const at = await viewportOf(page, focus);
    const box = (await page.locator('#graph').boundingBox()) as { x: number; y: number };
    await page.mouse.click(box.x + at.x, box.y + at.y);
    await waitForSelected(page, focus, 10_000);
    expect((await pageState(page)).downstream).toBe(bottomCone(graph, [focus]).length - 1);

    const target = 'module.eks.aws_iam_role.cluster[0]';
    await searchPage(page, target);
    const want = expected(graph, target);
    expect(await pageState(page)).toEqual({ selected: target, upstream: want.upstream, downstream: want.downstream });
    expect(await page.textContent('#node-savings')).toBe(`If it changed: ${want.line}`);
    await expectCentred(page, target);
    const down = bottomCone(graph, [target]).find((a) => a !== target) as string;
    const up = topCone(graph, [target]).find((a) => a !== target) as string;
    const outside = graph.addresses().find((a) => !bottomCone(graph, [target]).includes(a) && !topCone(graph, [target]).includes(a)) as string;
    expect(await colorOf(page, down)).toBe(CONE_DOWNSTREAM);
    expect(await colorOf(page, up)).toBe(CONE_UPSTREAM);
    expect(await colorOf(page, outside)).toBe(FADED);
    const after = pixelStats(await page.locator('#graph').screenshot(), CONE_DOWNSTREAM);
    expect(after.matching).toBeGreaterThan(0);
    await page.screenshot({ path: join(ARTIFACTS, 'html-eks-search.png') });
    expect(browser.blocked).toEqual([]);
    await page.close();
  }, 180_000);

  it('small synthetic state (1,040 nodes, 50 customer modules): search colours the cone, a module click highlights and frames it', async () => {
    const graph = StateGraph.fromState(parseState(syntheticState(1_040)));
    const focus = `module.customer["${customerKey(12)}"].terraform_data.site`;
    const file = join(dir, 'synthetic.html');
    writeFileSync(file, graphExport(graph, { format: 'html', focus: [focus], title: 'synthetic 1,040' }));

    const page = await browser.newPage();
    await openPage(page, file);
    expect(await page.textContent('#node-count')).toBe('1040');
    const shot = pixelStats(await page.locator('#graph').screenshot(), ROLE_COLORS.untouched);
    expect(shot.inked).toBeGreaterThan(shot.total * 0.01);

    const customer = customerKey(37);
    const target = `module.customer["${customer}"].terraform_data.network`;
    await searchPage(page, target);
    const want = expected(graph, target);
    expect(await pageState(page)).toEqual({ selected: target, upstream: want.upstream, downstream: want.downstream });
    expect(await page.textContent('#node-savings')).toBe(`If it changed: ${want.line}`);
    await expectCentred(page, target);
    expect(await colorOf(page, `module.customer["${customer}"].terraform_data.device[3]`)).toBe(CONE_DOWNSTREAM);
    expect(await colorOf(page, focus)).toBe(FADED);
    await page.screenshot({ path: join(ARTIFACTS, 'html-synthetic-search.png') });

    // Module grouping: clicking a module in the list highlights its members and moves the camera onto them.
    await page.locator('#groups li', { hasText: /^module\.customer\["c00002"\] \(20\)$/ }).click();
    await waitForGroup(page, 'module.customer["c00002"]');
    expect(await colorOf(page, 'module.customer["c00002"].terraform_data.dns')).toBe(GROUP);
    expect(await colorOf(page, 'module.customer["c00003"].terraform_data.dns')).toBe(FADED);
    const v = await viewportOf(page, 'module.customer["c00002"].terraform_data.network');
    expect(v.x).toBeGreaterThan(0);
    expect(v.x).toBeLessThan(v.width);
    expect(v.y).toBeGreaterThan(0);
    expect(v.y).toBeLessThan(v.height);
    expect(browser.blocked).toEqual([]);
    await page.close();
  }, 180_000);
});
