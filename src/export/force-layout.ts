// Module-grouped ForceAtlas2 layout for the HTML page: each group's nodes are laid out by ForceAtlas2 on the
// group's own edges, started from its layered block (so no randomness), then the blocks are packed side by side,
// which keeps modules visibly apart. Big views keep the layered blocks: FA2 costs O(V log V) per iteration.
// Guarantees: deterministic; positions rounded to 1e-3 so output bytes do not depend on the last float bits.

import { createRequire } from 'node:module';
import graphology from 'graphology';
import type fa2 from 'graphology-layout-forceatlas2';
import type { ExportView } from './export-view.js';
import { layeredBlocks, type LayoutBlock } from './layered-blocks.js';
import { packBlocks, type Positions } from './pack-blocks.js';

// NOTE: the package is CommonJS whose typings declare `export default`; at runtime the module is the function. It is
// loaded on the first layout, so importing the package (or any command but `graph --format html`) never loads it.
let forceAtlas2: typeof fa2.default | undefined;

/** Groups up to this many nodes get ForceAtlas2; larger ones keep their layered block. */
export const FORCE_LAYOUT_MAX_GROUP = 2000;
/** Views above this many nodes keep the layered layout altogether (thousands of small FA2 runs add up). */
export const FORCE_LAYOUT_MAX_NODES = 10_000;

/** Replaces a block's layered coordinates with ForceAtlas2's on its own edges, scaled to about 3 units² per node. */
function relax(block: LayoutBlock, edges: readonly (readonly [number, number])[], iterations: number): void {
  const n = block.members.length;
  const g = new graphology.DirectedGraph();
  for (let k = 0; k < n; k++) g.addNode(String(k), { x: block.x[k], y: block.y[k] });
  for (const [s, t] of edges) g.addDirectedEdge(String(s), String(t));
  // NOTE: Barnes-Hut from 500 nodes: the exact O(V²) repulsion is already slower there.
  forceAtlas2 ??= createRequire(import.meta.url)('graphology-layout-forceatlas2') as typeof fa2.default;
  const settings = { ...forceAtlas2.inferSettings(g), barnesHutOptimize: n > 500 };
  const p = forceAtlas2(g, { iterations, settings });
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (let k = 0; k < n; k++) {
    const q = p[String(k)] as { x: number; y: number };
    minX = Math.min(minX, q.x); maxX = Math.max(maxX, q.x);
    minY = Math.min(minY, q.y); maxY = Math.max(maxY, q.y);
  }
  const w = maxX - minX;
  const h = maxY - minY;
  const scale = w * h > 1e-9 ? Math.sqrt((3 * n) / (w * h)) : (2 * Math.sqrt(n)) / Math.max(w, h, 1e-9);
  for (let k = 0; k < n; k++) {
    const q = p[String(k)] as { x: number; y: number };
    block.x[k] = (q.x - minX) * scale;
    block.y[k] = (maxY - q.y) * scale;
  }
  block.width = w * scale;
  block.height = h * scale;
}

/**
 * Positions for every node of the view, in view order: per-group ForceAtlas2 packed by group up to
 * FORCE_LAYOUT_MAX_NODES nodes, the layered layout above. O(Σ iterations · g log g + E) or O(V log V + E).
 */
export function forceLayout(view: ExportView, options: { iterations?: number } = {}): Positions {
  const blocks = layeredBlocks(view);
  const n = view.nodes.length;
  if (n <= FORCE_LAYOUT_MAX_NODES) {
    // Each node's block and its position inside it, then every intra-block edge bucketed by block: O(V + E).
    const blockOf = new Int32Array(n);
    const local = new Int32Array(n);
    blocks.forEach((b, bi) => b.members.forEach((m, k) => ((blockOf[m] = bi), (local[m] = k))));
    const inner: [number, number][][] = blocks.map(() => []);
    for (const e of view.edges) {
      const bi = blockOf[e.sourceIndex]!;
      if (bi === blockOf[e.targetIndex]) inner[bi]!.push([local[e.sourceIndex]!, local[e.targetIndex]!]);
    }
    blocks.forEach((b, bi) => {
      if (b.members.length >= 3 && b.members.length <= FORCE_LAYOUT_MAX_GROUP) relax(b, inner[bi]!, options.iterations ?? 300);
    });
  }
  const p = packBlocks(blocks, n);
  const r = (v: Float64Array) => v.map((c) => Math.round(c * 1000) / 1000 + 0);
  return { x: r(p.x), y: r(p.y) };
}
