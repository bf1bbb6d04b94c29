// The change cone of DESIGN.md, the pure graph primitive: refresh = C ∪ T ∪ bottomCone(C ∪ T); static =
// topCone(refresh) \ refresh; untouched = the rest. Guarantees: the three sets partition the state; cost O(cone).
// What a plan refreshes (tainted instances and data sources moved in) is engine/refresh-scope.ts, built on this.

import type { ResourceIndex } from '../graph/resource-index.js';
import type { StateGraph } from '../graph/state-graph.js';
import { walkCone, type WalkOptions } from './walk-cone.js';

/** Id-level change cone, for callers that keep working on ids (the engine). */
export interface ChangeConeIds {
  readonly refresh: readonly number[];
  readonly static: readonly number[];
}

/**
 * Computes refresh and static ids from seed ids (changed ∪ targets). `alone`: ids refreshed without their dependents
 * (a refresh-only drift check), visited as roots after the downstream walk. O(cone).
 */
export function changeConeIds(
  index: ResourceIndex,
  seeds: Iterable<number>,
  hooks: { onRefresh?: WalkOptions['onVisit']; onStatic?: WalkOptions['onVisit'] } = {},
  alone: readonly number[] = [],
): ChangeConeIds {
  const refresh = walkCone(index, seeds, 'downstream', hooks.onRefresh ? { onVisit: hooks.onRefresh } : {});
  if (alone.length > 0) {
    const seen = new Set(refresh);
    for (const id of alone) {
      if (seen.has(id)) continue;
      seen.add(id);
      refresh.push(id);
      hooks.onRefresh?.(id, -1);
    }
  }
  // The upstream walk starts from every refresh node; those come first in BFS order, so what follows is static.
  const onStatic = hooks.onStatic;
  const upstream = walkCone(index, refresh, 'upstream', onStatic ? { onVisit: (id, from) => from !== -1 && onStatic(id, from) } : {});
  const staticIds = upstream.slice(refresh.length);
  return { refresh, static: staticIds };
}

export interface ChangeCone {
  /** Sorted addresses to read fresh. */
  readonly refresh: readonly string[];
  /** Sorted addresses whose cached state is good enough (inputs of the change). */
  readonly static: readonly string[];
  /** How many instances are neither. */
  readonly untouched: number;
  readonly total: number;
}

/**
 * The change cone of changed addresses C and explicit targets T (any `-target` form), before the engine moves
 * tainted instances and data sources into refresh: lock or plan with refreshScope, not this. O(cone · log cone).
 * @throws AddressParseError, UnknownAddressError
 */
export function changeCone(graph: StateGraph, input: { targets?: readonly string[]; changed?: readonly string[] }): ChangeCone {
  const seeds = graph.resolve([...(input.targets ?? []), ...(input.changed ?? [])]);
  const ids = changeConeIds(graph.index, seeds);
  const name = (id: number) => graph.index.address(id);
  return {
    refresh: ids.refresh.map(name).sort(),
    static: ids.static.map(name).sort(),
    untouched: graph.size - ids.refresh.length - ids.static.length,
    total: graph.size,
  };
}
