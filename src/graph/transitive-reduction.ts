// Transitive reduction of a CSR dependency graph (Aho, Garey & Ullman 1972): the fewest edges with exactly the
// reachability of the input. Guarantees: on a DAG the result is the unique minimal one; on cyclic input every edge
// inside a strongly connected component is kept and the edges between components are reduced (same reachability).

import { strongComponents, type CsrGraph } from './strong-components.js';

export type { CsrGraph } from './strong-components.js';

/**
 * Which edges of `g` the transitive reduction keeps: `keep[k]` is 1 for the edge stored at `targets[k]`.
 * Between two components at most the first edge is kept; edges inside a component and self-loops are all kept.
 * Cost: O(V + E log E) to condense, then for each node with two or more successors one DFS over its descendants
 * that come before its last successor in topological order: O(V·E) worst case, O(V + E) on trees and chains.
 * Memory O(V + E) (no V² bitsets, so 10^6 nodes fit).
 */
export function transitiveReduction(g: CsrGraph): Uint8Array {
  const { size: n, offsets, targets } = g;
  const m = targets.length;
  const keep = new Uint8Array(m);
  const { comp, count } = strongComponents(g);
  // Topological position of a component: edges go from a lower position to a higher one.
  const topo = (c: number): number => count - 1 - c;

  // Condensed graph: per component its distinct successor components, each with the first edge that reaches it.
  const cOffsets = new Uint32Array(count + 1);
  for (let v = 0; v < n; v++) {
    for (let k = offsets[v] as number, end = offsets[v + 1] as number; k < end; k++) {
      const w = targets[k] as number;
      if (comp[w] === comp[v]) keep[k] = 1; // inside a component (or a self-loop): drawn as recorded
      else cOffsets[(comp[v] as number) + 1]!++;
    }
  }
  for (let c = 0; c < count; c++) cOffsets[c + 1]! += cOffsets[c] as number;
  const cFill = cOffsets.slice(0, count);
  const cTargets = new Int32Array(cOffsets[count] as number);
  const cEdge = new Int32Array(cOffsets[count] as number);
  for (let v = 0; v < n; v++) {
    for (let k = offsets[v] as number, end = offsets[v + 1] as number; k < end; k++) {
      const cv = comp[v] as number;
      const cw = comp[targets[k] as number] as number;
      if (cv === cw) continue;
      const at = cFill[cv]!++;
      cTargets[at] = cw;
      cEdge[at] = k;
    }
  }
  // Sort each component's successors by topological position (then edge position), then drop repeats.
  const cEnd = new Uint32Array(count);
  for (let c = 0; c < count; c++) {
    const from = cOffsets[c] as number;
    const to = cOffsets[c + 1] as number;
    if (to - from > 1) {
      const pairs: [number, number][] = [];
      for (let k = from; k < to; k++) pairs.push([cTargets[k] as number, cEdge[k] as number]);
      pairs.sort((p, q) => topo(p[0]) - topo(q[0]) || p[1] - q[1]);
      let out = from;
      for (const [t, e] of pairs) {
        if (out > from && cTargets[out - 1] === t) continue;
        cTargets[out] = t;
        cEdge[out++] = e;
      }
      cEnd[c] = out;
    } else cEnd[c] = to;
  }

  const mark = new Uint32Array(count);
  const stack = new Int32Array(count);
  let epoch = 0;
  for (let c = 0; c < count; c++) {
    const from = cOffsets[c] as number;
    const to = cEnd[c] as number;
    if (to === from) continue;
    if (to - from === 1) {
      // NOTE: one successor is always kept: no walk needed (most nodes of a state have one dependent or none).
      keep[cEdge[from] as number] = 1;
      continue;
    }
    epoch++;
    const limit = topo(cTargets[to - 1] as number);
    for (let k = from; k < to; k++) {
      const s = cTargets[k] as number;
      if (mark[s] === epoch) continue; // reachable through an earlier successor: redundant
      keep[cEdge[k] as number] = 1;
      let sp = 0;
      mark[s] = epoch;
      stack[sp++] = s;
      while (sp > 0) {
        const x = stack[--sp] as number;
        for (let j = cOffsets[x] as number, end = cEnd[x] as number; j < end; j++) {
          const y = cTargets[j] as number;
          // NOTE: successors are sorted by position, and nothing past the last successor of c can be one.
          if (topo(y) > limit) break;
          if (mark[y] === epoch) continue;
          mark[y] = epoch;
          stack[sp++] = y;
        }
      }
    }
  }
  return keep;
}
