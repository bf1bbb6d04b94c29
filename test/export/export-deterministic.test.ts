import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { StateGraph } from '../../src/graph/state-graph.js';
import { GRAPH_FORMATS, graphExport } from '../../src/plan/graph-export.js';
import { parseState } from '../../src/state/parse-state.js';
import { EKS_FIXTURE, describeWithFixtures, fixturePath } from '../support/fixtures.js';

const focus = ['module.eks.aws_security_group.workers[0]'];
const exportAll = (stateText: string) => {
  const graph = StateGraph.fromState(parseState(stateText));
  return GRAPH_FORMATS.map((format) => graphExport(graph, { format, focus }));
};

describeWithFixtures('exports are deterministic, so they can be diffed in pull requests', () => {
  const text = readFileSync(fixturePath(EKS_FIXTURE), 'utf8');
  it('the same state gives the same bytes in every format, across independent loads', () => {
    expect(exportAll(text)).toEqual(exportAll(text));
  });

  it('the order of resources in the state file does not change a byte (property)', () => {
    const doc = JSON.parse(text) as { resources: unknown[] };
    const reference = exportAll(text);
    fc.assert(
      fc.property(fc.shuffledSubarray(doc.resources, { minLength: doc.resources.length }), (resources) => {
        expect(exportAll(JSON.stringify({ ...doc, resources }))).toEqual(reference);
      }),
      { numRuns: 5 },
    );
  });
});
