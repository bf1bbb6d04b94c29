// Mermaid itself (in headless Chromium) renders the reduced flowchart of every real state fixture: one box per
// instance, one cluster per module, and a drawing never larger than the one of every recorded edge.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphExport } from '../../src/plan/graph-export.js';
import { hasChromium } from '../support/browser.js';
import { openMermaidPage, type MermaidDrawing, type MermaidPage } from '../support/mermaid-page.js';
import { loadableFixtureGraph } from '../support/fixtures.js';
import { realStateFiles } from '../support/state-fixtures.js';

let session: MermaidPage;
const render = (text: string): Promise<MermaidDrawing> => session.render(text);

describe.skipIf(!hasChromium)('reduced Mermaid drawings of the real fixtures', () => {
  beforeAll(async () => {
    session = await openMermaidPage();
  }, 120_000);
  afterAll(async () => {
    await session?.close();
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
    expect(session.browser.blocked).toEqual([]);
  }, 600_000);
});
