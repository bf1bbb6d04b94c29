// The instances of one resource block in one module instance (`module.c["x"].aws_y.z[*]`), found without a scan of
// the state: Terraform stores a resource's instances together, so they are a contiguous run of ids around any one
// of them, and the instances kept code reads are almost always direct upstream neighbours of what it plans.
// Guarantees: the same ids as StateGraph.resolve; the O(N) resolve runs only when no neighbour names the block.

import { UnknownAddressError } from '../errors.js';
import type { StateGraph } from '../graph/state-graph.js';

export interface BlockInstances {
  /** Ids of `<module instance>.<block>` (block `T.N` or `data.T.N`), in id order. */
  of(moduleInstance: string, block: string): number[];
}

/**
 * A lookup seeded with the ids the plan keeps: their upstream neighbours are indexed by resource address.
 * Cost: O(seeds · degree) to build; a query costs O(its instances), or one O(N) resolve when no seed matches.
 */
export function blockInstances(graph: StateGraph, seeds: Iterable<number>): BlockInstances {
  const { index } = graph;
  const firstOf = new Map<string, number>();
  const resourceOf = (id: number): string => {
    const r = index.record(id);
    return `${r.module}\u0000${r.mode === 'data' ? `data.${r.type}.${r.name}` : `${r.type}.${r.name}`}`;
  };
  const note = (id: number): void => {
    const key = resourceOf(id);
    if (!firstOf.has(key)) firstOf.set(key, id);
  };
  for (const id of seeds) {
    note(id);
    for (const up of index.upstreamOf(id)) note(up);
  }
  return {
    of(moduleInstance, block) {
      const key = `${moduleInstance}\u0000${block}`;
      const seed = firstOf.get(key) ?? index.idOf(`${moduleInstance === '' ? '' : `${moduleInstance}.`}${block}`);
      if (seed === undefined) {
        // NOTE: the slow path, O(N) once per graph: a block no kept instance depends on (read through a local).
        try {
          return graph.resolve([`${moduleInstance === '' ? '' : `${moduleInstance}.`}${block}`]);
        } catch (error) {
          if (error instanceof UnknownAddressError) return [];
          throw error;
        }
      }
      let lo = seed;
      let hi = seed;
      while (lo > 0 && resourceOf(lo - 1) === key) lo--;
      while (hi + 1 < graph.size && resourceOf(hi + 1) === key) hi++;
      return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
    },
  };
}
