// minimalSubgraph: the targets, everything upstream, and exactly the edges among them; reduction and its line.
import { describe, expect, it } from 'vitest';
import { minimalSubgraph } from '../../src/cone/minimal-subgraph.js';
import { reduction } from '../../src/cone/reduction.js';
import { savingsLine } from '../../src/plan/plan-reporter.js';
import { StateGraph } from '../../src/graph/state-graph.js';
import { buildState } from '../support/state-builder.js';

describe('minimal subgraph and reduction', () => {
  it('keeps the targets and their inputs with the edges among them', () => {
    const graph = StateGraph.fromState(
      buildState([
        { name: 'a' },
        { name: 'b', dependencies: ['terraform_data.a'] },
        { name: 'c', dependencies: ['terraform_data.b', 'terraform_data.a'] },
        { name: 'd', dependencies: ['terraform_data.c'] },
      ]),
    );
    expect(minimalSubgraph(graph, ['terraform_data.c'])).toEqual({
      nodes: ['terraform_data.a', 'terraform_data.b', 'terraform_data.c'],
      edges: [
        ['terraform_data.a', 'terraform_data.b'],
        ['terraform_data.a', 'terraform_data.c'],
        ['terraform_data.b', 'terraform_data.c'],
      ],
    });
  });
  it('formats the savings line as users see it', () => {
    expect(savingsLine(reduction(15, 200))).toBe('Refreshing state... [Velocity: 15/200 resources (92.5% savings)]');
    expect(savingsLine(reduction(1, 3000))).toBe('Refreshing state... [Velocity: 1/3000 resources (99.9% savings)]');
    expect(savingsLine(reduction(0, 0))).toBe('Refreshing state... [Velocity: 0/0 resources (0.0% savings)]');
  });
});
