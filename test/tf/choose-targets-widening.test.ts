import { describe, expect, it } from 'vitest';
import { chooseTargets, estimateTerraformTargets } from '../../src/tf/choose-targets.js';
import { buildIndex } from '../../src/graph/build-index.js';
import type { InstanceRecord } from '../../src/state/instance-record.js';
import { customersRecords } from '../support/customers-records.js';

const TargetIndex = (records: readonly InstanceRecord[]) =>
  buildIndex({ meta: { version: 4, terraformVersion: '1.11.4', serial: 1, lineage: 'l', outputs: {} }, instances: records }).index;

describe('chooseTargets', () => {
  // 11 customers x (1 site + 4 tunnels + 1 uplink + 20 devices) + controller + report = 288 (the integration workspace).
  const u = TargetIndex(customersRecords(11));
  const device = 'module.customer["c03"].terraform_data.device["d07"]';

  it("estimates what Terraform 1.11's -target refreshes (numbers measured with the real binary)", () => {
    // -target=<device>: the device, all 11 sites, all 44 tunnels, the controller = 57 refresh_start events.
    expect(estimateTerraformTargets(u, [u.idOf(device) as number])).toBe(57);
    // -target=module.customer["c03"]: its 26 instances and the controller = 27.
    expect(estimateTerraformTargets(u, [], ['module.customer["c03"]'])).toBe(27);
  });

  it('widens a device to its module instance when that makes Terraform refresh less', () => {
    const choice = chooseTargets(u, [u.idOf(device) as number]);
    expect(choice).toEqual({ targets: ['module.customer["c03"]'], form: 'module-instances', estimate: 27, alternativeEstimate: 57 });
  });

  it('keeps exact targets when widening does not help, and always covers the refresh set', () => {
    const site = u.idOf('terraform_data.controller') as number;
    expect(chooseTargets(u, [site])).toMatchObject({ targets: ['terraform_data.controller'], form: 'exact', estimate: 1 });
    const small = TargetIndex(customersRecords(1));
    const d = small.idOf('module.customer["c00"].terraform_data.device["d00"]') as number;
    // One customer: the device pulls its site + 4 tunnels + controller (7) < the whole module instance (27).
    expect(chooseTargets(small, [d])).toMatchObject({ targets: ['module.customer["c00"].terraform_data.device["d00"]'], form: 'exact', estimate: 7 });
  });

  it('passes addresses that are not in the state (creates) through verbatim', () => {
    const choice = chooseTargets(u, [], ['terraform_data.new']);
    expect(choice.targets).toEqual(['terraform_data.new']);
  });
});
