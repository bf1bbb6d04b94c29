// Strongly connected components of a CSR graph (Tarjan 1972), iterative with typed-array stacks so a chain of 10^6
// nodes cannot overflow the call stack and no object is allocated per node. The one SCC walk of the codebase:
// cycle reporting (find-cycles) and the transitive reduction both use it.

/** A graph in the ResourceIndex's CSR form: the successors of v are `targets[offsets[v] .. offsets[v + 1])`. */
export interface CsrGraph {
  readonly size: number;
  readonly offsets: Uint32Array;
  readonly targets: Uint32Array;
}

/**
 * Strongly connected components (Tarjan, iterative). Component ids are in completion order, so every edge
 * between components goes from a higher id to a lower one (id 0 is a sink). O(V + E).
 */
export function strongComponents(g: CsrGraph): { comp: Int32Array; count: number } {
  const { size: n, offsets, targets } = g;
  const order = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const comp = new Int32Array(n).fill(-1);
  const stack = new Int32Array(n);
  const frameNode = new Int32Array(n);
  const frameEdge = new Uint32Array(n);
  let sp = 0;
  let counter = 0;
  let count = 0;
  for (let root = 0; root < n; root++) {
    if (order[root] !== -1) continue;
    let fp = 0;
    order[root] = low[root] = counter++;
    stack[sp++] = root;
    frameNode[fp] = root;
    frameEdge[fp++] = offsets[root] as number;
    while (fp > 0) {
      const v = frameNode[fp - 1] as number;
      const e = frameEdge[fp - 1] as number;
      if (e < (offsets[v + 1] as number)) {
        frameEdge[fp - 1] = e + 1;
        const w = targets[e] as number;
        if (order[w] === -1) {
          order[w] = low[w] = counter++;
          stack[sp++] = w;
          frameNode[fp] = w;
          frameEdge[fp++] = offsets[w] as number;
        } else if (comp[w] === -1) low[v] = Math.min(low[v] as number, order[w] as number);
        continue;
      }
      fp--;
      if (fp > 0) {
        const parent = frameNode[fp - 1] as number;
        low[parent] = Math.min(low[parent] as number, low[v] as number);
      }
      if (low[v] === order[v]) {
        let w: number;
        do {
          w = stack[--sp] as number;
          comp[w] = count;
        } while (w !== v);
        count++;
      }
    }
  }
  return { comp, count };
}
