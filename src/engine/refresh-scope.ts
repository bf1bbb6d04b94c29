// The one scope function: which instances a plan must read fresh, which may stay cached, and why each one is there.
// The engine, the cone cache and `velocity scope` all call refreshScope, so tainted instances and data sources are
// handled the same everywhere. Guarantees: refresh, static and untouched partition the state; optimized costs O(cone).

import { changeConeIds } from '../cone/change-cone.js';
import type { StateGraph } from '../graph/state-graph.js';

/** Why an instance is in the refresh or static set. `of` names the changed/targeted (or refreshed) instance that pulled it in. */
export type ScopeReason =
  | { readonly kind: 'changed' }
  | { readonly kind: 'target' }
  /** Chosen by `--drift-budget` (refreshed longest ago), planned like a change so its drift shows. */
  | { readonly kind: 'drift-budget' }
  | { readonly kind: 'downstream'; readonly of: string }
  | { readonly kind: 'upstream'; readonly of: string }
  | { readonly kind: 'data-source'; readonly of: string }
  | { readonly kind: 'tainted'; readonly of: string }
  | { readonly kind: 'not-injectable'; readonly of: string }
  | { readonly kind: 'full'; readonly why: string };

export type Strategy = 'full' | 'optimized';

export interface RefreshScope {
  readonly strategy: Strategy;
  /** Instances in the state. */
  readonly total: number;
  /** Sorted addresses to read fresh. */
  readonly refresh: readonly string[];
  /** Sorted addresses whose cached state is used. */
  readonly static: readonly string[];
  /** Count of instances neither refreshed nor needed. */
  readonly untouched: number;
  /** 1 - |refresh| / total. */
  readonly savings: number;
  /** Reason per address in refresh or static. */
  readonly reasons: ReadonlyMap<string, ScopeReason>;
  /** Sorted: dangling dependencies and other things the user should know. */
  readonly warnings: readonly string[];
  /** Set when strategy is `full` for a reason other than the caller asking for it. */
  readonly fallbackReason?: string;
}

export interface RefreshScopeRequest {
  /** Explicit targets, any `-target` form. */
  readonly targets?: readonly string[];
  /** Addresses whose configuration changed (any `-target` form). */
  readonly changed?: readonly string[];
  /** Instance addresses chosen by a drift budget (selectDriftBudget): seeds like `changed`, reason `drift-budget`. */
  readonly driftBudget?: readonly string[];
  /** The drift budget's instances are read fresh without planning their dependents (a refresh-only drift check). */
  readonly driftBudgetAlone?: boolean;
  /** @default 'optimized' */
  readonly strategy?: Strategy;
  /**
   * Whether the runner can serve static instances from cached state. A `-target` plan cannot: Terraform refreshes
   * every dependency of a target, so with `false` the static set is counted as refreshed (reason `not-injectable`).
   * @default true
   */
  readonly staticInjection?: boolean;
  /** Why the caller forces `full` (change detection could not be sure); reported back as `fallbackReason`. */
  readonly fallbackReason?: string;
}

/**
 * The refresh scope of a change on `graph`. `optimized`: refresh = the change cone's refresh set plus every tainted
 * instance and data source of its static set (Terraform replaces/reads them whenever they are in scope, DESIGN.md),
 * plus the whole static set when `staticInjection` is false. `full`: everything. Cost: optimized O(cone · log cone),
 * full O(n log n). @throws AddressParseError, UnknownAddressError
 */
export function refreshScope(graph: StateGraph, request: RefreshScopeRequest = {}): RefreshScope {
  const index = graph.index;
  const targetIds = graph.resolve(request.targets ?? []);
  const changedIds = graph.resolve(request.changed ?? []);
  const budgetIds = graph.resolve(request.driftBudget ?? []);
  const strategy: Strategy = request.fallbackReason !== undefined ? 'full' : (request.strategy ?? 'optimized');
  const reasons = new Map<string, ScopeReason>();

  if (strategy === 'full') {
    const why = request.fallbackReason ?? 'full refresh requested';
    const all = graph.addresses();
    for (const a of all) reasons.set(a, { kind: 'full', why });
    return {
      strategy,
      total: graph.size,
      refresh: all,
      static: [],
      untouched: 0,
      savings: 0,
      reasons,
      warnings: graph.warnings,
      ...(request.fallbackReason !== undefined ? { fallbackReason: request.fallbackReason } : {}),
    };
  }

  // origin: refresh node → the seed whose downstream walk reached it; static node → the refresh node it feeds.
  const origin = new Map<number, number>();
  const feeds = new Map<number, number>();
  const alone = request.driftBudgetAlone === true;
  const seeds = [...new Set([...changedIds, ...targetIds, ...(alone ? [] : budgetIds)])];
  const cone = changeConeIds(index, seeds, {
    onRefresh: (id, from) => origin.set(id, from === -1 ? id : (origin.get(from) as number)),
    onStatic: (id, from) => feeds.set(id, feeds.get(from) ?? from),
  }, alone ? budgetIds : []);
  const changed = new Set(changedIds);
  const targeted = new Set(targetIds);
  const budget = new Set(budgetIds.filter((id) => !targeted.has(id)));
  const name = (id: number) => index.address(id);

  const refresh: string[] = [];
  const statics: string[] = [];
  for (const id of cone.refresh) {
    const a = name(id);
    refresh.push(a);
    if (changed.has(id)) reasons.set(a, { kind: 'changed' });
    else if (origin.get(id) === id) reasons.set(a, { kind: budget.has(id) ? 'drift-budget' : 'target' });
    else reasons.set(a, { kind: 'downstream', of: name(origin.get(id) as number) });
  }
  const inject = request.staticInjection ?? true;
  for (const id of cone.static) {
    const a = name(id);
    const of = name(feeds.get(id) as number);
    const r = index.record(id);
    if (r.tainted) reasons.set(a, { kind: 'tainted', of });
    else if (r.mode === 'data') reasons.set(a, { kind: 'data-source', of });
    else if (!inject) reasons.set(a, { kind: 'not-injectable', of });
    else {
      reasons.set(a, { kind: 'upstream', of });
      statics.push(a);
      continue;
    }
    refresh.push(a);
  }
  refresh.sort();
  statics.sort();
  return {
    strategy,
    total: graph.size,
    refresh,
    static: statics,
    untouched: graph.size - refresh.length - statics.length,
    savings: graph.size === 0 ? 0 : 1 - refresh.length / graph.size,
    reasons,
    warnings: graph.warnings,
  };
}
