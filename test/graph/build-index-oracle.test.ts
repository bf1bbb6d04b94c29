// The index's edges equal a naive O(n²) reading of DESIGN.md's resolution rule on random module trees.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StateGraph } from '../../src/graph/state-graph.js';
import { parseModulePath, parseResourceAddress } from '../../src/state/address.js';
import { buildState } from '../support/state-builder.js';
import { workspaceArb } from '../support/random-workspace.js';

/** Edges "up -> down" straight from the rule: same configuration resource, keys equal on the common call prefix. */
function naiveEdges(graph: StateGraph): string[] {
  const edges = new Set<string>();
  const n = graph.size;
  for (let i = 0; i < n; i++) {
    const dependent = graph.index.record(i);
    const mine = parseModulePath(dependent.module);
    for (const dep of dependent.dependencies) {
      const d = parseResourceAddress(dep);
      let lcp = 0;
      while (lcp < d.module.length && lcp < mine.length && d.module[lcp]?.name === mine[lcp]?.name) lcp++;
      for (let j = 0; j < n; j++) {
        const cand = graph.index.record(j);
        const theirs = parseModulePath(cand.module);
        const sameConfig =
          cand.mode === d.mode && cand.type === d.type && cand.name === d.name && theirs.length === d.module.length && theirs.every((s, k) => s.name === d.module[k]?.name);
        const sameScope = mine.slice(0, lcp).every((s, k) => theirs[k]?.key === s.key);
        if (sameConfig && sameScope) edges.add(`${graph.index.address(j)} -> ${graph.index.address(i)}`);
      }
    }
  }
  return [...edges].sort();
}

function indexEdges(graph: StateGraph): string[] {
  const edges: string[] = [];
  for (let i = 0; i < graph.size; i++) for (const up of graph.index.upstreamOf(i)) edges.push(`${graph.index.address(up)} -> ${graph.index.address(i)}`);
  return edges.sort();
}

describe('dependency resolution', () => {
  it('matches the naive rule on random module trees, and down/up CSR mirror each other', () => {
    fc.assert(
      fc.property(workspaceArb(), (specs) => {
        const graph = StateGraph.fromState(buildState(specs));
        expect(indexEdges(graph)).toEqual(naiveEdges(graph));
        const down: string[] = [];
        for (let i = 0; i < graph.size; i++) for (const d of graph.index.downstreamOf(i)) down.push(`${graph.index.address(i)} -> ${graph.index.address(d)}`);
        expect(down.sort()).toEqual(indexEdges(graph));
      }),
      { numRuns: 150 },
    );
  });
});
