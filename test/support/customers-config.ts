// Test and benchmark support: a seeded "customers" workspace (controller; per customer 1 site, 4 tunnels,
// 20 devices = 25 resources) written as configuration plus a matching tfstate v4, in two layouts: one
// `for_each` module (small text) or one resource block per resource (text proportional to N, 1,000 blocks a file).
// The state is synthesized, not applied (apply is quadratic in N): its values are what Terraform would compute.

import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InstanceRecord, LoadedState } from '../../src/state/instance-record.js';

export interface CustomersOptions {
  readonly customers: number;
  readonly layout: 'for_each' | 'blocks';
  /** Also write terraform.tfstate (needed by terraform itself; the detector only needs `state`). @default true */
  readonly writeState?: boolean;
}

const PROVIDER = 'provider["terraform.io/builtin/terraform"]';
const TUNNELS = 4;
const DEVICES = 20;

function customerName(i: number): string {
  return `c${String(i + 1).padStart(5, '0')}`;
}

/** Deterministic UUID-shaped id. */
function uuid(seed: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < seed.length; i++) {
    h1 = Math.imul(h1 ^ seed.charCodeAt(i), 16777619) >>> 0;
    h2 = Math.imul(h2 ^ seed.charCodeAt(i), 2246822519) >>> 0;
  }
  const hex = (h1.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0')).repeat(2);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

interface SynthResource {
  module: string;
  name: string;
  key: string | null;
  id: string;
  input: string;
  deps: string[];
}

function region(i: number): string {
  return ['eu', 'us', 'ap'][i % 3] as string;
}

/** Writes the workspace into `dir` (which must exist) and returns the state as loaded records. O(N). */
export async function writeCustomersWorkspace(dir: string, o: CustomersOptions): Promise<LoadedState> {
  const resources: SynthResource[] = [];
  const controllerId = uuid('controller');
  resources.push({ module: '', name: 'controller', key: null, id: controllerId, input: 'controller', deps: [] });
  const env = 'prod';
  if (o.layout === 'for_each') {
    writeFileSync(
      join(dir, 'main.tf'),
      `variable "customers" {\n  type = map(object({ region = string }))\n}\n\nresource "terraform_data" "controller" {\n  input = "controller"\n}\n\n` +
        `module "customer" {\n  source        = "./modules/customer"\n  for_each      = var.customers\n  name          = each.key\n  region        = each.value.region\n  controller_id = terraform_data.controller.id\n}\n`,
    );
    mkdirSync(join(dir, 'modules', 'customer'), { recursive: true });
    writeFileSync(
      join(dir, 'modules', 'customer', 'main.tf'),
      `variable "name" {}\nvariable "region" {}\nvariable "controller_id" {}\n\n` +
        `resource "terraform_data" "site" {\n  input = "\${var.name}-\${var.region}-\${var.controller_id}"\n}\n\n` +
        `resource "terraform_data" "tunnel" {\n  for_each = toset(["t0", "t1", "t2", "t3"])\n  input    = "\${terraform_data.site.id}-\${each.key}"\n}\n\n` +
        `resource "terraform_data" "device" {\n  for_each = { for i in range(${DEVICES}) : format("d%02d", i) => "t\${i % ${TUNNELS}}" }\n  input    = "\${terraform_data.tunnel[each.value].id}-\${each.key}"\n}\n`,
    );
    const lines: string[] = [];
    for (let c = 0; c < o.customers; c++) lines.push(`  ${customerName(c)} = { region = "${region(c)}" }`);
    writeFileSync(join(dir, 'terraform.tfvars'), `customers = {\n${lines.join('\n')}\n}\n`);
    for (let c = 0; c < o.customers; c++) {
      const name = customerName(c);
      const module = `module.customer["${name}"]`;
      const siteId = uuid(`${name}/site`);
      resources.push({ module, name: 'site', key: null, id: siteId, input: `${name}-${region(c)}-${controllerId}`, deps: ['terraform_data.controller'] });
      for (let t = 0; t < TUNNELS; t++)
        resources.push({ module, name: 'tunnel', key: `t${t}`, id: uuid(`${name}/t${t}`), input: `${siteId}-t${t}`, deps: ['module.customer.terraform_data.site', 'terraform_data.controller'] });
      for (let d = 0; d < DEVICES; d++) {
        const dk = `d${String(d).padStart(2, '0')}`;
        resources.push({
          module,
          name: 'device',
          key: dk,
          id: uuid(`${name}/${dk}`),
          input: `${uuid(`${name}/t${d % TUNNELS}`)}-${dk}`,
          deps: ['module.customer.terraform_data.site', 'module.customer.terraform_data.tunnel', 'terraform_data.controller'],
        });
      }
    }
  } else {
    writeFileSync(
      join(dir, 'main.tf'),
      `locals {\n  env = "${env}"\n}\n\nresource "terraform_data" "controller" {\n  input = "controller"\n}\n`,
    );
    const perFile = 40;
    for (let f = 0; f * perFile < o.customers; f++) {
      let text = '';
      for (let c = f * perFile; c < Math.min(o.customers, (f + 1) * perFile); c++) {
        const name = customerName(c);
        const siteId = uuid(`${name}/site`);
        text += `resource "terraform_data" "${name}_site" {\n  input = "${name}-${region(c)}-\${local.env}-\${terraform_data.controller.id}"\n}\n\n`;
        resources.push({ module: '', name: `${name}_site`, key: null, id: siteId, input: `${name}-${region(c)}-${env}-${controllerId}`, deps: ['terraform_data.controller'] });
        for (let t = 0; t < TUNNELS; t++) {
          text += `resource "terraform_data" "${name}_t${t}" {\n  input = "\${terraform_data.${name}_site.id}-t${t}"\n}\n\n`;
          resources.push({ module: '', name: `${name}_t${t}`, key: null, id: uuid(`${name}/t${t}`), input: `${siteId}-t${t}`, deps: [`terraform_data.${name}_site`, 'terraform_data.controller'] });
        }
        for (let d = 0; d < DEVICES; d++) {
          const dk = `d${String(d).padStart(2, '0')}`;
          const t = d % TUNNELS;
          text += `resource "terraform_data" "${name}_${dk}" {\n  input = "\${terraform_data.${name}_t${t}.id}-${dk}"\n}\n\n`;
          resources.push({
            module: '',
            name: `${name}_${dk}`,
            key: null,
            id: uuid(`${name}/${dk}`),
            input: `${uuid(`${name}/t${t}`)}-${dk}`,
            deps: [`terraform_data.${name}_site`, `terraform_data.${name}_t${t}`, 'terraform_data.controller'],
          });
        }
      }
      writeFileSync(join(dir, `customers_${String(f).padStart(4, '0')}.tf`), text);
    }
  }
  const lineage = uuid(`lineage/${o.layout}/${o.customers}`);
  if (o.writeState !== false) await writeState(join(dir, 'terraform.tfstate'), lineage, resources);
  const instances: InstanceRecord[] = resources.map((r) => ({
    module: r.module,
    mode: 'managed',
    type: 'terraform_data',
    name: r.name,
    provider: PROVIDER,
    indexKey: r.key,
    dependencies: r.deps,
    tainted: false,
    deposedCount: 0,
    hasCurrent: true,
  }));
  return { meta: { version: 4, terraformVersion: '1.11.4', serial: 1, lineage, outputs: {} }, instances };
}

async function writeState(path: string, lineage: string, resources: readonly SynthResource[]): Promise<void> {
  const out = createWriteStream(path);
  const write = (s: string): Promise<void> =>
    new Promise((resolve) => (out.write(s) ? resolve() : out.once('drain', () => resolve())));
  await write(`{"version":4,"terraform_version":"1.11.4","serial":1,"lineage":"${lineage}","outputs":{},"resources":[`);
  // Group instances of one resource (same module + name) into one resource entry.
  let i = 0;
  let first = true;
  while (i < resources.length) {
    const head = resources[i] as SynthResource;
    let j = i;
    const inst: string[] = [];
    while (j < resources.length && (resources[j] as SynthResource).module === head.module && (resources[j] as SynthResource).name === head.name) {
      const r = resources[j] as SynthResource;
      const attrs = { id: r.id, input: { value: r.input, type: 'string' }, output: { value: r.input, type: 'string' }, triggers_replace: null };
      inst.push(
        JSON.stringify({
          ...(r.key === null ? {} : { index_key: r.key }),
          schema_version: 0,
          attributes: attrs,
          sensitive_attributes: [],
          ...(r.deps.length > 0 ? { dependencies: r.deps } : {}),
        }),
      );
      j++;
    }
    const mod = head.module === '' ? '' : `"module":${JSON.stringify(head.module)},`;
    await write(`${first ? '' : ','}{${mod}"mode":"managed","type":"terraform_data","name":"${head.name}","provider":${JSON.stringify(PROVIDER)},"instances":[${inst.join(',')}]}`);
    first = false;
    i = j;
  }
  await write(`],"check_results":null}\n`);
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
}
