// Graphviz draws every real fixture's reduced DOT left to right with its module clusters, never larger than the
// drawing of every recorded edge (the EKS example: 2912×6006 pt with all edges, 3003×1424 pt reduced).
import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { graphExport } from '../../src/plan/graph-export.js';
import { loadableFixtureGraph } from '../support/fixtures.js';
import { realStateFiles } from '../support/state-fixtures.js';

const hasDot = spawnSync('dot', ['-V']).status === 0;


/** The drawing's size in points and its edge count, from `dot -Tsvg`. */
function render(dot: string): { area: number; edges: number; clusters: number } {
  const svg = execFileSync('dot', ['-Tsvg'], { input: dot, encoding: 'utf8', timeout: 60_000 });
  const m = /<svg width="(\d+)pt" height="(\d+)pt"/.exec(svg) as RegExpExecArray;
  return { area: Number(m[1]) * Number(m[2]), edges: [...svg.matchAll(/class="edge"/g)].length, clusters: [...svg.matchAll(/class="cluster"/g)].length };
}

describe.skipIf(!hasDot)('reduced DOT drawings of the real fixtures', () => {
  for (const name of realStateFiles()) {
    const graph = loadableFixtureGraph(name);
    if (!graph || graph.size === 0) continue;
    it(name, () => {
      const dot = graphExport(graph, { format: 'dot' });
      expect(dot).toContain('rankdir=LR');
      const reduced = render(dot);
      const all = render(graphExport(graph, { format: 'dot', allEdges: true }));
      expect(reduced.edges).toBeLessThanOrEqual(all.edges);
      expect(all.edges).toBe(graph.index.edgeCount);
      expect(reduced.clusters).toBe(all.clusters);
      expect(reduced.area).toBeLessThanOrEqual(all.area);
      const mermaid = graphExport(graph, { format: 'mermaid' });
      expect(mermaid.startsWith('flowchart LR\n')).toBe(true);
    });
  }
});
