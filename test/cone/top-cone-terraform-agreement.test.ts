// Agreement with Terraform itself on a real applied workspace (modules with for_each and count, cross-module
// references through outputs and inputs, depends_on). For every instance X:
//  (a) velocity's top cone of X contains every instance X's configuration really references, transitively;
//  (b) it is never larger than what `plan -refresh=false -target=X` includes.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topCone } from '../../src/cone/top-cone.js';
import { StateGraph } from '../../src/graph/state-graph.js';
import { loadState } from '../../src/state/load-state.js';
import { tfBinary } from '../support/terraform-env.js';
import { tfOk as tf } from '../support/terraform-run.js';

const C = ['x', 'y'];
const DEVICES = ['a', 'b', 'c'];
const m = (c: string) => `module.c["${c}"]`;

/** The references the configuration below really makes, per instance (direct only; the test closes them). */
const directRefs: Record<string, string[]> = { 'terraform_data.root': [] };
for (const c of C) {
  directRefs[`${m(c)}.terraform_data.site`] = ['terraform_data.root'];
  for (const t of [0, 1]) directRefs[`${m(c)}.terraform_data.tunnel[${t}]`] = [`${m(c)}.terraform_data.site`];
  for (const d of DEVICES) directRefs[`${m(c)}.terraform_data.device["${d}"]`] = [`${m(c)}.terraform_data.tunnel[0]`];
}
directRefs['terraform_data.consumer'] = [`${m('x')}.terraform_data.site`];
directRefs['module.solo.terraform_data.leaf'] = [`${m('y')}.terraform_data.site`];
directRefs['terraform_data.after'] = Object.keys(directRefs).filter((a) => a.startsWith('module.c['));

const ROOT_TF = `
resource "terraform_data" "root" { input = "root" }
module "c" {
  source   = "./modules/c"
  for_each = toset(${JSON.stringify(C)})
  root_id  = terraform_data.root.id
}
resource "terraform_data" "consumer" { input = module.c["x"].site_id }
module "solo" {
  source = "./modules/solo"
  site   = module.c["y"].site_id
}
resource "terraform_data" "after" {
  input      = "after"
  depends_on = [module.c]
}
`;
const C_TF = `
variable "root_id" { type = string }
resource "terraform_data" "site" { input = var.root_id }
resource "terraform_data" "tunnel" {
  count = 2
  input = terraform_data.site.id
}
resource "terraform_data" "device" {
  for_each = toset(${JSON.stringify(DEVICES)})
  input    = terraform_data.tunnel[0].id
}
output "site_id" { value = terraform_data.site.id }
`;
const SOLO_TF = `
variable "site" { type = string }
resource "terraform_data" "leaf" { input = var.site }
`;

function closure(x: string): Set<string> {
  const out = new Set<string>([x]);
  const stack = [x];
  while (stack.length) for (const r of directRefs[stack.pop() as string] ?? []) if (!out.has(r)) (out.add(r), stack.push(r));
  return out;
}

describe.skipIf(!tfBinary)(`top cone agrees with ${tfBinary ?? 'terraform'} -target`, () => {
  let dir = '';
  let graph: StateGraph;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'velocity-agree-'));
    mkdirSync(join(dir, 'modules/c'), { recursive: true });
    mkdirSync(join(dir, 'modules/solo'), { recursive: true });
    writeFileSync(join(dir, 'main.tf'), ROOT_TF);
    writeFileSync(join(dir, 'modules/c/main.tf'), C_TF);
    writeFileSync(join(dir, 'modules/solo/main.tf'), SOLO_TF);
    await tf(dir, ['init', '-input=false', '-no-color']);
    await tf(dir, ['apply', '-auto-approve', '-input=false', '-no-color']);
    graph = StateGraph.fromState(await loadState(join(dir, 'terraform.tfstate')));
  }, 120_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the applied state has every instance the configuration declares', () => {
    expect(graph.addresses()).toEqual(Object.keys(directRefs).sort());
  });

  it('for every instance: real references ⊆ velocity top cone ⊆ Terraform -target set', async () => {
    let coneTotal = 0;
    let targetTotal = 0;
    const rows: string[] = [];
    for (const x of graph.addresses()) {
      const cone = topCone(graph, [x]);
      for (const ref of closure(x)) expect(cone, `${x} misses ${ref}`).toContain(ref);
      const planFile = join(dir, 'p.tfplan');
      await tf(dir, ['plan', '-refresh=false', '-input=false', '-no-color', `-target=${x}`, `-out=${planFile}`]);
      const plan = JSON.parse(await tf(dir, ['show', '-json', planFile])) as { resource_changes?: { address: string }[] };
      const included = new Set((plan.resource_changes ?? []).map((r) => r.address));
      for (const a of cone) expect(included.has(a), `${a} is in velocity's cone of ${x} but not in -target's plan`).toBe(true);
      coneTotal += cone.length;
      targetTotal += included.size;
      rows.push(`${x}: velocity ${cone.length}, -target ${included.size}`);
    }
    // The numbers the README quotes: how much smaller velocity's cones are than Terraform's -target sets.
    console.log(`${rows.join('\n')}\ntotal: velocity ${coneTotal}, -target ${targetTotal} (${((1 - coneTotal / targetTotal) * 100).toFixed(1)}% fewer)`);
    expect(coneTotal).toBeLessThan(targetTotal);
  }, 180_000);
});
