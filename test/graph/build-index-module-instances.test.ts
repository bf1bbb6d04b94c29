// Dependencies resolve module-instance-aware: a device in module.customer["c00001"] that records
// module.customer.terraform_data.site depends on that customer's site only (research/terraform-baseline.md).
import { describe, expect, it } from 'vitest';
import { StateGraph } from '../../src/graph/state-graph.js';
import { buildState } from '../support/state-builder.js';

const customers = ['c00001', 'c00002', 'c00003'];
const graph = StateGraph.fromState(
  buildState([
    { name: 'controller' },
    ...customers.flatMap((c) => [
      { module: `module.customer["${c}"]`, name: 'site', dependencies: ['terraform_data.controller'] },
      { module: `module.customer["${c}"]`, name: 'tunnel', keys: ['t0', 't1'], dependencies: ['module.customer.terraform_data.site'] },
      {
        module: `module.customer["${c}"]`,
        name: 'device',
        keys: ['d00', 'd07'],
        dependencies: ['module.customer.terraform_data.site', 'module.customer.terraform_data.tunnel', 'terraform_data.controller'],
      },
    ]),
    { name: 'consumer', dependencies: ['module.customer.terraform_data.site'] },
  ]),
);
const upstream = (a: string) => [...graph.index.upstreamOf(graph.index.idOf(a) as number)].map((id) => graph.index.address(id)).sort();

describe('module-instance-aware resolution', () => {
  it("a device depends on its own customer's site and tunnels only, and on the root controller", () => {
    expect(upstream('module.customer["c00001"].terraform_data.device["d07"]')).toEqual([
      'module.customer["c00001"].terraform_data.site',
      'module.customer["c00001"].terraform_data.tunnel["t0"]',
      'module.customer["c00001"].terraform_data.tunnel["t1"]',
      'terraform_data.controller',
    ]);
  });
  it('a root resource referencing the module call depends on every instance of it', () => {
    expect(upstream('terraform_data.consumer')).toEqual(customers.map((c) => `module.customer["${c}"].terraform_data.site`));
  });
  it('builds one node per instance and reports no warnings', () => {
    expect(graph.size).toBe(1 + customers.length * 5 + 1);
    expect(graph.warnings).toEqual([]);
  });
  it('nested module calls match on the longest common prefix of call names', () => {
    const g = StateGraph.fromState(
      buildState([
        { module: 'module.a["x"]', name: 'shared' },
        { module: 'module.a["y"]', name: 'shared' },
        { module: 'module.a["x"].module.b[0]', name: 'leaf', dependencies: ['module.a.terraform_data.shared'] },
        { module: 'module.a["y"].module.b[0]', name: 'leaf', dependencies: ['module.a.terraform_data.shared'] },
      ]),
    );
    const up = g.index.upstreamOf(g.index.idOf('module.a["y"].module.b[0].terraform_data.leaf') as number);
    expect([...up].map((id) => g.index.address(id))).toEqual(['module.a["y"].terraform_data.shared']);
  });
});
