// Picks the `-target` list for a refresh set. Terraform's `-target` of a resource instance inside a module with
// for_each also refreshes that resource's dependencies in EVERY instance of the module (research/terraform-baseline.md:
// one device pulls in all sites and tunnels), while `-target` of a module instance stays inside it. So velocity
// estimates what Terraform will refresh for two candidate lists and passes the smaller.
// Guarantees: the chosen targets always cover the whole refresh set; the estimate only decides the form.

// Cost: the index's TargetLookup (built once per index, O(N · module depth)), then O(what Terraform refreshes).

import { collapseTargets } from './collapse-targets.js';
import type { ResourceIndex } from '../graph/resource-index.js';

export interface TargetChoice {
  /** `-target` addresses, sorted. */
  readonly targets: string[];
  /** `exact`: the refresh set collapsed; `module-instances`: widened to the module instances that hold it. */
  readonly form: 'exact' | 'module-instances';
  /** velocity's estimate of how many instances Terraform will refresh with these targets. */
  readonly estimate: number;
  /** The other candidate's estimate, for the report. */
  readonly alternativeEstimate: number;
}

/**
 * Estimates the instances Terraform refreshes for resource-instance targets `ids` plus module-instance targets
 * `modules`: a targeted instance pulls every instance of each configuration resource it depends on (in every module
 * instance), transitively; a targeted module instance pulls its own instances and, outside its module call, the
 * configuration resources they depend on. O(N + dependencies) worst case.
 */
export function estimateTerraformTargets(index: ResourceIndex, ids: Iterable<number>, modules: Iterable<string> = []): number {
  return terraformTargetSet(index, ids, modules).size;
}

/** The instance ids estimateTerraformTargets counts. Same cost. */
export function terraformTargetSet(index: ResourceIndex, ids: Iterable<number>, modules: Iterable<string> = []): Set<number> {
  const universe = index.targetLookup();
  const included = new Set<number>();
  const seenConfig = new Set<string>();
  const queue: string[] = [];
  const pull = (id: number, insideCall?: string): void => {
    if (included.has(id)) return;
    included.add(id);
    for (const dep of universe.dependenciesOf(id)) {
      if (insideCall !== undefined && dep.startsWith(`${insideCall}.`)) continue; // resolved inside the module instance
      if (!seenConfig.has(dep)) {
        seenConfig.add(dep);
        queue.push(dep);
      }
    }
  };
  for (const id of ids) pull(id);
  for (const path of modules) {
    const members = universe.moduleInstances(path);
    const first = members[0];
    if (first === undefined) continue;
    const depthOf = path === '' ? 0 : universe.modulePrefixesOf(first).indexOf(path) + 1;
    const call = universe.callsOf(first, depthOf);
    for (const id of members) pull(id, call);
  }
  for (let dep = queue.pop(); dep !== undefined; dep = queue.pop()) {
    for (const id of universe.configInstances(dep)) pull(id);
  }
  return included;
}

/**
 * What Terraform is estimated to refresh for a chosen `-target` list (module instances, resources, instances;
 * addresses not in the state are skipped). O(|targets| + the answer) after the index's TargetLookup.
 */
export function terraformRefreshOf(index: ResourceIndex, targets: readonly string[]): Set<number> {
  const universe = index.targetLookup();
  const ids: number[] = [];
  const modules: string[] = [];
  for (const t of targets) {
    const id = index.idOf(t);
    if (id !== undefined) ids.push(id);
    else if (universe.moduleInstances(t).length > 0) modules.push(t);
    else ids.push(...universe.resourceInstances(t));
  }
  return terraformTargetSet(index, ids, modules);
}

/**
 * Chooses targets for `refreshIds` (instance ids of the refresh set) plus `extraTargets` (addresses not in the state,
 * e.g. resources to create, passed verbatim). O(what Terraform refreshes) after the index's TargetLookup.
 */
export function chooseTargets(index: ResourceIndex, refreshIds: readonly number[], extraTargets: readonly string[] = []): TargetChoice {
  const universe = index.targetLookup();
  const exactTargets = collapseTargets(index, refreshIds);
  const exactEstimate = estimateTerraformTargets(index, refreshIds);
  // Widened: every instance inside a module instance is replaced by its (deepest) module instance.
  const rootIds: number[] = [];
  const moduleSet = new Set<string>();
  for (const id of refreshIds) {
    const module = universe.moduleOf(id);
    if (module === '') rootIds.push(id);
    else moduleSet.add(module);
  }
  const widenedIds = new Set<number>(rootIds);
  for (const m of moduleSet) for (const id of universe.moduleInstances(m)) widenedIds.add(id);
  const widenedEstimate = estimateTerraformTargets(index, rootIds, moduleSet);
  const extras = [...new Set(extraTargets)];
  if (moduleSet.size > 0 && widenedEstimate < exactEstimate) {
    return {
      targets: [...new Set([...collapseTargets(index, widenedIds), ...extras])].sort(),
      form: 'module-instances',
      estimate: widenedEstimate,
      alternativeEstimate: exactEstimate,
    };
  }
  return { targets: [...new Set([...exactTargets, ...extras])].sort(), form: 'exact', estimate: exactEstimate, alternativeEstimate: widenedEstimate };
}
