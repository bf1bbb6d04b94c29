import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { collapseTargets } from '../../src/tf/collapse-targets.js';
import { buildIndex } from '../../src/graph/build-index.js';
import type { ResourceIndex } from '../../src/graph/resource-index.js';
import { formatModulePath, parseTarget } from '../../src/state/address.js';
import type { InstanceRecord } from '../../src/state/instance-record.js';
import { customersRecords } from '../support/customers-records.js';

/** What Terraform's -target address names among the state's instances (module instance, resource, or instance). */
function resolve(index: ResourceIndex, target: string): number[] {
  const t = parseTarget(target);
  const u = index.targetLookup();
  const ids: number[] = [];
  for (let id = 0; id < index.size; id++) {
    const module = u.moduleOf(id);
    if (t.kind === 'module') {
      const path = formatModulePath(t.module);
      if (module === path || module.startsWith(`${path}.`)) ids.push(id);
    } else if (t.resource.key === undefined ? u.resourceOf(id) === target : index.address(id) === target) ids.push(id);
  }
  return ids;
}

const indexOf = (records: readonly InstanceRecord[]): ResourceIndex =>
  buildIndex({ meta: { version: 4, terraformVersion: '1.11.4', serial: 1, lineage: 'l', outputs: {} }, instances: records }).index;

describe('collapseTargets', () => {
  const records = customersRecords(3, 2, 3, 2);
  const u = indexOf(records);
  const id = (a: string): number => u.idOf(a) as number;

  it('collapses a whole module instance, a whole keyed resource, and keeps lone instances', () => {
    const c01 = u.targetLookup().moduleInstances('module.customer["c01"]');
    const tunnels = u.targetLookup().resourceInstances('module.customer["c00"].terraform_data.tunnel');
    const lone = id('module.customer["c02"].terraform_data.device["d01"]');
    expect(collapseTargets(u, [...c01, ...tunnels, lone, id('terraform_data.controller')])).toEqual([
      'module.customer["c00"].terraform_data.tunnel',
      'module.customer["c01"]',
      'module.customer["c02"].terraform_data.device["d01"]',
      'terraform_data.controller',
    ]);
  });

  it('covers exactly the input set, for any subset of a state with nested modules (property)', () => {
    const nested: InstanceRecord[] = [
      ...records,
      ...['a', 'b'].flatMap((k) =>
        [0, 1].map((i): InstanceRecord => ({ ...(records[0] as InstanceRecord), module: `module.outer["${k}"].module.inner[0]`, name: 'leaf', indexKey: i })),
      ),
    ];
    const nu = indexOf(nested);
    fc.assert(
      fc.property(fc.subarray([...Array(nu.size).keys()]), (subset) => {
        const targets = collapseTargets(nu, subset);
        const covered = targets.flatMap((t) => resolve(nu, t));
        expect(new Set(covered).size).toBe(covered.length); // no overlap
        expect([...covered].sort((a, b) => a - b)).toEqual([...subset].sort((a, b) => a - b));
        expect(targets.length).toBeLessThanOrEqual(subset.length);
      }),
      { numRuns: 200 },
    );
  });
});
