// The one BFS every cone is built on: walks the CSR adjacency of a ResourceIndex upstream or downstream from a
// set of roots. Guarantees: each node visited once, roots included, cost O(cone size + its edges), never O(n).

import type { ResourceIndex } from '../graph/resource-index.js';

export type Direction = 'upstream' | 'downstream';

export interface WalkOptions {
  /** Stop after this many hops from the roots (0 = roots only). @default Infinity */
  readonly maxDepth?: number;
  /** Nodes treated as already visited: not returned, not expanded. */
  readonly exclude?: (id: number) => boolean;
  /** Called once per newly reached node with the node it was reached from (-1 for roots). */
  readonly onVisit?: (id: number, from: number) => void;
}

/** Per-index visit marks with an epoch counter, so a query never clears an O(n) array. */
const marks = new WeakMap<ResourceIndex, { stamp: Uint32Array; epoch: number }>();

function nextEpoch(index: ResourceIndex): { stamp: Uint32Array; epoch: number } {
  let m = marks.get(index);
  if (!m || m.epoch === 0xffffffff) {
    // NOTE: allocated once per index (O(n) memory, one time) so every later query costs O(cone), not O(n).
    m = { stamp: new Uint32Array(index.size), epoch: 0 };
    marks.set(index, m);
  }
  m.epoch++;
  return m;
}

/**
 * Ids reachable from `roots` (included) following dependencies (`upstream`) or dependents (`downstream`),
 * in BFS order. Not reentrant from inside `onVisit`. O(cone + edges of the cone).
 */
export function walkCone(index: ResourceIndex, roots: Iterable<number>, direction: Direction, options: WalkOptions = {}): number[] {
  const { stamp, epoch } = nextEpoch(index);
  const offsets = direction === 'upstream' ? index.upOffsets : index.downOffsets;
  const targets = direction === 'upstream' ? index.upTargets : index.downTargets;
  const maxDepth = options.maxDepth ?? Infinity;
  const { exclude, onVisit } = options;
  const out: number[] = [];
  for (const r of roots) {
    if (stamp[r] === epoch || exclude?.(r)) continue;
    stamp[r] = epoch;
    out.push(r);
    onVisit?.(r, -1);
  }
  let levelEnd = out.length;
  let depth = 0;
  for (let q = 0; q < out.length; q++) {
    if (q === levelEnd) {
      depth++;
      levelEnd = out.length;
    }
    if (depth >= maxDepth) break;
    const v = out[q] as number;
    for (let e = offsets[v] as number, end = offsets[v + 1] as number; e < end; e++) {
      const w = targets[e] as number;
      if (stamp[w] === epoch) continue;
      stamp[w] = epoch;
      if (exclude?.(w)) continue;
      out.push(w);
      onVisit?.(w, v);
    }
  }
  return out;
}
