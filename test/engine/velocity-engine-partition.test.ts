// For any change on any random state, the engine's refresh, static and untouched partition the state, and its
// refresh set contains the change cone's.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { changeCone } from '../../src/cone/change-cone.js';
import { VelocityEngine } from '../../src/engine/velocity-engine.js';
import { StateGraph } from '../../src/graph/state-graph.js';
import { buildState } from '../support/state-builder.js';
import { workspaceArb } from '../support/random-workspace.js';

describe('engine partition', () => {
  it('refresh ∪ static ∪ untouched = state, disjoint, every scoped node has a reason', () => {
    fc.assert(
      fc.property(workspaceArb(), fc.array(fc.nat(), { maxLength: 3 }), fc.boolean(), (specs, picks, inject) => {
        const graph = StateGraph.fromState(buildState(specs));
        const changed = picks.map((p) => graph.index.address(p % graph.size));
        const scope = new VelocityEngine(graph).computeRefreshScope({ changed, staticInjection: inject });
        const all = [...scope.refresh, ...scope.static];
        expect(new Set(all).size).toBe(all.length);
        expect(all.length + scope.untouched).toBe(graph.size);
        for (const a of all) expect(scope.reasons.has(a)).toBe(true);
        const cone = changeCone(graph, { changed });
        for (const a of cone.refresh) expect(scope.refresh).toContain(a);
        expect(new Set(all)).toEqual(new Set([...cone.refresh, ...cone.static]));
      }),
      { numRuns: 200 },
    );
  });
});
