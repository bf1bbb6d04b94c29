// InstanceRecords of a customers-shape state (the same shape writeCustomersWorkspace applies), built in memory:
// controller; per customer a site, tunnels, uplinks (count) and devices; a root report reading customer 0.
// Dependencies are written the way Terraform 1.11 records them (configuration addresses).

import type { InstanceRecord } from '../../src/state/instance-record.js';

export function customersRecords(customers: number, tunnels = 4, devices = 20, uplinks = 1): InstanceRecord[] {
  const base = { provider: 'provider["terraform.io/builtin/terraform"]', tainted: false, deposedCount: 0, hasCurrent: true } as const;
  const rec = (module: string, name: string, indexKey: string | number | null, dependencies: string[]): InstanceRecord => ({
    ...base, module, mode: 'managed', type: 'terraform_data', name, indexKey, dependencies,
  });
  const out: InstanceRecord[] = [rec('', 'controller', null, [])];
  const cw = Math.max(2, String(customers - 1).length);
  const dw = Math.max(2, String(devices - 1).length);
  for (let c = 0; c < customers; c++) {
    const m = `module.customer["c${String(c).padStart(cw, '0')}"]`;
    out.push(rec(m, 'site', null, ['terraform_data.controller']));
    for (let t = 0; t < tunnels; t++) out.push(rec(m, 'tunnel', `t${t}`, ['module.customer.terraform_data.site', 'terraform_data.controller']));
    for (let u = 0; u < uplinks; u++) out.push(rec(m, 'uplink', u, ['module.customer.terraform_data.site', 'terraform_data.controller']));
    for (let d = 0; d < devices; d++) {
      out.push(rec(m, 'device', `d${String(d).padStart(dw, '0')}`, ['module.customer.terraform_data.site', 'module.customer.terraform_data.tunnel', 'terraform_data.controller']));
    }
  }
  out.push(rec('', 'report', null, ['module.customer.terraform_data.site', 'terraform_data.controller']));
  return out;
}
