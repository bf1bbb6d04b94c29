import fc from 'fast-check';
import graphology from 'graphology';
import { parse } from 'graphology-gexf';
import { describe, expect, it } from 'vitest';
import { exportView } from '../../src/export/export-view.js';
import { toGexf } from '../../src/export/to-gexf.js';
import { graphExportView } from '../../src/plan/graph-export.js';
import { canonical, expectedOf } from '../support/canonical-graph.js';
import { EKS_FIXTURE, MODULES_FIXTURE, fixtureGraph, itWithFixtures } from '../support/fixtures.js';
import { randomGraph } from '../support/random-graph.js';

describe('GEXF export loads back with graphology-gexf with nothing lost', () => {
  itWithFixtures('real fixtures: every node attribute (typed), every edge; the savings line as description', () => {
    for (const [name, focus] of [[EKS_FIXTURE, ['module.vpc.aws_vpc.this[0]']], [MODULES_FIXTURE, []]] as const) {
      const view = graphExportView(fixtureGraph(name), { focus: [...focus] });
      const loaded = parse(graphology.DirectedGraph, toGexf(view), { respectInputGraphType: true });
      const { attributes, ...rest } = canonical(loaded);
      expect(rest).toEqual(expectedOf(view));
      expect(attributes['creator']).toBe('velocity');
      if (focus.length > 0) expect(attributes['description']).toBe(view.attributes.summary);
    }
  });

  it('any graph with awkward addresses and attributes (property)', () => {
    fc.assert(
      fc.property(randomGraph, ({ graph, roles, focus }) => {
        const view = exportView(graph, { roles, focus });
        const { attributes: _ignored, ...rest } = canonical(parse(graphology.DirectedGraph, toGexf(view), { respectInputGraphType: true }));
        expect(rest).toEqual(expectedOf(view));
      }),
      { numRuns: 150 },
    );
  });
});
