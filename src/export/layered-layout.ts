// Hierarchical layout computed ahead of time for the HTML page: each group (module, type) is a block, nodes sit in
// columns by dependency depth (upstream left, downstream right), blocks are packed on shelves in group order.
// Guarantees: O(V + E) after sorting, no randomness (same view, same positions), works on cyclic input too.

import type { ExportView } from './export-view.js';

export interface Positions {
  readonly x: Float64Array;
  readonly y: Float64Array;
}

/** Longest-path layer of every node (Kahn's order; nodes on cycles keep the depth reached so far). O(V + E). */
function layers(view: ExportView): Int32Array {
  const n = view.nodes.length;
  const indegree = new Int32Array(n);
  const offsets = new Int32Array(n + 1);
  for (const e of view.edges) {
    offsets[e.sourceIndex + 1]!++;
    indegree[e.targetIndex]!++;
  }
  for (let i = 0; i < n; i++) offsets[i + 1]! += offsets[i]!;
  const targets = new Int32Array(view.edges.length);
  const fill = offsets.slice(0, n);
  for (const e of view.edges) targets[fill[e.sourceIndex]!++] = e.targetIndex;
  const layer = new Int32Array(n);
  const queue = new Int32Array(n);
  let tail = 0;
  for (let i = 0; i < n; i++) if (indegree[i] === 0) queue[tail++] = i;
  for (let head = 0; head < tail; head++) {
    const v = queue[head]!;
    for (let k = offsets[v]!; k < offsets[v + 1]!; k++) {
      const w = targets[k]!;
      if (layer[v]! + 1 > layer[w]!) layer[w] = layer[v]! + 1;
      if (--indegree[w]! === 0) queue[tail++] = w;
    }
  }
  return layer;
}

/**
 * Positions for every node of the view, in view order. Units: one grid cell per node.
 * O(V log V + E) (the per-group column sort dominates).
 */
export function layeredLayout(view: ExportView): Positions {
  const n = view.nodes.length;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const layer = layers(view);
  const groups = new Map<string, number[]>();
  view.nodes.forEach((node, i) => {
    const list = groups.get(node.attributes.group);
    if (list) list.push(i);
    else groups.set(node.attributes.group, [i]);
  });
  const ids = [...groups.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

  // Lay out each block in local cells.
  interface Block { members: number[]; cx: Int32Array; cy: Int32Array; width: number; height: number }
  const blocks: Block[] = ids.map((id) => {
    const members = groups.get(id) as number[];
    // NOTE: a column taller than √size wraps into several, so a block stays roughly square even when one layer
    // holds thousands of instances (a `for_each` over customers), instead of becoming a one-cell-wide strip.
    const maxRows = Math.max(8, Math.ceil(Math.sqrt(members.length)));
    const byLayer = new Map<number, number[]>();
    for (const i of members) {
      const l = layer[i]!;
      const list = byLayer.get(l);
      if (list) list.push(i);
      else byLayer.set(l, [i]);
    }
    const cx = new Int32Array(members.length);
    const cy = new Int32Array(members.length);
    const local = new Map<number, number>();
    members.forEach((m, k) => local.set(m, k));
    let column = 0;
    let height = 0;
    for (const l of [...byLayer.keys()].sort((a, b) => a - b)) {
      const list = byLayer.get(l) as number[];
      list.forEach((m, r) => {
        const k = local.get(m) as number;
        cx[k] = column + Math.floor(r / maxRows);
        cy[k] = r % maxRows;
      });
      column += Math.ceil(list.length / maxRows);
      height = Math.max(height, Math.min(list.length, maxRows));
    }
    return { members, cx, cy, width: column, height };
  });

  // Pack blocks on shelves about as wide as the square root of the total area.
  const gap = 2;
  const area = blocks.reduce((s, b) => s + (b.width + gap) * (b.height + gap), 0);
  const shelfWidth = Math.max(Math.ceil(Math.sqrt(area) * 1.2), ...blocks.map((b) => b.width + gap));
  let shelfX = 0;
  let shelfY = 0;
  let shelfHeight = 0;
  for (const b of blocks) {
    if (shelfX > 0 && shelfX + b.width > shelfWidth) {
      shelfY += shelfHeight + gap;
      shelfX = 0;
      shelfHeight = 0;
    }
    b.members.forEach((m, k) => {
      x[m] = shelfX + b.cx[k]!;
      // Graph coordinates grow upwards in sigma: negate so the first shelf is at the top.
      y[m] = -(shelfY + b.cy[k]!);
    });
    shelfX += b.width + gap;
    shelfHeight = Math.max(shelfHeight, b.height);
  }
  return { x, y };
}
