// Mermaid itself (in headless Chromium) renders the reduced flowchart of every real state fixture: one box per
// instance, one cluster per module, and a drawing never larger than the one of every recorded edge.
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphExport } from '../../src/plan/graph-export.js';
import { hasChromium, launchBrowser, type BrowserSession } from '../support/browser.js';
import { loadableFixtureGraph } from '../support/fixtures.js';
import { realStateFiles } from '../support/state-fixtures.js';

const mermaidScript = createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js');
declare const mermaid: { initialize(o: object): void; render(id: string, t: string): Promise<{ svg: string }> };
declare const DOMParser: new () => {
  parseFromString(s: string, type: string): { querySelectorAll(q: string): ArrayLike<unknown>; documentElement: { getAttribute(a: string): string | null } };
};

let browser: BrowserSession;
let page: Page;

/** Mermaid's drawing: boxes, clusters, edge paths and the viewBox area. */
async function render(text: string): Promise<{ nodes: number; clusters: number; edges: number; area: number }> {
  return await page.evaluate(async (t) => {
    mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', maxEdges: 5000, maxTextSize: 1_000_000, flowchart: { htmlLabels: false } });
    const { svg } = await mermaid.render(`m${Math.floor(Math.random() * 1e9)}`, t);
    const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
    const box = (doc.documentElement.getAttribute('viewBox') ?? '0 0 0 0').split(/\s+/).map(Number);
    return { nodes: doc.querySelectorAll('g.node').length, clusters: doc.querySelectorAll('g.cluster').length, edges: doc.querySelectorAll('path.flowchart-link').length, area: (box[2] ?? 0) * (box[3] ?? 0) };
  }, text);
}


describe.skipIf(!hasChromium)('reduced Mermaid drawings of the real fixtures', () => {
  beforeAll(async () => {
    browser = await launchBrowser();
    page = await browser.newPage();
    await page.setContent('<!DOCTYPE html><html><body></body></html>');
    await page.addScriptTag({ path: mermaidScript });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('every real state fixture', async () => {
    let checked = 0;
    for (const name of realStateFiles()) {
      const graph = loadableFixtureGraph(name);
      if (!graph || graph.size === 0) continue;
      const reduced = await render(graphExport(graph, { format: 'mermaid' }));
      expect(reduced.nodes, name).toBe(graph.size);
      const modules = new Set(graph.addresses().map((a) => graph.node(a).module).filter((m) => m !== ''));
      expect(reduced.clusters, name).toBeGreaterThanOrEqual(modules.size);
      if (graph.index.edgeCount > reduced.edges) {
        const all = await render(graphExport(graph, { format: 'mermaid', allEdges: true }));
        expect(all.edges, name).toBe(graph.index.edgeCount);
        expect(reduced.area, name).toBeLessThanOrEqual(all.area * 1.05);
      }
      checked++;
    }
    expect(checked).toBeGreaterThan(10);
    expect(browser.blocked).toEqual([]);
  }, 600_000);
});
