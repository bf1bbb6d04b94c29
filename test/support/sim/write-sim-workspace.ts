// writeSimWorkspace: a `sim_resource` workspace in the customers shape (controller -> customer module with site,
// tunnels, devices), optionally with the terraform.tfstate an apply would write, so benchmarks skip the slow apply;
// optionally with per-customer device values (in locals, customers.auto.tfvars or .auto.tfvars.json) to edit one by one.
// Guarantees: generated state == applied state (modulo lineage/serial); deterministic bytes; no `init` needed.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { SIM_PROVIDER_SOURCE, simId } from './sim-values.js';

/** Size of a generated workspace. */
export interface SimWorkspaceOptions {
  /** Module instances of `module "customer"`. 1..100000. */
  customers: number;
  /** `tunnel` instances per customer. 1..1000. */
  tunnelsPerCustomer: number;
  /** `device` instances per customer (device i uses tunnel i mod tunnelsPerCustomer). 0..10000. */
  devicesPerCustomer: number;
  /** Also write `terraform.tfstate` as if the config had been applied. @default false */
  withState?: boolean;
  /**
   * Where the customers come from. `set` (the default): `local.customers` is a set of keys and every device's value
   * is "v1". `locals`: `local.customers` is a map customer -> `{ devices = { device = value } }` (all "v1"), the call
   * iterates it and passes `each.value.devices` to the module, so one device's value is an edit of one entry of the
   * local. `tfvars`: the same map as `var.customers`, set in `customers.auto.tfvars` (the call iterates
   * `var.customers`: velocity compares its keys one by one). `tfvars-json`: the same in `customers.auto.tfvars.json`.
   * Edit with `SimWorkspace.setDeviceValue`.
   * @default 'set'
   */
  customersIn?: 'set' | 'locals' | 'tfvars' | 'tfvars-json';
}

/** One resource instance of the workspace. */
export interface SimResourceRef {
  /** Terraform instance address, e.g. `module.customer["c01"].sim_resource.device["d07"]`. */
  readonly address: string;
  /** Its `name` attribute: the key the sim counts reads and injects faults by. */
  readonly name: string;
}

/** What was written. */
export interface SimWorkspace {
  readonly dir: string;
  /** Number of resource instances: 1 + customers × (1 + tunnels + devices). */
  readonly resourceCount: number;
  /** Customer keys, sorted (`c01`, `c02`, ...; zero-padded to the same width). */
  readonly customers: readonly string[];
  /** Tunnel keys per customer, sorted (`t1`, ...). */
  readonly tunnels: readonly string[];
  /** Device keys per customer, sorted (`d01`, ...). */
  readonly devices: readonly string[];
  /** Every instance: controller first, then per customer site, tunnels, devices. */
  readonly resources: readonly SimResourceRef[];
  readonly controller: SimResourceRef;
  site(customer: string): SimResourceRef;
  tunnel(customer: string, tunnel: string): SimResourceRef;
  device(customer: string, device: string): SimResourceRef;
  /** The tunnel key device `device` references. */
  tunnelOf(device: string): string;
  /** The resource at this instance address, if the workspace has it (e.g. to map refreshed addresses to names). O(1). */
  byAddress(address: string): SimResourceRef | undefined;
  /**
   * Sets one device's `value` in the configuration (rewrites main.tf for `customersIn: 'locals'`, customers.auto.tfvars
   * for `tfvars`, customers.auto.tfvars.json for `tfvars-json`; earlier edits are kept) and returns the file written. Throws RangeError for `customersIn: 'set'`
   * (no per-device values) or an unknown customer/device. O(resources).
   */
  setDeviceValue(customer: string, device: string, value: string): string;
}

const VALUE = 'v1';
const PROVIDER = `provider["${SIM_PROVIDER_SOURCE}"]`;

/**
 * Write main.tf, modules/customer/main.tf, .terraform/modules/modules.json (and terraform.tfstate). O(resources).
 * Shape: root `sim_resource.controller`; `module "customer"` (for_each) with a `site` (input: the controller's id
 * through a module variable), `tunnel`s (for_each, ref the site; their `label` template makes Terraform send refined
 * unknowns, msgpack ext 12, on create) and `device`s (for_each, ref one tunnel and the site).
 */
export function writeSimWorkspace(dir: string, options: SimWorkspaceOptions): SimWorkspace {
  const { customers: nc, tunnelsPerCustomer: nt, devicesPerCustomer: nd } = options;
  const customersIn = options.customersIn ?? 'set';
  checkCount('customers', nc, 1, 100_000);
  checkCount('tunnelsPerCustomer', nt, 1, 1_000);
  checkCount('devicesPerCustomer', nd, 0, 10_000);
  const customers = keys('c', nc);
  const tunnels = keys('t', nt);
  const devices = keys('d', nd);
  const tunnelOfDevice = new Map(devices.map((d, i) => [d, tunnels[i % nt] as string]));
  const tunnelOf = (d: string): string => {
    const t = tunnelOfDevice.get(d);
    if (t === undefined) throw new RangeError(`no device ${d}`);
    return t;
  };

  mkdirSync(join(dir, 'modules', 'customer'), { recursive: true });
  mkdirSync(join(dir, '.terraform', 'modules'), { recursive: true });
  // Device values that differ from VALUE, keyed `customer/device` (setDeviceValue).
  const values = new Map<string, string>();
  const valueMap = (): string => customerValues(customers, devices, values, customersIn === 'tfvars' ? '' : '  ');
  const writeConfig = (): string => {
    writeFileSync(join(dir, 'main.tf'), rootConfig(customers, tunnels, devices, tunnelOf, customersIn, customersIn === 'locals' ? valueMap() : ''));
    if (customersIn === 'tfvars-json') {
      const doc = Object.fromEntries(customers.map((c) => [c, { devices: Object.fromEntries(devices.map((d) => [d, values.get(`${c}/${d}`) ?? VALUE])) }]));
      writeFileSync(join(dir, 'customers.auto.tfvars.json'), `${JSON.stringify({ customers: doc }, null, 2)}\n`);
      return join(dir, 'customers.auto.tfvars.json');
    }
    if (customersIn !== 'tfvars') return join(dir, 'main.tf');
    writeFileSync(join(dir, 'customers.auto.tfvars'), `customers = ${valueMap()}\n`);
    return join(dir, 'customers.auto.tfvars');
  };
  writeConfig();
  writeFileSync(join(dir, 'modules', 'customer', 'main.tf'), customersIn === 'set' ? MODULE_CONFIG : MODULE_CONFIG_WITH_VALUES);
  // NOTE: what `terraform init` records for a local module; writing it saves an init per workspace.
  writeFileSync(
    join(dir, '.terraform', 'modules', 'modules.json'),
    `${JSON.stringify({ Modules: [{ Key: '', Source: '', Dir: '.' }, { Key: 'customer', Source: './modules/customer', Dir: 'modules/customer' }] })}\n`,
  );

  const mod = (c: string): string => `module.customer[${JSON.stringify(c)}]`;
  const controller: SimResourceRef = { address: 'sim_resource.controller', name: 'controller' };
  const site = (c: string): SimResourceRef => ({ address: `${mod(c)}.sim_resource.site`, name: `${c}/site` });
  const tunnel = (c: string, t: string): SimResourceRef => ({
    address: `${mod(c)}.sim_resource.tunnel[${JSON.stringify(t)}]`,
    name: `${c}/tunnel/${t}`,
  });
  const device = (c: string, d: string): SimResourceRef => ({
    address: `${mod(c)}.sim_resource.device[${JSON.stringify(d)}]`,
    name: `${c}/device/${d}`,
  });
  const resources: SimResourceRef[] = [controller];
  for (const c of customers) {
    resources.push(site(c), ...tunnels.map((t) => tunnel(c, t)), ...devices.map((d) => device(c, d)));
  }

  const index = new Map(resources.map((r) => [r.address, r] as const));

  if (options.withState === true) {
    writeFileSync(join(dir, 'terraform.tfstate'), stateJson(customers, tunnels, devices, tunnelOf));
  }
  return {
    dir,
    resourceCount: resources.length,
    customers,
    tunnels,
    devices,
    resources,
    controller,
    site,
    tunnel: (c, t) => {
      if (!tunnels.includes(t)) throw new RangeError(`no tunnel ${t}`);
      return tunnel(c, t);
    },
    device: (c, d) => {
      tunnelOf(d);
      return device(c, d);
    },
    tunnelOf,
    byAddress: (address) => index.get(address),
    setDeviceValue: (c, d, value) => {
      if (customersIn === 'set') throw new RangeError('setDeviceValue needs customersIn locals or tfvars: this workspace has no per-device values');
      if (!customers.includes(c)) throw new RangeError(`no customer ${c}`);
      tunnelOf(d);
      if (value === VALUE) values.delete(`${c}/${d}`);
      else values.set(`${c}/${d}`, value);
      return writeConfig();
    },
  };
}

const MODULE_CONFIG = `terraform {
  required_providers {
    sim = { source = "example/sim" }
  }
}

variable "customer" {
  type = string
}

variable "controller_id" {
  type = string
}

variable "tunnels" {
  type = set(string)
}

variable "devices" {
  type = map(string)
}

resource "sim_resource" "site" {
  name   = "\${var.customer}/site"
  inputs = { controller = var.controller_id }
  value  = "${VALUE}"
}

resource "sim_resource" "tunnel" {
  for_each = var.tunnels
  name     = "\${var.customer}/tunnel/\${each.key}"
  inputs   = { site = sim_resource.site.id, label = "tunnel-\${sim_resource.site.id}" }
  value    = "${VALUE}"
}

resource "sim_resource" "device" {
  for_each = var.devices
  name     = "\${var.customer}/device/\${each.key}"
  inputs   = { site = sim_resource.site.id, tunnel = sim_resource.tunnel[each.value].id }
  value    = "${VALUE}"
}
`;

// The module of `customersIn: 'locals' | 'tfvars' | 'tfvars-json'`: each device's value comes from the call.
const DEVICE_BLOCK = 'resource "sim_resource" "device" {';
const MODULE_CONFIG_WITH_VALUES =
  MODULE_CONFIG.slice(0, MODULE_CONFIG.indexOf(DEVICE_BLOCK)).replace(
    'variable "devices" {\n  type = map(string)\n}\n',
    'variable "devices" {\n  type = map(string)\n}\n\nvariable "device_values" {\n  type = map(string)\n}\n',
  ) + MODULE_CONFIG.slice(MODULE_CONFIG.indexOf(DEVICE_BLOCK)).replace(`value    = "${VALUE}"`, 'value    = var.device_values[each.key]');

/** The HCL map customer -> { devices = { device = value } }, indented by `indent` (locals: 2). O(customers × devices). */
function customerValues(customers: string[], devices: string[], values: ReadonlyMap<string, string>, indent: string): string {
  const lines = ['{'];
  for (const c of customers) {
    lines.push(`${indent}  ${JSON.stringify(c)} = {`, `${indent}    devices = {`);
    for (const d of devices) lines.push(`${indent}      ${JSON.stringify(d)} = ${JSON.stringify(values.get(`${c}/${d}`) ?? VALUE)}`);
    lines.push(`${indent}    }`, `${indent}  }`);
  }
  lines.push(`${indent}}`);
  return lines.join('\n');
}

function rootConfig(
  customers: string[],
  tunnels: string[],
  devices: string[],
  tunnelOf: (d: string) => string,
  customersIn: 'set' | 'locals' | 'tfvars' | 'tfvars-json',
  localValues: string,
): string {
  const list = (xs: string[]): string => xs.map((x) => `    ${JSON.stringify(x)},`).join('\n');
  const map = devices.map((d) => `    ${JSON.stringify(d)} = ${JSON.stringify(tunnelOf(d))}`).join('\n');
  const customersDecl =
    customersIn === 'set'
      ? `  customers = toset([\n${list(customers)}\n  ])\n`
      : customersIn === 'locals'
        ? `  customers = ${localValues}\n`
        : '';
  const fromVar = customersIn === 'tfvars' || customersIn === 'tfvars-json';
  const variable = fromVar ? `variable "customers" {\n  type = map(object({ devices = map(string) }))\n}\n\n` : '';
  const forEach = fromVar ? 'var.customers' : 'local.customers';
  const valuesArg = customersIn === 'set' ? '' : `  device_values = each.value.devices\n`;
  return `terraform {
  required_providers {
    sim = { source = "example/sim" }
  }
}

${variable}locals {
${customersDecl}  tunnels = toset([
${list(tunnels)}
  ])
  devices = {
${map}
  }
}

resource "sim_resource" "controller" {
  name  = "controller"
  value = "${VALUE}"
}

module "customer" {
  source        = "./modules/customer"
  for_each      = ${forEach}
  customer      = each.key
  controller_id = sim_resource.controller.id
  tunnels       = local.tunnels
  devices       = local.devices
${valuesArg}}
`;
}

function stateJson(customers: string[], tunnels: string[], devices: string[], tunnelOf: (d: string) => string): string {
  const instance = (name: string, inputs: Record<string, string> | null, dependencies: string[], indexKey?: string): unknown => ({
    ...(indexKey === undefined ? {} : { index_key: indexKey }),
    schema_version: 0,
    attributes: { id: simId(name), inputs, name, value: VALUE },
    sensitive_attributes: [],
    // Terraform omits an empty dependency list.
    ...(dependencies.length === 0 ? {} : { dependencies }),
  });
  const resource = (module: string | undefined, name: string, instances: unknown[]): unknown => ({
    ...(module === undefined ? {} : { module }),
    mode: 'managed',
    type: 'sim_resource',
    name,
    provider: PROVIDER,
    instances,
  });
  const controllerId = simId('controller');
  const resources: unknown[] = [resource(undefined, 'controller', [instance('controller', null, [])])];
  for (const c of customers) {
    const module = `module.customer[${JSON.stringify(c)}]`;
    const siteId = simId(`${c}/site`);
    resources.push(
      resource(module, 'device', devices.map((d) =>
        instance(
          `${c}/device/${d}`,
          { site: siteId, tunnel: simId(`${c}/tunnel/${tunnelOf(d)}`) },
          ['module.customer.sim_resource.site', 'module.customer.sim_resource.tunnel', 'sim_resource.controller'],
          d,
        ),
      )),
      resource(module, 'site', [instance(`${c}/site`, { controller: controllerId }, ['sim_resource.controller'])]),
      resource(module, 'tunnel', tunnels.map((t) =>
        instance(
          `${c}/tunnel/${t}`,
          { label: `tunnel-${siteId}`, site: siteId },
          ['module.customer.sim_resource.site', 'sim_resource.controller'],
          t,
        ),
      )),
    );
  }
  const state = {
    version: 4,
    terraform_version: '1.11.4',
    serial: 1,
    lineage: lineageOf(`${customers.length}/${tunnels.length}/${devices.length}`),
    outputs: {},
    resources: resources.filter((r) => (r as { instances: unknown[] }).instances.length > 0),
    check_results: null,
  };
  return `${JSON.stringify(state, null, 2)}\n`;
}

// A fixed UUID-shaped lineage per size, so the same options always write the same bytes.
function lineageOf(seed: string): string {
  const h = createHash('sha256').update(`velocity-sim:${seed}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function keys(prefix: string, n: number): string[] {
  const width = String(n).length;
  return Array.from({ length: n }, (_, i) => `${prefix}${String(i + 1).padStart(width, '0')}`);
}

function checkCount(what: string, n: number, min: number, max: number): void {
  if (!Number.isInteger(n) || n < min || n > max) throw new RangeError(`${what} must be an integer in ${min}..${max}, got ${n}`);
}
