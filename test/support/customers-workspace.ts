// Writes a customers-shape `terraform_data` workspace (no provider download): a root controller, `module "customer"`
// with for_each over C customers (site, for_each tunnels, count uplinks, for_each devices), and a root resource that
// reads one customer's output (a cross-module reference). Deterministic: same options, same files.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CustomersWorkspaceOptions {
  /** Number of `module.customer` instances. */
  customers: number;
  /** Tunnels per customer (for_each). @default 4 */
  tunnels?: number;
  /** Devices per customer (for_each, each reads one tunnel). @default 20 */
  devices?: number;
  /** Uplinks per customer (count, each reads the site). @default 1 */
  uplinks?: number;
}

export interface CustomersWorkspace {
  readonly dir: string;
  /** Managed resource instances the workspace has once applied. */
  readonly resources: number;
  /** Customer key of customer i: `c00`, `c01`... */
  customer(i: number): string;
  /** Address of device d of customer c. */
  device(c: number, d: number): string;
  /** `-var` argument that changes device d of customer c to `value`. */
  changeDeviceVar(c: number, d: number, value?: string): string;
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** Writes the workspace into `dir` (created if missing). O(customers + devices). */
export function writeCustomersWorkspace(dir: string, options: CustomersWorkspaceOptions): CustomersWorkspace {
  const tunnels = options.tunnels ?? 4;
  const devices = options.devices ?? 20;
  const uplinks = options.uplinks ?? 1;
  const cw = Math.max(2, String(options.customers - 1).length);
  const dw = Math.max(2, String(devices - 1).length);
  const customer = (i: number): string => `c${pad(i, cw)}`;
  const deviceKey = (d: number): string => `d${pad(d, dw)}`;
  mkdirSync(join(dir, 'modules', 'customer'), { recursive: true });
  const keys = Array.from({ length: options.customers }, (_, i) => JSON.stringify(customer(i)));
  writeFileSync(
    join(dir, 'main.tf'),
    `# Customers-shape workspace: one controller, ${options.customers} customer module instances, one cross-module reader.
variable "device_overrides" {
  description = "\\"customer/device\\" = value: changes one device's input"
  type        = map(string)
  default     = {}
}

resource "terraform_data" "controller" {
  input = "controller"
}

module "customer" {
  source     = "./modules/customer"
  for_each   = toset([${keys.join(', ')}])
  name       = each.key
  controller = terraform_data.controller.output
  overrides  = { for k, v in var.device_overrides : split("/", k)[1] => v if split("/", k)[0] == each.key }
}

resource "terraform_data" "report" {
  input = module.customer[${keys[0] ?? '"c00"'}].site
}
`,
  );
  const tunnelKeys = Array.from({ length: tunnels }, (_, t) => JSON.stringify(`t${t}`));
  const deviceMap = Array.from({ length: devices }, (_, d) => `    ${deviceKey(d)} = "t${d % tunnels}"`);
  writeFileSync(
    join(dir, 'modules', 'customer', 'main.tf'),
    `variable "name" {
  type = string
}

variable "controller" {
  type = string
}

variable "overrides" {
  type    = map(string)
  default = {}
}

resource "terraform_data" "site" {
  input = "\${var.name}@\${var.controller}"
}

resource "terraform_data" "tunnel" {
  for_each = toset([${tunnelKeys.join(', ')}])
  input    = "\${terraform_data.site.output}/\${each.key}"
}

resource "terraform_data" "uplink" {
  count = ${uplinks}
  input = "\${terraform_data.site.output}/u\${count.index}"
}

resource "terraform_data" "device" {
  for_each = {
${deviceMap.join('\n')}
  }
  input = "\${terraform_data.tunnel[each.value].output}/\${each.key}/\${lookup(var.overrides, each.key, "v1")}"
}

output "site" {
  value = terraform_data.site.output
}
`,
  );
  return {
    dir,
    resources: options.customers * (1 + tunnels + uplinks + devices) + 2,
    customer,
    device: (c, d) => `module.customer["${customer(c)}"].terraform_data.device["${deviceKey(d)}"]`,
    changeDeviceVar: (c, d, value = 'v2') => `-var=device_overrides={"${customer(c)}/${deviceKey(d)}"="${value}"}`,
  };
}
