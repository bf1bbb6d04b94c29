// Cyclic dependencies are reported, every cycle (one per strongly connected component), never looped on.
import { describe, expect, it } from 'vitest';
import { StateGraph } from '../../src/graph/state-graph.js';
import { DependencyCycleError } from '../../src/errors.js';
import { buildState } from '../support/state-builder.js';

const cyclic = buildState([
  { name: 'a', dependencies: ['terraform_data.b'] },
  { name: 'b', dependencies: ['terraform_data.c'] },
  { name: 'c', dependencies: ['terraform_data.a'] },
  { name: 'self', dependencies: ['terraform_data.self'] },
  { name: 'x', dependencies: ['terraform_data.y'] },
  { name: 'y', dependencies: ['terraform_data.x'] },
  { name: 'ok', dependencies: ['terraform_data.a'] },
]);

describe('cycles', () => {
  it('fromState throws GRAPH_CYCLE listing every cycle', () => {
    let error: unknown;
    try {
      StateGraph.fromState(cyclic);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DependencyCycleError);
    expect((error as DependencyCycleError).code).toBe('GRAPH_CYCLE');
    expect((error as DependencyCycleError).cycles).toEqual([
      ['terraform_data.a', 'terraform_data.c', 'terraform_data.b', 'terraform_data.a'],
      ['terraform_data.self', 'terraform_data.self'],
      ['terraform_data.x', 'terraform_data.y', 'terraform_data.x'],
    ]);
  });
  it('allowCycles builds the graph and keeps the list', () => {
    const g = StateGraph.fromState(cyclic, { allowCycles: true });
    expect(g.cycles).toHaveLength(3);
  });
  it('a 100,000-long chain has no cycle and does not overflow the stack', () => {
    const n = 100_000;
    const g = StateGraph.fromState({
      meta: { version: 4, terraformVersion: '', serial: 0, lineage: '', outputs: {} },
      instances: Array.from({ length: n }, (_, i) => ({
        module: '',
        mode: 'managed' as const,
        type: 't',
        name: `n${i}`,
        provider: '',
        indexKey: null,
        dependencies: i === 0 ? [] : [`t.n${i - 1}`],
        tainted: false,
        deposedCount: 0,
        hasCurrent: true,
      })),
    });
    expect(g.cycles).toEqual([]);
    expect(g.index.edgeCount).toBe(n - 1);
  });
});
