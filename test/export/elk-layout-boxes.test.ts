// The layered layout in Node: on the real fixtures node boxes never overlap, every box sits inside its module's
// cluster, sibling clusters are disjoint, the result is deterministic, and big views fall back.
import { describe, expect, it } from 'vitest';
import { ELK_MAX_NODES, elkLayout, type Box } from '../../src/export/elk-layout.js';
import { StateGraph } from '../../src/graph/state-graph.js';
import { graphExportView } from '../../src/plan/graph-export.js';
import { parseState } from '../../src/state/parse-state.js';
import { EKS_FIXTURE, MODULES_FIXTURE, fixtureGraph } from '../support/fixtures.js';
import { syntheticState } from '../support/synthetic-state.js';

const overlap = (a: Box, b: Box) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
const inside = (outer: Box, inner: Box) => outer.x <= inner.x && outer.y <= inner.y && outer.x + outer.w >= inner.x + inner.w && outer.y + outer.h >= inner.y + inner.h;

describe('ELK layered layout', () => {
  for (const name of [EKS_FIXTURE, MODULES_FIXTURE]) {
    it(`${name}: disjoint node boxes inside their module clusters, nested clusters, same result twice`, () => {
      const view = graphExportView(fixtureGraph(name));
      const layout = elkLayout(view);
      expect(layout).toBeDefined();
      const { nodes, clusters } = layout as NonNullable<typeof layout>;
      for (let i = 0; i < nodes.length; i++) for (let j = i + 1; j < nodes.length; j++) expect(overlap(nodes[i]!, nodes[j]!)).toBe(false);
      const byGroup = new Map(clusters.map((c) => [c.group, c]));
      view.nodes.forEach((n, i) => {
        if (n.attributes.module !== '') expect(inside(byGroup.get(n.attributes.module) as Box, nodes[i]!)).toBe(true);
      });
      for (let i = 0; i < clusters.length; i++) {
        for (let j = i + 1; j < clusters.length; j++) {
          const [a, b] = [clusters[i]!, clusters[j]!];
          if (overlap(a, b)) expect(inside(a, b) || inside(b, a)).toBe(true);
        }
      }
      expect(elkLayout(view)).toEqual(layout);
    });
  }

  it(`keeps the block layout above ${ELK_MAX_NODES} nodes`, () => {
    const view = graphExportView(StateGraph.fromState(parseState(syntheticState(ELK_MAX_NODES + 1))));
    expect(elkLayout(view)).toBeUndefined();
  });
});
