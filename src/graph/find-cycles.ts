// Finds every dependency cycle of the index: one cycle per strongly connected component with more than one
// node or a self-loop (Tarjan 1972, iterative so deep chains cannot overflow the stack). Never loops forever.

import type { ResourceIndex } from './resource-index.js';

/**
 * Returns one cycle per cyclic strongly connected component, as addresses in dependency order with the first
 * repeated at the end, rotated to start at the smallest address; the list is sorted. O(n + m).
 */
export function findCycles(index: ResourceIndex): string[][] {
  const n = index.size;
  const order = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  const components: number[][] = [];
  let counter = 0;
  const frames: { v: number; i: number }[] = [];
  for (let root = 0; root < n; root++) {
    if (order[root] !== -1) continue;
    frames.push({ v: root, i: 0 });
    order[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    while (frames.length > 0) {
      const f = frames[frames.length - 1] as { v: number; i: number };
      const next = index.downstreamOf(f.v);
      if (f.i < next.length) {
        const w = next[f.i++] as number;
        if (order[w] === -1) {
          order[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = 1;
          frames.push({ v: w, i: 0 });
        } else if (onStack[w]) low[f.v] = Math.min(low[f.v] as number, order[w] as number);
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent) low[parent.v] = Math.min(low[parent.v] as number, low[f.v] as number);
      if (low[f.v] === order[f.v]) {
        const comp: number[] = [];
        let w: number;
        do {
          w = stack.pop() as number;
          onStack[w] = 0;
          comp.push(w);
        } while (w !== f.v);
        const selfLoop = comp.length === 1 && index.downstreamOf(f.v).includes(f.v);
        if (comp.length > 1 || selfLoop) components.push(comp);
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
