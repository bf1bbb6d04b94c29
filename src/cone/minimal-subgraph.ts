// The minimal subgraph that can plan a set of targets: the targets and everything upstream of them, with the
// dependency edges among those nodes. This is what a scoped plan must load.

import type { StateGraph } from '../graph/state-graph.js';
import { walkCone } from './walk-cone.js';

export interface Subgraph {
  /** Sorted addresses. */
  readonly nodes: readonly string[];
  /** [upstream, downstream] pairs among `nodes`, sorted. */
  readonly edges: readonly (readonly [string, string])[];
}

/** targets ∪ topCone(targets) and the induced edges. O(cone + its edges). @throws UnknownAddressError */
export function minimalSubgraph(graph: StateGraph, targets: readonly string[]): Subgraph {
  const ids = walkCone(graph.index, graph.resolve(targets), 'upstream');
  const inside = new Set(ids);
  const edges: [string, string][] = [];
  for (const id of ids) {
    for (const up of graph.index.upstreamOf(id)) {
      if (inside.has(up)) edges.push([graph.index.address(up), graph.index.address(id)]);
    }
  }
  edges.sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0) : a[0] < b[0] ? -1 : 1));
  return { nodes: ids.map((id) => graph.index.address(id)).sort(), edges };
}
