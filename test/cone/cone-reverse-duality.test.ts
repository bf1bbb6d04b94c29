// The top cone of X in G equals the bottom cone of X in G reversed (the same state with every edge flipped).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { walkCone } from '../../src/cone/walk-cone.js';
import { ResourceIndex } from '../../src/graph/resource-index.js';
import { StateGraph } from '../../src/graph/state-graph.js';
import { buildState } from '../support/state-builder.js';
import { workspaceArb } from '../support/random-workspace.js';

describe('cone duality', () => {
  it('topCone(G, X) = bottomCone(reverse(G), X) and vice versa', () => {
    fc.assert(
      fc.property(workspaceArb(), fc.nat(), (specs, pick) => {
        const graph = StateGraph.fromState(buildState(specs));
        const p = graph.index.toParts();
        const reversed = new ResourceIndex({ ...p, upOffsets: p.downOffsets, upTargets: p.downTargets, downOffsets: p.upOffsets, downTargets: p.upTargets });
        const x = pick % graph.size;
        const sorted = (a: number[]) => [...a].sort((m, n) => m - n);
        expect(sorted(walkCone(graph.index, [x], 'upstream'))).toEqual(sorted(walkCone(reversed, [x], 'downstream')));
        expect(sorted(walkCone(graph.index, [x], 'downstream'))).toEqual(sorted(walkCone(reversed, [x], 'upstream')));
      }),
      { numRuns: 200 },
    );
  });
});
