// A ~300-resource sim workspace in the customers shape with the parts the plain generator lacks: a `count` resource
// in the root that reads a module output (a cross-module reference), applied through the sim. Plus helpers to change
// one resource's configuration and to map addresses to the sim's per-resource read counters.

import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSimWorkspace, type SimSession } from './sim/index.js';

export interface SimCustomers {
  readonly session: SimSession;
  /** Instances in the state after setup. */
  readonly total: number;
  /** Sim `name` of an address (what the sim's read counters are keyed by). */
  nameOf(address: string): string;
  /** Env for velocityPlan / terraform: the caller's env plus the sim's reattach variables. */
  env(): NodeJS.ProcessEnv;
  /** Changes one device's configured value (or the site's, when device is undefined); returns an undo. */
  changeConfig(customer: string, device?: string): () => void;
}

export async function startSimCustomers(customers = 12): Promise<SimCustomers> {
  const session = await startSimWorkspace({
    workspace: { customers, tunnelsPerCustomer: 4, devicesPerCustomer: 20, withState: true },
    sim: { inProcess: true },
  });
  const dir = session.workspace.dir;
  const first = session.workspace.customers[0] as string;
  appendFileSync(join(dir, 'modules', 'customer', 'main.tf'), '\noutput "site_id" {\n  value = sim_resource.site.id\n}\n');
  appendFileSync(
    join(dir, 'main.tf'),
    `\nresource "sim_resource" "report" {\n  count  = 2\n  name   = "report/\${count.index}"\n  inputs = { site = module.customer["${first}"].site_id }\n  value  = "v1"\n}\n`,
  );
  const applied = await session.terraform(['apply', '-auto-approve', '-input=false', '-no-color'], { timeoutMs: 300_000 });
  if (applied.code !== 0) throw new Error(`sim workspace apply failed: ${applied.stderr}`);
  const names = new Map<string, string>(session.workspace.resources.map((r) => [r.address, r.name]));
  names.set('sim_resource.report[0]', 'report/0');
  names.set('sim_resource.report[1]', 'report/1');
  return {
    session,
    total: session.workspace.resourceCount + 2,
    nameOf: (address) => names.get(address) ?? `?${address}`,
    env: () => ({ ...process.env, ...session.sim.reattachEnv() }),
    changeConfig: (customer, device) => changeSimConfig(dir, customer, device),
  };
}

/**
 * Changes the configured `value` of one device (or of the site when `device` is undefined) of one customer in a sim
 * workspace written by writeSimWorkspace. Returns an undo that restores the file.
 */
export function changeSimConfig(dir: string, customer: string, device?: string): () => void {
  const modulePath = join(dir, 'modules', 'customer', 'main.tf');
  const before = readFileSync(modulePath, 'utf8');
  const block = device === undefined ? 'resource "sim_resource" "site" {' : 'resource "sim_resource" "device" {';
  const at = before.indexOf(block);
  const valueAt = before.indexOf('\n  value', at) + 3;
  const lineEnd = before.indexOf('\n', valueAt);
  if (at < 0 || valueAt < 3) throw new Error('unexpected sim module layout');
  const cond = device === undefined ? `var.customer == "${customer}"` : `var.customer == "${customer}" && each.key == "${device}"`;
  writeFileSync(modulePath, `${before.slice(0, valueAt)}value    = ${cond} ? "v2" : "v1"${before.slice(lineEnd)}`);
  return () => writeFileSync(modulePath, before);
}
