// ForceAtlas2 layout for small views, started from the layered layout so that it is deterministic and converges
// in few iterations. Big views keep the layered layout: FA2 costs O(V log V) per iteration even with Barnes-Hut.
// Guarantees: no randomness; positions rounded to 1e-3 so output bytes do not depend on the last float bits.

import graphology from 'graphology';
import fa2 from 'graphology-layout-forceatlas2';
import type { ExportView } from './export-view.js';
import { layeredLayout, type Positions } from './layered-layout.js';

// NOTE: the package is CommonJS whose typings declare `export default`; at runtime the default import is the function.
const forceAtlas2 = fa2 as unknown as typeof fa2.default;

/** Views up to this many nodes get ForceAtlas2; larger ones keep the layered layout. */
export const FORCE_LAYOUT_MAX_NODES = 2000;

/**
 * Positions for every node of the view, in view order: ForceAtlas2 (seeded by the layered layout) up to
 * FORCE_LAYOUT_MAX_NODES nodes, the layered layout above. O(iterations · V log V + E) or O(V log V + E).
 */
export function forceLayout(view: ExportView, options: { iterations?: number } = {}): Positions {
  const seed = layeredLayout(view);
  const n = view.nodes.length;
  if (n > FORCE_LAYOUT_MAX_NODES || n < 3) return round(seed);
  const g = new graphology.DirectedGraph();
  view.nodes.forEach((_, i) => g.addNode(String(i), { x: seed.x[i], y: seed.y[i] }));
  for (const e of view.edges) g.addDirectedEdge(String(e.sourceIndex), String(e.targetIndex));
  const settings = forceAtlas2.inferSettings(g);
  // NOTE: Barnes-Hut from 500 nodes: the exact O(V²) repulsion is already slower there.
  const positions = forceAtlas2(g, { iterations: options.iterations ?? 300, settings: { ...settings, barnesHutOptimize: n > 500 } });
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const p = positions[String(i)] as { x: number; y: number };
    x[i] = p.x;
    y[i] = p.y;
  }
  return round({ x, y });
}

function round(p: Positions): Positions {
  const r = (v: Float64Array) => v.map((c) => Math.round(c * 1000) / 1000 + 0);
  return { x: r(p.x), y: r(p.y) };
}
