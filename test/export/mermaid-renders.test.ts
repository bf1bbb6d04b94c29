// Mermaid itself (in headless Chromium) parses and renders velocity's Mermaid output: a real fixture with one box per
// instance and one cluster per module, and collapsed modules whose labels keep their quoted keys.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toMermaid } from '../../src/export/to-mermaid.js';
import { StateGraph } from '../../src/graph/state-graph.js';
import { graphExport, graphExportView } from '../../src/plan/graph-export.js';
import { parseState } from '../../src/state/parse-state.js';
import { hasChromium } from '../support/browser.js';
import { openMermaidPage, type MermaidDrawing, type MermaidPage } from '../support/mermaid-page.js';
import { MODULES_FIXTURE, fixtureGraph, itWithFixtures } from '../support/fixtures.js';
import { syntheticState } from '../support/synthetic-state.js';

let session: MermaidPage;
const render = (text: string): Promise<MermaidDrawing> => session.render(text);

// Chromium is installed by .ci/run; skipped only where the binary is truly absent.
describe.skipIf(!hasChromium)('Mermaid export is valid flowchart syntax (rendered by Mermaid itself)', () => {
  beforeAll(async () => {
    session = await openMermaidPage();
  }, 120_000);
  afterAll(async () => {
    await session?.close();
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
    expect(session.browser.blocked).toEqual([]);
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
