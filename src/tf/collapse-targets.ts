// Shortens a set of instance addresses into `-target` addresses that cover exactly the same state instances:
// all instances of a resource → the resource; everything under a module instance → the module instance.
// Guarantees: resolving the output against the state yields exactly the input set (sorted, deterministic).

import { formatModulePath } from '../state/address.js';
import type { TargetUniverse } from './target-universe.js';

/**
 * Collapses instance ids into the fewest target addresses covering exactly them. O(|ids| · module depth).
 * Ids must belong to `universe`. Output sorted.
 */
export function collapseTargets(universe: TargetUniverse, ids: Iterable<number>): string[] {
  const chosen = new Set<number>(ids);
  const covered = new Set<number>();
  const out: string[] = [];
  // Module instances first, outermost first, so an outer module instance swallows inner ones.
  const modulePaths = new Map<string, number>();
  for (const id of chosen) {
    const steps = universe.instances[id]?.steps ?? [];
    for (let k = 1; k <= steps.length; k++) modulePaths.set(formatModulePath(steps.slice(0, k)), k);
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
  for (const id of chosen) if (!covered.has(id)) resources.add((universe.instances[id] as { resource: string }).resource);
  for (const resource of resources) {
    const members = universe.resourceInstances(resource);
    const keyed = members.length > 0 && universe.instances[members[0] as number]?.keyed === true;
    if (keyed && members.length > 1 && members.every((id) => chosen.has(id))) {
      out.push(resource);
      for (const id of members) covered.add(id);
    }
  }
  for (const id of chosen) if (!covered.has(id)) out.push((universe.instances[id] as { address: string }).address);
  return out.sort();
}
