import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exportView } from '../../src/export/export-view.js';
import { forceLayout } from '../../src/export/force-layout.js';
import { layeredLayout } from '../../src/export/layered-layout.js';
import { StateGraph } from '../../src/graph/state-graph.js';
import { graphExportView } from '../../src/plan/graph-export.js';
import { parseState } from '../../src/state/parse-state.js';
import { randomGraph } from '../support/random-graph.js';
import { syntheticState } from '../support/synthetic-state.js';

describe('ahead-of-time layouts', () => {
  it('layered: every node has its own cell, and inside a group an edge never points leftwards (property)', () => {
    fc.assert(
      fc.property(randomGraph, fc.constantFrom('module', 'type', 'none' as const), ({ graph }, groupBy) => {
        const view = exportView(graph, { groupBy });
        const { x, y } = layeredLayout(view);
        const cells = new Set(view.nodes.map((_, i) => `${x[i]},${y[i]}`));
        expect(cells.size).toBe(view.nodes.length);
        for (const e of view.edges) {
          if (view.nodes[e.sourceIndex]?.attributes.group === view.nodes[e.targetIndex]?.attributes.group) {
            expect(x[e.sourceIndex]).toBeLessThan(x[e.targetIndex] as number);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it.each([
    ['layered', layeredLayout],
    ['grouped ForceAtlas2', forceLayout],
  ] as const)('%s: groups occupy disjoint boxes (module grouping is visible in the picture)', (_name, layout) => {
    const graph = StateGraph.fromState(parseState(syntheticState(40 + 20 * 50)));
    const view = graphExportView(graph, {});
    const { x, y } = layout(view);
    const boxes = new Map<string, [number, number, number, number]>();
    view.nodes.forEach((n, i) => {
      const b = boxes.get(n.attributes.group) ?? [Infinity, Infinity, -Infinity, -Infinity];
      boxes.set(n.attributes.group, [Math.min(b[0], x[i]!), Math.min(b[1], y[i]!), Math.max(b[2], x[i]!), Math.max(b[3], y[i]!)]);
    });
    const list = [...boxes.values()];
    for (let a = 0; a < list.length; a++) {
      for (let b = a + 1; b < list.length; b++) {
        const [p, q] = [list[a]!, list[b]!];
        const overlap = p[0] <= q[2] && q[0] <= p[2] && p[1] <= q[3] && q[1] <= p[3];
        expect(overlap).toBe(false);
      }
    }
  });

  it('ForceAtlas2 is seeded, so repeated runs give identical positions; big views keep the layered layout', () => {
    const small = graphExportView(StateGraph.fromState(parseState(syntheticState(40 + 20 * 10))), {});
    const a = forceLayout(small);
    expect(forceLayout(small)).toEqual(a);
    expect(a.x).not.toEqual(layeredLayout(small).x);
    const big = graphExportView(StateGraph.fromState(parseState(syntheticState(40 + 20 * 500))), {});
    const l = layeredLayout(big);
    expect(Array.from(forceLayout(big).x)).toEqual(Array.from(l.x).map((v) => Math.round(v * 1000) / 1000 + 0));
  });
});
