// The transitive reduction keeps exactly the reachability of its input and, on a DAG, is minimal: removing any
// kept edge loses a reachable pair. Checked on random DAGs and on random graphs with cycles.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { transitiveReduction } from '../../src/graph/transitive-reduction.js';
import { csrOf, randomCsrDag, randomCsrGraph, type RandomCsr } from '../support/random-graph.js';

/** Every reachable pair (u, v), u ≠ v or u on a cycle, as sorted codes u·n + v: BFS from each node. */
function closure(g: RandomCsr, skip = -1): number[] {
  const out: number[] = [];
  for (let u = 0; u < g.size; u++) {
    const seen = new Uint8Array(g.size);
    const queue: number[] = [];
    for (let k = g.offsets[u]!; k < g.offsets[u + 1]!; k++) if (k !== skip && !seen[g.targets[k]!]) (seen[g.targets[k]!] = 1), queue.push(g.targets[k]!);
    for (let q = 0; q < queue.length; q++) {
      const v = queue[q]!;
      for (let k = g.offsets[v]!; k < g.offsets[v + 1]!; k++) if (k !== skip && !seen[g.targets[k]!]) (seen[g.targets[k]!] = 1), queue.push(g.targets[k]!);
    }
    for (let v = 0; v < g.size; v++) if (seen[v]) out.push(u * g.size + v);
  }
  return out;
}

/** The kept edges as a graph of their own. */
function kept(g: RandomCsr, keep: Uint8Array): RandomCsr {
  const edges: [number, number][] = [];
  for (let u = 0; u < g.size; u++) for (let k = g.offsets[u]!; k < g.offsets[u + 1]!; k++) if (keep[k]) edges.push([u, g.targets[k]!]);
  return csrOf(g.size, edges);
}

describe('transitive reduction', () => {
  it('of a random DAG has the same reachability', () => {
    fc.assert(fc.property(randomCsrDag(), (g) => {
      expect(closure(kept(g, transitiveReduction(g)))).toEqual(closure(g));
    }), { numRuns: 300 });
  });

  it('of a random DAG is minimal: removing any kept edge changes reachability', () => {
    fc.assert(
      fc.property(randomCsrDag(), (g) => {
        const r = kept(g, transitiveReduction(g));
        const full = closure(r).length;
        for (let k = 0; k < r.targets.length; k++) expect(closure(r, k).length).toBeLessThan(full);
      }),
      { numRuns: 300 },
    );
  });

  it('of a random graph with cycles and self-loops has the same reachability', () => {
    fc.assert(fc.property(randomCsrGraph(), (g) => {
      expect(closure(kept(g, transitiveReduction(g)))).toEqual(closure(g));
    }), { numRuns: 300 });
  });

  it('drops the shortcut of a triangle and keeps a chain', () => {
    const g = csrOf(3, [[0, 1], [1, 2], [0, 2]]);
    expect(Array.from(transitiveReduction(g))).toEqual([1, 0, 1]); // edges in CSR order: 0→1, 0→2, 1→2
  });
});
