// Dependencies naming nothing in the state (count = 0, removed resources, legacy var.* entries) become sorted,
// de-duplicated warnings; the graph still builds.
import { describe, expect, it } from 'vitest';
import { StateGraph } from '../../src/graph/state-graph.js';
import { buildState } from '../support/state-builder.js';

describe('dangling dependencies', () => {
  it('are warnings, never failures', () => {
    const graph = StateGraph.fromState(
      buildState([
        { name: 'a', keys: [0, 1], dependencies: ['terraform_data.gone', 'var.input'] },
        { name: 'b', dependencies: ['terraform_data.a', 'module.m.terraform_data.zero'] },
      ]),
    );
    expect(graph.size).toBe(3);
    expect(graph.index.edgeCount).toBe(2);
    expect(graph.warnings).toEqual([
      'terraform_data.a depends on terraform_data.gone, which has no instance in the state (count = 0, or removed)',
      'terraform_data.a: ignored dependency "var.input", which is not a resource address',
      'terraform_data.b depends on module.m.terraform_data.zero, which has no instance in the state (count = 0, or removed)',
    ]);
  });
});
