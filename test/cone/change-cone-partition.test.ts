// refresh, static and untouched partition the state; refresh = seeds ∪ bottomCone(seeds);
// static = topCone(refresh) \ refresh; the change cone grows monotonically with its inputs.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bottomCone } from '../../src/cone/bottom-cone.js';
import { changeCone } from '../../src/cone/change-cone.js';
import { topCone } from '../../src/cone/top-cone.js';
import { StateGraph } from '../../src/graph/state-graph.js';
import { buildState } from '../support/state-builder.js';
import { workspaceArb } from '../support/random-workspace.js';

const input = workspaceArb().chain((specs) => {
  const graph = StateGraph.fromState(buildState(specs));
  const addr = fc.nat({ max: graph.size - 1 }).map((id) => graph.index.address(id));
  return fc.tuple(fc.constant(graph), fc.uniqueArray(addr, { maxLength: 3 }), fc.uniqueArray(addr, { maxLength: 3 }), addr);
});

describe('change cone', () => {
  it('partitions the state exactly as DESIGN.md defines it', () => {
    fc.assert(
      fc.property(input, ([graph, targets, changed]) => {
        const cone = changeCone(graph, { targets, changed });
        const refresh = new Set(cone.refresh);
        const statics = new Set(cone.static);
        expect(refresh.size + statics.size + cone.untouched).toBe(graph.size);
        for (const s of statics) expect(refresh.has(s)).toBe(false);
        const seeds = [...targets, ...changed];
        expect(cone.refresh).toEqual(seeds.length ? bottomCone(graph, seeds) : []);
        expect(cone.static).toEqual(cone.refresh.length ? topCone(graph, [...cone.refresh]).filter((a) => !refresh.has(a)) : []);
      }),
      { numRuns: 200 },
    );
  });

  it('is monotonic: adding a target never shrinks refresh or refresh ∪ static', () => {
    fc.assert(
      fc.property(input, ([graph, targets, changed, extra]) => {
        const small = changeCone(graph, { targets, changed });
        const big = changeCone(graph, { targets: [...targets, extra], changed });
        for (const a of small.refresh) expect(big.refresh).toContain(a);
        const bigScope = new Set([...big.refresh, ...big.static]);
        for (const a of [...small.refresh, ...small.static]) expect(bigScope.has(a)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
