import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bottomCone } from '../../src/cone/bottom-cone.js';
import { reduction } from '../../src/cone/reduction.js';
import { savingsLine } from '../../src/plan/plan-reporter.js';
import { topCone } from '../../src/cone/top-cone.js';
import { VelocityEngine } from '../../src/engine/velocity-engine.js';
import { ROLE_COLORS } from '../../src/export/role-colors.js';
import { StateGraph } from '../../src/graph/state-graph.js';
import { graphExport } from '../../src/plan/graph-export.js';
import { parseState } from '../../src/state/parse-state.js';
import { hasChromium, launchBrowser, pixelStats, type BrowserSession } from '../support/browser.js';
import { EKS_FIXTURE, fixtureGraph } from '../support/fixtures.js';
import { customerKey, syntheticState } from '../support/synthetic-state.js';

const ARTIFACTS = resolve(import.meta.dirname, '../artifacts');
const CONE_DOWNSTREAM = '#c2185b';
const CONE_UPSTREAM = '#17a2b8';
const FADED = '#ececec';
const GROUP = '#6f42c1';

interface Viewport { x: number; y: number; width: number; height: number }
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

/** The node is drawn near the middle of the graph area (the camera moved to it). */
async function expectCentred(page: Page, address: string): Promise<void> {
  const v = (await page.evaluate((a) => window.__velocity.viewportOf(a), address)) as Viewport;
  expect(Math.abs(v.x - v.width / 2)).toBeLessThan(v.width * 0.1);
  expect(Math.abs(v.y - v.height / 2)).toBeLessThan(v.height * 0.1);
}

let browser: BrowserSession;
let dir: string;

async function open(page: Page, file: string): Promise<{ wallMs: number; readyMs: number }> {
  const t0 = Date.now();
  await page.goto(`file://${file}`, { waitUntil: 'commit' });
  await page.waitForFunction(() => window.__velocity?.ready === true, null, { timeout: 150_000 });
  return { wallMs: Date.now() - t0, readyMs: await page.evaluate(() => window.__velocity.readyMs) };
}

async function search(page: Page, address: string): Promise<void> {
  await page.fill('#search', address);
  await page.press('#search', 'Enter');
  await page.waitForFunction((a) => window.__velocity.state().selected === a, address, { timeout: 30_000 });
  await page.waitForTimeout(600); // the camera animation (300 ms) and the next frame
}

/** What the engine says the page must show for one node: its cone sizes and the savings line if it changed. */
function expected(graph: StateGraph, address: string) {
  const scope = new VelocityEngine(graph).computeRefreshScope({ changed: [address] });
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

  it('real fixture: renders, shows the node count and the savings line, search focuses a node and colours its cones', async () => {
    const graph = fixtureGraph(EKS_FIXTURE);
    const focus = 'module.vpc.aws_vpc.this[0]';
    const file = join(dir, 'eks.html');
    writeFileSync(file, graphExport(graph, { format: 'html', focus: [focus], title: 'EKS example' }));
    const page = await browser.newPage();
    await open(page, file);

    expect(await page.textContent('#node-count')).toBe(String(graph.size));
    const scope = new VelocityEngine(graph).computeRefreshScope({ changed: [focus] });
    expect(await page.textContent('#summary')).toBe(savingsLine(reduction(scope.refresh.length, graph.size)));
    const before = pixelStats(await page.locator('#graph').screenshot(), ROLE_COLORS.changed);
    expect(before.inked).toBeGreaterThan(before.total * 0.005);
    expect(before.matching).toBeGreaterThan(0);
    await page.screenshot({ path: join(ARTIFACTS, 'html-eks.png') });

    // A real click on the focus node (drawn twice as big) selects it and shows its cones.
    const at = (await page.evaluate((a) => window.__velocity.viewportOf(a), focus)) as Viewport;
    const box = (await page.locator('#graph').boundingBox()) as { x: number; y: number };
    await page.mouse.click(box.x + at.x, box.y + at.y);
    await page.waitForFunction((a) => window.__velocity.state().selected === a, focus, { timeout: 10_000 });
    expect(await page.evaluate(() => window.__velocity.state().downstream)).toBe(bottomCone(graph, [focus]).length - 1);

    const target = 'module.eks.aws_iam_role.cluster[0]';
    await search(page, target);
    const want = expected(graph, target);
    expect(await page.evaluate(() => window.__velocity.state())).toEqual({ selected: target, upstream: want.upstream, downstream: want.downstream });
    expect(await page.textContent('#node-savings')).toBe(`If it changed: ${want.line}`);
    await expectCentred(page, target);
    const down = bottomCone(graph, [target]).find((a) => a !== target) as string;
    const up = topCone(graph, [target]).find((a) => a !== target) as string;
    const outside = graph.addresses().find((a) => !bottomCone(graph, [target]).includes(a) && !topCone(graph, [target]).includes(a)) as string;
    expect(await page.evaluate((a) => window.__velocity.colorOf(a), down)).toBe(CONE_DOWNSTREAM);
    expect(await page.evaluate((a) => window.__velocity.colorOf(a), up)).toBe(CONE_UPSTREAM);
    expect(await page.evaluate((a) => window.__velocity.colorOf(a), outside)).toBe(FADED);
    const after = pixelStats(await page.locator('#graph').screenshot(), CONE_DOWNSTREAM);
    expect(after.matching).toBeGreaterThan(0);
    await page.screenshot({ path: join(ARTIFACTS, 'html-eks-search.png') });
    expect(browser.blocked).toEqual([]);
    await page.close();
  }, 180_000);

  it('50,000-node synthetic state: renders, stays interactive, search colours the cone; load-to-interactive recorded', async () => {
    const t0 = performance.now();
    const graph = StateGraph.fromState(parseState(syntheticState(50_000)));
    const focus = `module.customer["${customerKey(123)}"].terraform_data.site`;
    const file = join(dir, 'synthetic-50k.html');
    const html = graphExport(graph, { format: 'html', focus: [focus], title: 'synthetic 50,000' });
    writeFileSync(file, html);
    const exportMs = performance.now() - t0;

    const page = await browser.newPage();
    const timing = await open(page, file);
    expect(await page.textContent('#node-count')).toBe('50000');
    const shot = pixelStats(await page.locator('#graph').screenshot(), ROLE_COLORS.untouched);
    expect(shot.inked).toBeGreaterThan(shot.total * 0.01);
    await page.screenshot({ path: join(ARTIFACTS, 'html-50k.png') });

    const target = `module.customer["${customerKey(4321 % 2498)}"].terraform_data.network`;
    const s0 = Date.now();
    await search(page, target);
    const searchMs = Date.now() - s0 - 600;
    const want = expected(graph, target);
    expect(await page.evaluate(() => window.__velocity.state())).toEqual({ selected: target, upstream: want.upstream, downstream: want.downstream });
    expect(await page.textContent('#node-savings')).toBe(`If it changed: ${want.line}`);
    await expectCentred(page, target);
    const device = `module.customer["${customerKey(4321 % 2498)}"].terraform_data.device[3]`;
    expect(await page.evaluate((a) => window.__velocity.colorOf(a), device)).toBe(CONE_DOWNSTREAM);
    expect(await page.evaluate((a) => window.__velocity.colorOf(a), focus)).toBe(FADED);
    await page.screenshot({ path: join(ARTIFACTS, 'html-50k-search.png') });

    // Module grouping: clicking a module in the list highlights its members and moves the camera onto them.
    await page.locator('#groups li', { hasText: /^module\.customer\["c00002"\] \(20\)$/ }).click();
    await page.waitForFunction(() => window.__velocity.group() === 'module.customer["c00002"]', null, { timeout: 10_000 });
    await page.waitForTimeout(600);
    expect(await page.evaluate(() => window.__velocity.colorOf('module.customer["c00002"].terraform_data.dns'))).toBe(GROUP);
    expect(await page.evaluate(() => window.__velocity.colorOf('module.customer["c00003"].terraform_data.dns'))).toBe(FADED);
    const v = (await page.evaluate(() => window.__velocity.viewportOf('module.customer["c00002"].terraform_data.network'))) as Viewport;
    expect(v.x).toBeGreaterThan(0);
    expect(v.x).toBeLessThan(v.width);
    expect(v.y).toBeGreaterThan(0);
    expect(v.y).toBeLessThan(v.height);
    await page.screenshot({ path: join(ARTIFACTS, 'html-50k-group.png') });
    expect(browser.blocked).toEqual([]);
    await page.close();

    const report = {
      nodes: graph.size,
      edges: graph.toGraphology().size,
      htmlBytes: Buffer.byteLength(html),
      exportMs: Math.round(exportMs),
      loadToInteractiveMs: Math.round(timing.readyMs),
      gotoToInteractiveWallMs: timing.wallMs,
      searchToColouredMs: searchMs,
    };
    writeFileSync(join(ARTIFACTS, 'html-50k-timing.json'), `${JSON.stringify(report, null, 2)}\n`);
    console.log(`50,000-node page: ${JSON.stringify(report)}`);
  }, 300_000);
});
