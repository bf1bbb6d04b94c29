import fc from 'fast-check';
import graphology from 'graphology';
import { describe, expect, it } from 'vitest';
import { exportView } from '../../src/export/export-view.js';
import { toJson } from '../../src/export/to-json.js';
import { graphExportView } from '../../src/plan/graph-export.js';
import { canonical, expectedOf } from '../support/canonical-graph.js';
import { EKS_FIXTURE, MODULES_FIXTURE, fixtureGraph, itWithFixtures } from '../support/fixtures.js';
import { randomGraph } from '../support/random-graph.js';

describe('JSON export loads back into graphology unchanged', () => {
  itWithFixtures('real fixtures, with and without focus', () => {
    for (const [name, focus] of [[EKS_FIXTURE, ['module.vpc.aws_vpc.this[0]']], [MODULES_FIXTURE, []]] as const) {
      const view = graphExportView(fixtureGraph(name), { focus: [...focus] });
      const loaded = graphology.DirectedGraph.from(JSON.parse(toJson(view)));
      expect(canonical(loaded)).toEqual({ ...expectedOf(view), attributes: { ...view.attributes } });
      expect(loaded.order).toBe(view.nodes.length);
    }
  });

  it('any graph with awkward addresses and attributes (property)', () => {
    fc.assert(
      fc.property(randomGraph, ({ graph, roles, focus }) => {
        const view = exportView(graph, { roles, focus });
        const loaded = graphology.DirectedGraph.from(JSON.parse(toJson(view)));
        expect(canonical(loaded)).toEqual({ ...expectedOf(view), attributes: { ...view.attributes } });
      }),
      { numRuns: 150 },
    );
  });
});
