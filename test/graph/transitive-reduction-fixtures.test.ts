// On every real state fixture the reduction keeps the reachability of the recorded dependencies and, where they
// form a DAG, equals the edge-by-edge definition: u→v is dropped exactly when another successor of u reaches v.
import { describe, expect, it } from 'vitest';
import { transitiveReduction } from '../../src/graph/transitive-reduction.js';
import type { StateGraph } from '../../src/graph/state-graph.js';
import { loadableFixtureGraph } from '../support/fixtures.js';
import { realStateFiles } from '../support/state-fixtures.js';


/** Descendants of every node, by BFS (the oracle: no shared code with the reduction). */
function descendants(g: StateGraph): Set<number>[] {
  const { size, downOffsets, downTargets } = g.index;
  return Array.from({ length: size }, (_x, u) => {
    const seen = new Set<number>();
    const queue = [u];
    for (let q = 0; q < queue.length; q++) {
      const v = queue[q]!;
      for (let k = downOffsets[v]!; k < downOffsets[v + 1]!; k++) if (!seen.has(downTargets[k]!)) seen.add(downTargets[k]!), queue.push(downTargets[k]!);
    }
    return seen;
  });
}

describe('transitive reduction of the real state fixtures', () => {
  const rows: string[] = [];
  for (const name of realStateFiles()) {
    const graph = loadableFixtureGraph(name);
    if (!graph) continue;
    it(name, () => {
      const { size, downOffsets: offsets, downTargets: targets } = graph.index;
      const keep = transitiveReduction({ size, offsets, targets });
      const reach = descendants(graph);
      const kept: number[] = [];
      const expected: number[] = [];
      for (let u = 0; u < size; u++) {
        for (let k = offsets[u]!; k < offsets[u + 1]!; k++) {
          if (keep[k]) kept.push(k);
          const v = targets[k]!;
          let implied = false;
          for (let j = offsets[u]!; j < offsets[u + 1]! && !implied; j++) implied = j !== k && targets[j] !== v && reach[targets[j]!]!.has(v) && !reach[v]!.has(targets[j]!);
          if (!implied) expected.push(k);
        }
      }
      if (graph.cycles.length === 0) expect(kept).toEqual(expected);
      // Same reachability: the descendants through kept edges only.
      const sub = { size, offsets: new Uint32Array(size + 1), targets: new Uint32Array(kept.length) };
      let at = 0;
      for (let u = 0; u < size; u++) {
        for (let k = offsets[u]!; k < offsets[u + 1]!; k++) if (keep[k]) sub.targets[at++] = targets[k]!;
        sub.offsets[u + 1] = at;
      }
      const reduced = descendants({ index: { size, downOffsets: sub.offsets, downTargets: sub.targets } } as unknown as StateGraph);
      expect(reduced.map((s) => [...s].sort((a, b) => a - b))).toEqual(reach.map((s) => [...s].sort((a, b) => a - b)));
      rows.push(`${name}: ${size} instances, ${targets.length} → ${kept.length} edges`);
    });
  }
  it.sequential('reports the counts', () => {
    console.log(rows.join('\n'));
    expect(rows.length).toBeGreaterThan(10);
  });
});
