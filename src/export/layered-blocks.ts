// One block per group (module, type, or everything): nodes in columns by dependency depth (upstream left,
// downstream right), tall columns wrapped so a block stays roughly square. The layouts pack these blocks.
// Guarantees: deterministic, O(V + E) plus the per-group sorts; cyclic input keeps the depth reached so far.

import type { ExportView } from './export-view.js';

/** A group's nodes in local coordinates (origin top-left, one unit per cell, y downwards). */
export interface LayoutBlock {
  readonly group: string;
  /** Positions in `view.nodes` of the block's members. */
  readonly members: readonly number[];
  x: Float64Array;
  y: Float64Array;
  width: number;
  height: number;
}

const COLUMN_WIDTH = 3;

/** Longest-path layer of every node (Kahn's order). O(V + E). */
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

/** The layered block of every group, in sorted group order. O(V log V + E). */
export function layeredBlocks(view: ExportView): LayoutBlock[] {
  const layer = layers(view);
  const groups = new Map<string, number[]>();
  view.nodes.forEach((node, i) => {
    const list = groups.get(node.attributes.group);
    if (list) list.push(i);
    else groups.set(node.attributes.group, [i]);
  });
  const ids = [...groups.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return ids.map((group) => {
    const members = groups.get(group) as number[];
    // NOTE: a column taller than √size wraps into several, so a block stays roughly square even when one layer
    // holds thousands of instances (a `for_each` over customers), instead of becoming a one-cell-wide strip.
    const maxRows = Math.max(8, Math.ceil(Math.sqrt(members.length)));
    const byLayer = new Map<number, number[]>();
    members.forEach((m, k) => {
      const list = byLayer.get(layer[m]!);
      if (list) list.push(k);
      else byLayer.set(layer[m]!, [k]);
    });
    const x = new Float64Array(members.length);
    const y = new Float64Array(members.length);
    let column = 0;
    let height = 0;
    for (const l of [...byLayer.keys()].sort((a, b) => a - b)) {
      const list = byLayer.get(l) as number[];
      list.forEach((k, r) => {
        // NOTE: columns 3 units apart, rows 1: labels are wide and short, so this is what keeps them apart.
        x[k] = COLUMN_WIDTH * (column + Math.floor(r / maxRows));
        y[k] = r % maxRows;
      });
      column += Math.ceil(list.length / maxRows);
      height = Math.max(height, Math.min(list.length, maxRows));
    }
    return { group, members, x, y, width: COLUMN_WIDTH * Math.max(column - 1, 0), height: Math.max(height - 1, 0) };
  });
}
