// Layout checks of the HTML page in headless Chromium, on every real state fixture and a 5,000-instance synthetic
// state: node boxes never overlap, cluster boxes overlap only when nested, every node is inside the fitted view on
// load, and focus mode (search) shows exactly the engine's upstream and downstream cones, all inside the view.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bottomCone } from '../../src/cone/bottom-cone.js';
import { topCone } from '../../src/cone/top-cone.js';
import { StateGraph } from '../../src/graph/state-graph.js';
import { graphExport } from '../../src/plan/graph-export.js';
import { parseState } from '../../src/state/parse-state.js';
import { hasChromium, launchBrowser, type BrowserSession } from '../support/browser.js';
import { loadableFixtureGraph } from '../support/fixtures.js';
import { realStateFiles } from '../support/state-fixtures.js';
import { syntheticState } from '../support/synthetic-state.js';

type Rect = [number, number, number, number];
interface Boxes { nodes: { address: string; rect: Rect }[]; clusters: { label: string; depth: number; rect: Rect }[] }
declare const window: {
  __velocity: {
    ready: boolean;
    layout(): string;
    boxes(): Boxes | null;
    shown(): string[] | null;
    state(): { selected: string | null };
    viewportOf(a: string): { x: number; y: number; width: number; height: number } | null;
  };
};

const EPS = 0.5;
const overlaps = (a: Rect, b: Rect) => a[0] < b[2] - EPS && b[0] < a[2] - EPS && a[1] < b[3] - EPS && b[1] < a[3] - EPS;
const contains = (outer: Rect, inner: Rect) => outer[0] <= inner[0] + EPS && outer[1] <= inner[1] + EPS && outer[2] >= inner[2] - EPS && outer[3] >= inner[3] - EPS;

/** Pairs of overlapping rectangles, by a sweep over x (O(n log n + overlaps)). */
function overlappingPairs(rects: readonly Rect[]): [number, number][] {
  const order = rects.map((_r, i) => i).sort((a, b) => rects[a]![0] - rects[b]![0]);
  const out: [number, number][] = [];
  for (let p = 0; p < order.length; p++) {
    const a = rects[order[p]!]!;
    for (let q = p + 1; q < order.length && rects[order[q]!]![0] < a[2] - EPS; q++) if (overlaps(a, rects[order[q]!]!)) out.push([order[p]!, order[q]!]);
  }
  return out;
}


let browser: BrowserSession;
let dir: string;

async function checkPage(page: Page, graph: StateGraph, file: string): Promise<void> {
  await page.goto(`file://${file}`, { waitUntil: 'commit' });
  await page.waitForFunction(() => window.__velocity?.ready === true, null, { timeout: 120_000 });
  expect(await page.evaluate(() => window.__velocity.layout())).toBe('layered');
  const boxes = (await page.evaluate(() => window.__velocity.boxes())) as Boxes;
  const view = (await page.locator('#graph').boundingBox()) as { width: number; height: number };
  expect(boxes.nodes.length).toBe(graph.size);
  // Every node inside the fitted view.
  for (const n of boxes.nodes) expect(contains([0, 0, view.width, view.height], n.rect), `${n.address} ${n.rect.join(",")} in ${view.width}x${view.height}`).toBe(true);
  // No two node boxes overlap; clusters overlap only when one holds the other.
  expect(overlappingPairs(boxes.nodes.map((n) => n.rect))).toEqual([]);
  for (const [a, b] of overlappingPairs(boxes.clusters.map((c) => c.rect))) {
    const [ra, rb] = [boxes.clusters[a]!.rect, boxes.clusters[b]!.rect];
    expect(contains(ra, rb) || contains(rb, ra), `${boxes.clusters[a]!.label} / ${boxes.clusters[b]!.label}`).toBe(true);
  }
  // Each node box lies inside the cluster of its own module and of every enclosing module.
  const clusterByLabel = new Map(boxes.clusters.map((c) => [c.label, c.rect]));
  for (const n of boxes.nodes) {
    const module = graph.node(n.address).module;
    if (module !== '') expect(contains(clusterByLabel.get(module) as Rect, n.rect), n.address).toBe(true);
  }

  // Focus mode on the node with the largest cones: exactly the engine's cones are shown, all inside the view.
  const all = graph.addresses();
  let focus = all[0] as string;
  let best = -1;
  for (const a of all) {
    const size = topCone(graph, [a]).length + bottomCone(graph, [a]).length;
    if (size > best) [focus, best] = [a, size];
  }
  await page.fill('#search', focus);
  await page.press('#search', 'Enter');
  await page.waitForFunction((a) => window.__velocity.state().selected === a, focus, { timeout: 30_000 });
  await page.waitForTimeout(700); // the camera animation (300 ms) and the next frame
  const want = [...new Set([...topCone(graph, [focus]), ...bottomCone(graph, [focus])])].sort();
  expect(await page.evaluate(() => window.__velocity.shown())).toEqual(want);
  const after = (await page.evaluate(() => window.__velocity.boxes())) as Boxes;
  const shown = new Set(want);
  for (const n of after.nodes) if (shown.has(n.address)) expect(contains([-1, -1, view.width + 1, view.height + 1], n.rect), `${focus}: ${n.address} ${n.rect.join(",")} in ${view.width}x${view.height}`).toBe(true);
}

describe.skipIf(!hasChromium)('HTML layout in headless Chromium', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'velocity-html-layout-'));
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('every real state fixture', async () => {
    const page = await browser.newPage();
    let checked = 0;
    for (const name of realStateFiles()) {
      const graph = loadableFixtureGraph(name);
      if (!graph || graph.size === 0) continue;
      const file = join(dir, `${checked}.html`);
      writeFileSync(file, graphExport(graph, { format: 'html', title: name }));
      await checkPage(page, graph, file);
      checked++;
    }
    expect(checked).toBeGreaterThan(10);
    expect(browser.blocked).toEqual([]);
    await page.close();
  }, 600_000);

  it('a 5,000-instance synthetic state', async () => {
    const graph = StateGraph.fromState(parseState(syntheticState(5000)));
    const file = join(dir, 'synthetic-5000.html');
    writeFileSync(file, graphExport(graph, { format: 'html', title: 'synthetic 5,000' }));
    const page = await browser.newPage();
    await checkPage(page, graph, file);
    await page.close();
  }, 600_000);
});
