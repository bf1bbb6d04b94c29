// Cones are closed (nothing upstream of a top cone lies outside it), idempotent, include their roots, and equal
// an independent BFS by graphology-traversal on the graphology view.
import fc from 'fast-check';
import { bfsFromNode } from 'graphology-traversal';
import { describe, expect, it } from 'vitest';
import { bottomCone } from '../../src/cone/bottom-cone.js';
import { topCone } from '../../src/cone/top-cone.js';
import { StateGraph } from '../../src/graph/state-graph.js';
import { buildState } from '../support/state-builder.js';
import { workspaceArb } from '../support/random-workspace.js';

const graphAndRoots = workspaceArb().chain((specs) => {
  const graph = StateGraph.fromState(buildState(specs));
  return fc.tuple(fc.constant(graph), fc.uniqueArray(fc.nat({ max: graph.size - 1 }), { minLength: 1, maxLength: 3 }));
});

function oracle(graph: StateGraph, roots: string[], mode: 'inbound' | 'outbound'): string[] {
  const seen = new Set<string>();
  for (const r of roots) bfsFromNode(graph.toGraphology(), r, (node) => void seen.add(node), { mode });
  return [...seen].sort();
}

describe('cone closure', () => {
  it('top and bottom cones equal an independent BFS, include roots, are closed and idempotent', () => {
    fc.assert(
      fc.property(graphAndRoots, ([graph, ids]) => {
        const roots = ids.map((id) => graph.index.address(id));
        const top = topCone(graph, roots);
        const bottom = bottomCone(graph, roots);
        expect(top).toEqual(oracle(graph, roots, 'inbound'));
        expect(bottom).toEqual(oracle(graph, roots, 'outbound'));
        for (const r of roots) expect(top).toContain(r);
        for (const a of top) for (const up of graph.index.upstreamOf(graph.index.idOf(a) as number)) expect(top).toContain(graph.index.address(up));
        for (const a of bottom) for (const d of graph.index.downstreamOf(graph.index.idOf(a) as number)) expect(bottom).toContain(graph.index.address(d));
        expect(topCone(graph, top)).toEqual(top);
        expect(bottomCone(graph, bottom)).toEqual(bottom);
      }),
      { numRuns: 200 },
    );
  });
});
