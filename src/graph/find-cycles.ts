// Finds every dependency cycle of the index: one cycle per strongly connected component with more than one
// node or a self-loop (Tarjan 1972, iterative so deep chains cannot overflow the stack). Never loops forever.

import type { ResourceIndex } from './resource-index.js';

/**
 * Returns one cycle per cyclic strongly connected component, as addresses in dependency order with the first
 * repeated at the end, rotated to start at the smallest address; the list is sorted. O(n + m).
 */
export function findCycles(index: ResourceIndex): string[][] {
  const n = index.size;
  const { downOffsets, downTargets } = index;
  const order = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  // NOTE: typed-array stacks instead of frame objects: no allocation per node, which matters at 10^6 nodes.
  const stack = new Int32Array(n);
  let sp = 0;
  const frameNode = new Int32Array(n);
  const frameEdge = new Uint32Array(n);
  let fp = 0;
  const components: number[][] = [];
  let counter = 0;
  for (let root = 0; root < n; root++) {
    if (order[root] !== -1) continue;
    order[root] = low[root] = counter++;
    stack[sp++] = root;
    onStack[root] = 1;
    frameNode[fp] = root;
    frameEdge[fp++] = downOffsets[root] as number;
    while (fp > 0) {
      const v = frameNode[fp - 1] as number;
      const e = frameEdge[fp - 1] as number;
      if (e < (downOffsets[v + 1] as number)) {
        frameEdge[fp - 1] = e + 1;
        const w = downTargets[e] as number;
        if (order[w] === -1) {
          order[w] = low[w] = counter++;
          stack[sp++] = w;
          onStack[w] = 1;
          frameNode[fp] = w;
          frameEdge[fp++] = downOffsets[w] as number;
        } else if (onStack[w]) low[v] = Math.min(low[v] as number, order[w] as number);
        continue;
      }
      fp--;
      if (fp > 0) {
        const parent = frameNode[fp - 1] as number;
        low[parent] = Math.min(low[parent] as number, low[v] as number);
      }
      if (low[v] === order[v]) {
        if (stack[sp - 1] === v) {
          // NOTE: the common case, a single-node component: no array unless it loops on itself.
          sp--;
          onStack[v] = 0;
          let selfLoop = false;
          for (let k = downOffsets[v] as number, end = downOffsets[v + 1] as number; k < end && !selfLoop; k++) selfLoop = downTargets[k] === v;
          if (selfLoop) components.push([v]);
          continue;
        }
        const comp: number[] = [];
        let w: number;
        do {
          w = stack[--sp] as number;
          onStack[w] = 0;
          comp.push(w);
        } while (w !== v);
        components.push(comp);
      }
    }
  }
  return components.map((comp) => cycleIn(index, comp)).sort((a, b) => (a[0] as string).localeCompare(b[0] as string));
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
