// ConeCache.refreshScope on random module-tree states with tainted instances and data sources: for random requests
// (seeds, strategy, staticInjection, fallback) the cached answer equals refreshScope on misses and on hits, and no
// tainted instance or data source in scope is ever left in the cached static set (an orchestrator locking the
// cached refresh set locks every instance the plan will replace or read).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { changeCone } from '../../src/cone/change-cone.js';
import { ConeCache } from '../../src/engine/cone-cache.js';
import { refreshScope, type RefreshScopeRequest } from '../../src/engine/refresh-scope.js';
import { StateGraph } from '../../src/graph/state-graph.js';
import { workspaceArb } from '../support/random-workspace.js';
import { buildState } from '../support/state-builder.js';

const stateArb = fc
  .tuple(workspaceArb(), fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }))
  .map(([specs, taint]) => specs.map((s, i) => ({ ...s, ...(s.mode !== 'data' && taint[i % taint.length] ? { tainted: true } : {}) })));

const requestArb = fc.record({
  targets: fc.array(fc.nat(), { maxLength: 2 }),
  changed: fc.array(fc.nat(), { maxLength: 3 }),
  strategy: fc.constantFrom<'full' | 'optimized' | undefined>(undefined, 'optimized', 'optimized', 'full'),
  staticInjection: fc.constantFrom<boolean | undefined>(undefined, true, false),
  fallback: fc.constantFrom<string | undefined>(undefined, undefined, undefined, 'provider block changed'),
});

type RandomRequest = typeof requestArb extends fc.Arbitrary<infer T> ? T : never;

function toRequest(graph: StateGraph, r: RandomRequest): RefreshScopeRequest {
  const name = (p: number) => graph.index.address(p % graph.size);
  return {
    targets: r.targets.map(name),
    changed: r.changed.map(name),
    ...(r.strategy === undefined ? {} : { strategy: r.strategy }),
    ...(r.staticInjection === undefined ? {} : { staticInjection: r.staticInjection }),
    ...(r.fallback === undefined ? {} : { fallbackReason: r.fallback }),
  };
}

describe('ConeCache.refreshScope', () => {
  it('equals refreshScope for random requests on random states, on misses and on hits', () => {
    fc.assert(
      fc.property(stateArb, fc.array(requestArb, { minLength: 1, maxLength: 6 }), (specs, requests) => {
        const graph = StateGraph.fromState(buildState(specs));
        const cache = new ConeCache(graph, { maxEntries: 4 });
        for (let round = 0; round < 2; round++) {
          for (const r of requests) {
            const request = toRequest(graph, r);
            expect(cache.refreshScope(request)).toEqual(refreshScope(graph, request));
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('moves every tainted instance and data source in scope into refresh', () => {
    fc.assert(
      fc.property(stateArb, requestArb, (specs, r) => {
        const graph = StateGraph.fromState(buildState(specs));
        const request = toRequest(graph, { ...r, strategy: 'optimized', fallback: undefined });
        const cache = new ConeCache(graph);
        const scope = cache.refreshScope(request);
        expect(cache.refreshScope(request)).toBe(scope);
        const cone = changeCone(graph, request);
        const refresh = new Set(scope.refresh);
        for (const a of [...cone.refresh, ...cone.static]) {
          const record = graph.index.record(graph.index.idOf(a) as number);
          if (record.tainted || record.mode === 'data') expect(refresh.has(a)).toBe(true);
        }
        for (const a of scope.static) {
          const record = graph.index.record(graph.index.idOf(a) as number);
          expect(record.tainted || record.mode === 'data').toBe(false);
        }
      }),
      { numRuns: 200 },
    );
  });
});
