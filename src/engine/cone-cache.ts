// Memoised cone and scope queries for callers that ask the same question many times (orchestrators scoping one
// change per worker): top and bottom cones keyed by the sorted ids of their roots, and refreshScope keyed by the
// whole request, in a bounded LRU (lru-cache). Guarantees: a cached answer equals the uncached one (the graph is
// immutable), so the cached scope has the engine's tainted/data-source handling; memory is bounded.

import { LRUCache } from 'lru-cache';
import { walkCone } from '../cone/walk-cone.js';
import type { StateGraph } from '../graph/state-graph.js';
import { refreshScope, type RefreshScope, type RefreshScopeRequest } from './refresh-scope.js';

export interface ConeCacheOptions {
  /** Most answers kept. @default 1024 */
  readonly maxEntries?: number;
  /** Most addresses kept over all answers (a scope counts refresh + static). @default 2_000_000 */
  readonly maxAddresses?: number;
}

type Answer = { readonly kind: 'list'; readonly list: readonly string[] } | { readonly kind: 'scope'; readonly scope: RefreshScope };

export class ConeCache {
  readonly graph: StateGraph;
  #lru: LRUCache<string, Answer>;
  #hits = 0;
  #misses = 0;

  constructor(graph: StateGraph, options: ConeCacheOptions = {}) {
    this.graph = graph;
    this.#lru = new LRUCache<string, Answer>({
      max: options.maxEntries ?? 1024,
      maxSize: options.maxAddresses ?? 2_000_000,
      // +1 so empty answers still count against the bound.
      sizeCalculation: (a) => 1 + (a.kind === 'list' ? a.list.length : a.scope.refresh.length + a.scope.static.length),
    });
  }

  /** Answers kept now. */
  get size(): number {
    return this.#lru.size;
  }

  /** Addresses held over all kept answers. */
  get addressesHeld(): number {
    return this.#lru.calculatedSize;
  }

  get stats(): { readonly hits: number; readonly misses: number } {
    return { hits: this.#hits, misses: this.#misses };
  }

  #get(key: string): Answer | undefined {
    const hit = this.#lru.get(key);
    if (hit) this.#hits++;
    else this.#misses++;
    return hit;
  }

  #list(kind: 'top' | 'bottom', addresses: readonly string[]): readonly string[] {
    // resolve() returns de-duplicated ids in ascending order: a canonical key whatever form or order was given.
    const ids = this.graph.resolve(addresses);
    const key = `${kind}:${ids.join(',')}`;
    const hit = this.#get(key);
    if (hit?.kind === 'list') return hit.list;
    const index = this.graph.index;
    const list = Object.freeze(walkCone(index, ids, kind === 'top' ? 'upstream' : 'downstream').map((id) => index.address(id)).sort());
    this.#lru.set(key, { kind: 'list', list });
    return list;
  }

  /** topCone(graph, addresses), memoised. Shared frozen result. O(k) on a hit, O(cone log cone) on a miss. */
  topCone(addresses: readonly string[]): readonly string[] {
    return this.#list('top', addresses);
  }

  /** bottomCone(graph, addresses), memoised. Shared frozen result. O(k) on a hit, O(cone log cone) on a miss. */
  bottomCone(addresses: readonly string[]): readonly string[] {
    return this.#list('bottom', addresses);
  }

  /**
   * refreshScope(graph, request), memoised on the request: resolved target ids, resolved changed ids (reasons differ
   * between them), strategy, staticInjection and fallbackReason. The answer is shared: its arrays are frozen, do not
   * mutate its `reasons`. O(k) on a hit, refreshScope's cost on a miss. @throws AddressParseError, UnknownAddressError
   */
  refreshScope(request: RefreshScopeRequest = {}): RefreshScope {
    const targets = this.graph.resolve(request.targets ?? []);
    const changed = this.graph.resolve(request.changed ?? []);
    const full = request.fallbackReason !== undefined || request.strategy === 'full';
    // A full scope does not depend on the seeds or on staticInjection; only on why it is full.
    const key = full
      ? `scope:full:${JSON.stringify(request.fallbackReason ?? null)}`
      : `scope:optimized:${request.staticInjection ?? true}:${targets.join(',')}:${changed.join(',')}`;
    const hit = this.#get(key);
    if (hit?.kind === 'scope') return hit.scope;
    const s = refreshScope(this.graph, request);
    const scope: RefreshScope = Object.freeze({ ...s, refresh: Object.freeze(s.refresh), static: Object.freeze(s.static) });
    this.#lru.set(key, { kind: 'scope', scope });
    return scope;
  }

  /** Drops every kept answer. */
  clear(): void {
    this.#lru.clear();
  }
}
