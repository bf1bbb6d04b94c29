// Finds every dependency cycle of the index: one cycle per strongly connected component with more than one
// node or a self-loop (Tarjan 1972, iterative so deep chains cannot overflow the stack). Never loops forever.

import type { ResourceIndex } from './resource-index.js';
import { strongComponents } from './strong-components.js';

/**
 * Returns one cycle per cyclic strongly connected component, as addresses in dependency order with the first
 * repeated at the end, rotated to start at the smallest address; the list is sorted. O(n + m).
 */
export function findCycles(index: ResourceIndex): string[][] {
  const n = index.size;
  const { downOffsets, downTargets } = index;
  const { comp, count } = strongComponents({ size: n, offsets: downOffsets, targets: downTargets });
  // NOTE: member lists only for components that can hold a cycle (two or more nodes, or a self-loop): the common
  // acyclic state allocates two typed arrays and nothing per node.
  const sizes = new Uint32Array(count);
  for (let v = 0; v < n; v++) sizes[comp[v] as number]!++;
  const members = new Map<number, number[]>();
  for (let v = 0; v < n; v++) {
    const c = comp[v] as number;
    let cyclic = (sizes[c] as number) > 1;
    for (let k = downOffsets[v] as number, end = downOffsets[v + 1] as number; k < end && !cyclic; k++) cyclic = downTargets[k] === v;
    if (!cyclic) continue;
    const list = members.get(c);
    if (list) list.push(v);
    else members.set(c, [v]);
  }
  return [...members.values()].map((m) => cycleIn(index, m)).sort((a, b) => (a[0] as string).localeCompare(b[0] as string));
}

/** A concrete cycle inside one strongly connected component, found by BFS back to the start. O(component). */
function cycleIn(index: ResourceIndex, comp: readonly number[]): string[] {
  const members = new Set(comp);
  const start = comp.reduce((best, id) => (index.address(id) < index.address(best) ? id : best));
  const parent = new Map<number, number>();
  const queue = [start];
  for (let q = 0; q < queue.length; q++) {
    const v = queue[q] as number;
    for (const w of index.downstreamOf(v)) {
      if (!members.has(w)) continue;
      if (w === start) {
        const path = [v];
        for (let p = v; p !== start; ) {
          p = parent.get(p) as number;
          path.push(p);
        }
        return [...path.reverse(), start].map((id) => index.address(id));
      }
      if (!parent.has(w)) {
        parent.set(w, v);
        queue.push(w);
      }
    }
  }
  return [index.address(start), index.address(start)];
}
