// Test helper: states that exercise every field a snapshot stores (data sources, tainted, deposed, int and string
// keys, nested modules, dangling dependencies), and a comparison of two graphs down to every record and array.
import { expect } from 'vitest';
import type { StateGraph } from '../../src/graph/state-graph.js';

const inst = (extra: Record<string, unknown>) => ({ schema_version: 0, attributes: { id: 'x' }, sensitive_attributes: [], ...extra });

/** A small tfstate text with one of everything. */
export function mixedStateText(serial = 3): string {
  return JSON.stringify({
    version: 4,
    terraform_version: '1.11.4',
    serial,
    lineage: 'lin-1',
    outputs: { region: { value: 'eu', type: 'string' } },
    resources: [
      { mode: 'data', type: 'aws_ami', name: 'ubuntu', provider: 'provider["registry.terraform.io/hashicorp/aws"]', instances: [inst({})] },
      {
        mode: 'managed', type: 'aws_vpc', name: 'main', provider: 'provider["registry.terraform.io/hashicorp/aws"].west',
        instances: [inst({ index_key: 0, status: 'tainted', dependencies: ['data.aws_ami.ubuntu'] }), inst({ index_key: 1, dependencies: ['data.aws_ami.ubuntu', 'aws_gone.x'] })],
      },
      {
        module: 'module.net["eu \\"x\\""].module.sub[2]', mode: 'managed', type: 'aws_subnet', name: 'a', provider: 'provider["registry.terraform.io/hashicorp/aws"]',
        instances: [inst({ index_key: 'k', dependencies: ['aws_vpc.main'] }), inst({ index_key: 'k', deposed: 'abc123', dependencies: ['aws_vpc.main'] }), inst({ index_key: 'k', deposed: 'def456' })],
      },
    ],
    check_results: null,
  });
}

/** Asserts two graphs are the same in everything a snapshot carries. */
export function expectSameGraph(a: StateGraph, b: StateGraph): void {
  expect(b.meta).toEqual(a.meta);
  expect(b.warnings).toEqual(a.warnings);
  expect(b.cycles).toEqual(a.cycles);
  expect(b.size).toBe(a.size);
  const pa = a.index.toParts();
  const pb = b.index.toParts();
  expect(pb.addresses).toEqual(pa.addresses);
  expect(pb.upOffsets).toEqual(pa.upOffsets);
  expect(pb.upTargets).toEqual(pa.upTargets);
  expect(pb.downOffsets).toEqual(pa.downOffsets);
  expect(pb.downTargets).toEqual(pa.downTargets);
  expect(pb.records).toEqual(pa.records);
}

/** Two resources that depend on each other: a state with one cycle. */
export function cyclicStateText(): string {
  const res = (name: string, dep: string) => ({
    mode: 'managed', type: 'terraform_data', name, provider: 'provider["terraform.io/builtin/terraform"]',
    instances: [{ schema_version: 0, attributes: { id: name }, sensitive_attributes: [], dependencies: [dep] }],
  });
  return JSON.stringify({ version: 4, terraform_version: '1.11.4', serial: 1, lineage: 'cyc', outputs: {}, resources: [res('a', 'terraform_data.b'), res('b', 'terraform_data.a')], check_results: null });
}
