// Memoised cone queries for callers that ask the same question many times (orchestrators scoping one change per
// worker): top, bottom and change cones keyed by the sorted ids of their roots, in a bounded LRU (lru-cache).
// Guarantees: a cached answer is the uncached answer (the graph is immutable); memory is bounded by entries and
// by the total number of addresses held.

import { LRUCache } from 'lru-cache';
import type { StateGraph } from '../graph/state-graph.js';
import { changeConeIds } from './change-cone.js';
import type { ChangeCone } from './change-cone.js';
import { walkCone } from './walk-cone.js';

export interface ConeCacheOptions {
  /** Most answers kept. @default 1024 */
  readonly maxEntries?: number;
  /** Most addresses kept over all answers (a change cone counts refresh + static). @default 2_000_000 */
  readonly maxAddresses?: number;
}

type Answer = { readonly kind: 'list'; readonly list: readonly string[] } | { readonly kind: 'change'; readonly cone: ChangeCone };

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
      sizeCalculation: (a) => 1 + (a.kind === 'list' ? a.list.length : a.cone.refresh.length + a.cone.static.length),
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

  #key(kind: string, addresses: readonly string[]): { key: string; ids: number[] } {
    // resolve() returns de-duplicated ids in ascending order: a canonical key whatever form or order was given.
    const ids = this.graph.resolve(addresses);
    return { key: `${kind}:${ids.join(',')}`, ids };
  }

  #list(kind: 'top' | 'bottom', addresses: readonly string[]): readonly string[] {
    const { key, ids } = this.#key(kind, addresses);
    const hit = this.#lru.get(key);
    if (hit?.kind === 'list') {
      this.#hits++;
      return hit.list;
    }
    this.#misses++;
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

  /** changeCone(graph, input), memoised on the union of targets and changed (the cone depends only on it). */
  changeCone(input: { targets?: readonly string[]; changed?: readonly string[] }): ChangeCone {
    const { key, ids } = this.#key('change', [...(input.targets ?? []), ...(input.changed ?? [])]);
    const hit = this.#lru.get(key);
    if (hit?.kind === 'change') {
      this.#hits++;
      return hit.cone;
    }
    this.#misses++;
    const index = this.graph.index;
    const cone = changeConeIds(index, ids);
    const name = (id: number) => index.address(id);
    const answer: ChangeCone = Object.freeze({
      refresh: Object.freeze(cone.refresh.map(name).sort()),
      static: Object.freeze(cone.static.map(name).sort()),
      untouched: this.graph.size - cone.refresh.length - cone.static.length,
      total: this.graph.size,
    });
    this.#lru.set(key, { kind: 'change', cone: answer });
    return answer;
  }

  /** Drops every kept answer. */
  clear(): void {
    this.#lru.clear();
  }
}
