// Shortens a set of instance addresses into `-target` addresses that cover exactly the same state instances:
// all instances of a resource → the resource; everything under a module instance → the module instance.
// Guarantees: resolving the output against the state yields exactly the input set (sorted, deterministic).

import type { ResourceIndex } from '../graph/resource-index.js';

/**
 * Collapses instance ids into the fewest target addresses covering exactly them. O(|ids| · module depth + the
 * members of the module instances and resources touched), after the index's TargetLookup (O(N · depth), once per
 * index). Ids must belong to `index`. Output sorted.
 */
export function collapseTargets(index: ResourceIndex, ids: Iterable<number>): string[] {
  const universe = index.targetLookup();
  const chosen = new Set<number>(ids);
  const covered = new Set<number>();
  const out: string[] = [];
  // Module instances first, outermost first, so an outer module instance swallows inner ones.
  const modulePaths = new Map<string, number>();
  for (const id of chosen) {
    universe.modulePrefixesOf(id).forEach((path, k) => modulePaths.set(path, k + 1));
  }
  const byDepth = [...modulePaths].sort(([a, da], [b, db]) => da - db || (a < b ? -1 : a > b ? 1 : 0));
  for (const [path] of byDepth) {
    const members = universe.moduleInstances(path);
    if (members.length === 0 || members.some((id) => covered.has(id))) continue;
    if (members.every((id) => chosen.has(id))) {
      out.push(path);
      for (const id of members) covered.add(id);
    }
  }
  // Then whole resources, then single instances.
  const resources = new Set<string>();
  for (const id of chosen) if (!covered.has(id)) resources.add(universe.resourceOf(id));
  for (const resource of resources) {
    const members = universe.resourceInstances(resource);
    const keyed = members.length > 0 && universe.keyed(members[0] as number);
    if (keyed && members.length > 1 && members.every((id) => chosen.has(id))) {
      out.push(resource);
      for (const id of members) covered.add(id);
    }
  }
  for (const id of chosen) if (!covered.has(id)) out.push(universe.address(id));
  return out.sort();
}
