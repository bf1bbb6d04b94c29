// fast-check arbitraries for export tests: small DAGs whose addresses and attributes hold the characters that break
// naive writers (quotes, backslashes, XML markup, `${`, whitespace escapes, non-BMP unicode), and a focus with roles.

import fc from 'fast-check';
import graphology from 'graphology';
import type { NodeRole, SourceNodeAttributes } from '../../src/export/export-view.js';

const ALPHABET = ['a', 'b', 'Z', '0', '_', '-', '.', '"', '\\', '<', '>', '&', "'", ' ', '$', '{', '%', '#', ';', '\n', '\t', '\r', 'é', '漢', '😀', '[', ']'];

export const awkwardString = fc.array(fc.constantFrom(...ALPHABET), { minLength: 1, maxLength: 12 }).map((a) => a.join(''));

export interface RandomGraph {
  readonly graph: InstanceType<typeof graphology.DirectedGraph>;
  readonly roles: Map<string, NodeRole>;
  readonly focus: string[];
}

/** A DAG of 1..12 nodes (edges only from lower to higher position, so acyclic) with awkward attribute values. */
export const randomGraph: fc.Arbitrary<RandomGraph> = fc
  .uniqueArray(awkwardString, { minLength: 1, maxLength: 12 })
  .chain((keys) =>
    fc.record({
      keys: fc.constant(keys),
      attrs: fc.array(
        fc.record({
          mode: fc.constantFrom<'managed' | 'data'>('managed', 'data'),
          type: awkwardString,
          name: awkwardString,
          module: fc.oneof(fc.constant(''), awkwardString),
          indexKey: fc.oneof(fc.constant(null), fc.nat({ max: 1_000_000 }), awkwardString),
          provider: awkwardString,
          tainted: fc.boolean(),
          deposedCount: fc.nat({ max: 3 }),
          role: fc.constantFrom<NodeRole>('changed', 'refresh', 'static', 'untouched'),
        }),
        { minLength: keys.length, maxLength: keys.length },
      ),
      edges: fc.array(fc.tuple(fc.nat({ max: keys.length - 1 }), fc.nat({ max: keys.length - 1 })), { maxLength: 30 }),
      withFocus: fc.boolean(),
    }),
  )
  .map(({ keys, attrs, edges, withFocus }) => {
    const graph = new graphology.DirectedGraph();
    const roles = new Map<string, NodeRole>();
    keys.forEach((key, i) => {
      const { role, ...a } = attrs[i] as (typeof attrs)[number];
      const node: SourceNodeAttributes = { address: key, ...a };
      graph.addNode(key, node);
      roles.set(key, role);
    });
    for (const [s, t] of edges) if (s < t && !graph.hasEdge(keys[s] as string, keys[t] as string)) graph.addDirectedEdge(keys[s] as string, keys[t] as string);
    return { graph, roles, focus: withFocus ? [keys[0] as string] : [] };
  });

/** A graph in CSR form for algorithm tests: `size` nodes, sorted duplicate-free successor lists. */
export interface RandomCsr {
  readonly size: number;
  readonly offsets: Uint32Array;
  readonly targets: Uint32Array;
}

/** Builds the CSR of an edge list (duplicates dropped, rows sorted). O(E log E). */
export function csrOf(size: number, edges: readonly (readonly [number, number])[]): RandomCsr {
  const unique = [...new Set(edges.map(([s, t]) => s * size + t))].sort((a, b) => a - b);
  const offsets = new Uint32Array(size + 1);
  const targets = new Uint32Array(unique.length);
  unique.forEach((code, k) => {
    offsets[Math.floor(code / size) + 1]!++;
    targets[k] = code % size;
  });
  for (let i = 0; i < size; i++) offsets[i + 1]! += offsets[i]!;
  return { size, offsets, targets };
}

/** A random DAG of 1..`maxNodes` nodes, edges from a lower to a higher id under a random relabelling (so ids are not already a topological order). */
export const randomCsrDag = (maxNodes = 24, maxEdges = 80): fc.Arbitrary<RandomCsr> =>
  fc.integer({ min: 1, max: maxNodes }).chain((n) =>
    fc
      .record({
        perm: fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n }),
        pairs: fc.array(fc.tuple(fc.nat({ max: n - 1 }), fc.nat({ max: n - 1 })), { maxLength: maxEdges }),
      })
      .map(({ perm, pairs }) => csrOf(n, pairs.filter(([s, t]) => s < t).map(([s, t]) => [perm[s] as number, perm[t] as number] as const))),
  );

/** A random directed graph that may have cycles and self-loops. */
export const randomCsrGraph = (maxNodes = 16, maxEdges = 50): fc.Arbitrary<RandomCsr> =>
  fc.integer({ min: 1, max: maxNodes }).chain((n) =>
    fc.array(fc.tuple(fc.nat({ max: n - 1 }), fc.nat({ max: n - 1 })), { maxLength: maxEdges }).map((pairs) => csrOf(n, pairs)),
  );
