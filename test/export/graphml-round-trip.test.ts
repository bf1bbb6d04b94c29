import fc from 'fast-check';
import graphology from 'graphology';
import { parse } from 'graphology-graphml';
import { describe, expect, it } from 'vitest';
import { exportView } from '../../src/export/export-view.js';
import { toGraphml } from '../../src/export/to-graphml.js';
import { graphExportView } from '../../src/plan/graph-export.js';
import { canonical, expectedOf } from '../support/canonical-graph.js';
import { EKS_FIXTURE, MODULES_FIXTURE, fixtureGraph, itWithFixtures } from '../support/fixtures.js';
import { randomGraph } from '../support/random-graph.js';

describe('GraphML export loads back with graphology-graphml with nothing lost', () => {
  itWithFixtures('real fixtures: every node attribute (typed), every edge, the graph attributes', () => {
    for (const [name, focus] of [[EKS_FIXTURE, ['module.vpc.aws_vpc.this[0]']], [MODULES_FIXTURE, []]] as const) {
      const view = graphExportView(fixtureGraph(name), { focus: [...focus] });
      const loaded = parse(graphology.DirectedGraph, toGraphml(view));
      expect(canonical(loaded)).toEqual({ ...expectedOf(view), attributes: { ...view.attributes } });
    }
  });

  it('any graph with awkward addresses and attributes (property)', () => {
    fc.assert(
      fc.property(randomGraph, ({ graph, roles, focus }) => {
        const view = exportView(graph, { roles, focus });
        const loaded = parse(graphology.DirectedGraph, toGraphml(view));
        expect(canonical(loaded)).toEqual({ ...expectedOf(view), attributes: { ...view.attributes } });
      }),
      { numRuns: 150 },
    );
  });
});
