// VelocityEngine: turns a change (changed addresses, explicit targets) into a RefreshScope on one StateGraph.
// Guarantees: refresh, static and untouched partition the state; optimized queries cost O(cone), not O(state);
// results are sorted and identical for identical inputs.

import { changeConeIds } from '../cone/change-cone.js';
import type { StateGraph } from '../graph/state-graph.js';
import type { RefreshScope, ScopeReason, Strategy } from './refresh-scope.js';

export interface RefreshScopeRequest {
  /** Explicit targets, any `-target` form. */
  readonly targets?: readonly string[];
  /** Addresses whose configuration changed (any `-target` form). */
  readonly changed?: readonly string[];
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

export class VelocityEngine {
  readonly graph: StateGraph;

  constructor(graph: StateGraph) {
    this.graph = graph;
  }

  /**
   * The refresh scope of a change. `optimized`: O(cone · log cone). `full`: O(n log n).
   * Tainted instances and data sources in the static set are moved to refresh: Terraform replaces/reads them
   * whenever they are in scope (DESIGN.md). @throws AddressParseError, UnknownAddressError
   */
  computeRefreshScope(request: RefreshScopeRequest = {}): RefreshScope {
    const { graph } = this;
    const index = graph.index;
    const targetIds = graph.resolve(request.targets ?? []);
    const changedIds = graph.resolve(request.changed ?? []);
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
    const seeds = [...new Set([...changedIds, ...targetIds])];
    const cone = changeConeIds(index, seeds, {
      onRefresh: (id, from) => origin.set(id, from === -1 ? id : (origin.get(from) as number)),
      onStatic: (id, from) => feeds.set(id, feeds.get(from) ?? from),
    });
    const changed = new Set(changedIds);
    const name = (id: number) => index.address(id);

    const refresh: string[] = [];
    const statics: string[] = [];
    for (const id of cone.refresh) {
      const a = name(id);
      refresh.push(a);
      if (changed.has(id)) reasons.set(a, { kind: 'changed' });
      else if (origin.get(id) === id) reasons.set(a, { kind: 'target' });
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
}
