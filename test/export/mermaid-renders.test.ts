import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toMermaid } from '../../src/export/to-mermaid.js';
import { StateGraph } from '../../src/graph/state-graph.js';
import { graphExport, graphExportView } from '../../src/plan/graph-export.js';
import { parseState } from '../../src/state/parse-state.js';
import { hasChromium, launchBrowser, type BrowserSession } from '../support/browser.js';
import { MODULES_FIXTURE, fixtureGraph, itWithFixtures } from '../support/fixtures.js';
import { syntheticState } from '../support/synthetic-state.js';

const mermaidScript = createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js');
declare const mermaid: {
  initialize(o: object): void;
  parse(t: string): Promise<unknown>;
  render(id: string, t: string): Promise<{ svg: string }>;
};
declare const DOMParser: new () => {
  parseFromString(s: string, type: string): { querySelectorAll(q: string): ArrayLike<{ textContent: string | null }> };
};

let browser: BrowserSession;
let page: Page;

/** Renders Mermaid text with the real Mermaid library in the page; returns the node ids and labels it drew. */
async function render(text: string): Promise<{ nodes: number; clusters: number; labels: string[] }> {
  return await page.evaluate(async (t) => {
    mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', maxEdges: 5000, maxTextSize: 1_000_000, flowchart: { htmlLabels: false } });
    await mermaid.parse(t);
    const { svg } = await mermaid.render('velocity', t);
    const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
    return {
      nodes: doc.querySelectorAll('g.node').length,
      clusters: doc.querySelectorAll('g.cluster').length,
      labels: Array.from(doc.querySelectorAll('g.node')).map((n) => (n.textContent ?? '').trim()),
    };
  }, text);
}

// Chromium is installed by .ci/run; skipped only where the binary is truly absent.
describe.skipIf(!hasChromium)('Mermaid export is valid flowchart syntax (rendered by Mermaid itself)', () => {
  beforeAll(async () => {
    browser = await launchBrowser();
    page = await browser.newPage();
    await page.setContent('<!DOCTYPE html><html><body></body></html>');
    await page.addScriptTag({ path: mermaidScript });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
  });

  // NOTE: the EKS fixture (421 edges) takes Mermaid's layout ~20 s on a loaded machine; the inframap one has the
  // interesting shapes (nested and counted modules) at a fraction of the cost.
  itWithFixtures('a real fixture renders with one box per instance and one cluster per module', async () => {
    for (const name of [MODULES_FIXTURE]) {
      const graph = fixtureGraph(name);
      const out = await render(graphExport(graph, { format: 'mermaid', focus: [graph.index.address(0)] }));
      expect(out.nodes).toBe(graph.size);
      const modules = new Set(graph.addresses().map((a) => graph.node(a).module).filter((m) => m !== ''));
      expect(out.clusters).toBeGreaterThanOrEqual(modules.size);
    }
    expect(browser.blocked).toEqual([]);
  }, 120_000);

  it('collapsed modules and quoted keys render; labels show the keys with their quotes', async () => {
    const graph = StateGraph.fromState(parseState(syntheticState(40 + 20 * 30)));
    const out = await render(toMermaid(graphExportView(graph, {}), { collapseAbove: 10 }));
    expect(out.nodes).toBe(40 + 30);
    expect(out.labels).toContain('module.customer["c00007"] (20 resources)');
    const many = StateGraph.fromState(parseState(syntheticState(40 + 20 * 400)));
    const merged = await render(toMermaid(graphExportView(many, {})));
    expect(merged.nodes).toBe(41);
    expect(merged.labels).toContain('module.customer (400 instances, 8000 resources)');
  }, 120_000);
});
