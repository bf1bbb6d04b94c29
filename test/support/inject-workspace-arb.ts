// fast-check arbitraries of small Terraform workspaces built from `terraform_data` (or the test sim's sim_resource)
// and the built-in `terraform_remote_state` (offline), and of random edits to them, for the inject differential.
// Guarantees: every generated workspace and every edited one is valid HCL that init/apply/plan accept; 5–30 instances.

import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import fc from 'fast-check';

const execFileAsync = promisify(execFile);

/** What the added reader reads: a root resource `r<i>`, the remote state's output, svc's first output, vault's id. */
export type ReaderSource = `r${number}` | 'remote' | 'svc' | 'vault';

/** A root `terraform_data.rN`: a literal, references to a variable, the local, the remote state, earlier rN. */
export interface RootResource {
  readonly value: string;
  readonly label: boolean;
  readonly prefix: boolean;
  readonly remote: boolean;
  /** Indexes of earlier root resources whose output it reads. */
  readonly reads: readonly number[];
  /** Index of an earlier root resource named in depends_on. */
  readonly dependsOn?: number;
  /** `triggers_replace` on the literal: a change replaces instead of updating. */
  readonly replaceOnChange: boolean;
}

/** The generated workspace, as data: render it with `renderWorkspace`. Edits are transformations of it. */
export interface InjectWorkspace {
  /** How `module "svc"` is repeated: for_each over a map variable, over a set variable, or count. */
  readonly svcMode: 'map' | 'set' | 'count';
  /** The svc keys (map/set) in tfvars; for count, their number is the count. The first is never removed. */
  readonly svcKeys: readonly string[];
  /** `module.svc[*].terraform_data.b` count (0–2). */
  readonly bCount: number;
  /** Literal inside `module.svc`'s `terraform_data.a` and the nested leaf module's `terraform_data.x`. */
  readonly svcTag: string;
  readonly leafTag: string;
  /** `module "pool"` (the leaf module with count) instances, reading svc's first output (0–2). */
  readonly poolCount: number;
  /** `false`: no `module "pool"` at all (isolates the svc module from a second call of the leaf module). */
  readonly pool?: boolean;
  readonly roots: readonly RootResource[];
  /** A root `terraform_data.solo` nothing reads (deletable). */
  readonly solo: boolean;
  /** `data "terraform_remote_state" "up"` reading a second local state file. */
  readonly remote: boolean;
  /** The sensitive variable feeds `terraform_data.vault` and `module.svc[*].terraform_data.cred`. */
  readonly secret: string;
  /** var.label's value, from terraform.tfvars. */
  readonly label: string;
  readonly prefix: string;
  /** An extra root resource added by an edit: reads one out-of-cone object (`r<i>`, the remote state, svc's first output, vault). */
  readonly reader?: { readonly of: ReaderSource };
}

const word = fc.constantFrom('alpha', 'bravo', 'charlie', 'delta', 'echo', 'fox', 'golf', 'hotel');
const keyName = fc.constantFrom('k1', 'k2', 'k3', 'eu', 'us', 'a b', 'é');

const rootArb = (i: number): fc.Arbitrary<RootResource> =>
  fc
    .record({
      value: word,
      label: fc.boolean(),
      prefix: fc.boolean(),
      remote: fc.boolean(),
      reads: i === 0 ? fc.constant<number[]>([]) : fc.uniqueArray(fc.nat({ max: i - 1 }), { maxLength: 2 }),
      dependsOn: i === 0 ? fc.constant(undefined) : fc.option(fc.nat({ max: i - 1 }), { nil: undefined }),
      replaceOnChange: fc.boolean(),
    })
    .map((r) => {
      const { dependsOn, ...rest } = r;
      return { ...rest, reads: [...r.reads].sort(), ...(dependsOn === undefined ? {} : { dependsOn }) };
    });

/** Parts of the workspace a caller can switch off (to isolate a failure); unset: generated as usual. */
export interface WorkspaceFeatures {
  /** `false`: no remote-state data source. */
  readonly remote?: boolean;
  /** `false`: no `module "pool"`. */
  readonly pool?: boolean;
}

/** Small workspaces: 1–4 root resources, a keyed svc module with a nested module, a count module, 5–30 instances. */
export function injectWorkspaceArb(features: WorkspaceFeatures = {}): fc.Arbitrary<InjectWorkspace> {
  // NOTE: features are applied after generation, so a seed draws the same workspace with or without them.
  return fc
    .record({
      svcMode: fc.constantFrom<InjectWorkspace['svcMode']>('map', 'set', 'count'),
      svcKeys: fc.uniqueArray(keyName, { minLength: 1, maxLength: 3 }),
      bCount: fc.nat({ max: 2 }),
      svcTag: word,
      leafTag: word,
      poolCount: fc.nat({ max: 2 }),
      rootCount: fc.integer({ min: 1, max: 4 }),
      solo: fc.boolean(),
      remote: fc.boolean(),
      secret: word,
      label: word,
      prefix: word,
    })
    .chain(({ rootCount, ...rest }) =>
      fc.tuple(...Array.from({ length: rootCount }, (_, i) => rootArb(i))).map((roots) => ({ ...rest, roots, svcKeys: [...rest.svcKeys] })),
    )
    .map((ws) => ({ ...ws, ...(features.remote === false ? { remote: false } : {}), ...(features.pool === false ? { pool: false, poolCount: 0 } : {}) }));
}

/** Instances the workspace holds after apply (the data source not counted). O(size). */
export function instanceAddresses(ws: InjectWorkspace, provider: WorkspaceProvider = 'terraform_data'): string[] {
  const t = typeOf(provider);
  const out: string[] = [];
  ws.roots.forEach((_, i) => out.push(`${t}.r${i}`));
  out.push(`${t}.consumer`, `${t}.deep`, `${t}.vault`);
  if (ws.solo) out.push(`${t}.solo`);
  if (ws.reader) out.push(`${t}.reader`);
  for (const m of svcInstances(ws)) {
    out.push(`${m}.${t}.a`, `${m}.${t}.cred`, `${m}.module.leaf.${t}.x`);
    for (let b = 0; b < ws.bCount; b++) out.push(`${m}.${t}.b[${b}]`);
  }
  if (ws.pool !== false) for (let p = 0; p < ws.poolCount; p++) out.push(`module.pool[${p}].${t}.x`);
  return out.sort();
}

const typeOf = (provider: WorkspaceProvider): string => (provider === 'sim' ? 'sim_resource' : 'terraform_data');

const hcl = (s: string): string => JSON.stringify(s);

/** `module.svc[...]` for every svc instance, in key order. */
export function svcInstances(ws: InjectWorkspace): string[] {
  if (ws.svcMode === 'count') return ws.svcKeys.map((_, i) => `module.svc[${i}]`);
  return [...ws.svcKeys].sort().map((k) => `module.svc[${hcl(k)}]`);
}

/** The expression a reader of `of` holds, in the given provider's terms. */
function readerSource(ws: InjectWorkspace, of: ReaderSource, provider: WorkspaceProvider): string {
  const type = typeOf(provider);
  if (of === 'remote') return 'data.terraform_remote_state.up.outputs.cidr';
  if (of === 'svc') return `${firstSvc(ws)}.out`;
  if (of === 'vault') return `${type}.vault.id`;
  return provider === 'sim' ? `${type}.${of}.value` : `${type}.${of}.output`;
}

/** The resource type a workspace is written with: terraform_data (built in), or the test sim's sim_resource. */
export type WorkspaceProvider = 'terraform_data' | 'sim';

const firstSvc = (ws: InjectWorkspace): string => (ws.svcMode === 'count' ? 'module.svc[0]' : `module.svc[${hcl(ws.svcKeys[0] as string)}]`);

function rootBlock(ws: InjectWorkspace, r: RootResource, i: number): string {
  const attrs = [`v = ${hcl(r.value)}`];
  if (r.label) attrs.push('label = var.label');
  if (r.prefix) attrs.push('prefix = local.prefix');
  if (r.remote && ws.remote) attrs.push('cidr = data.terraform_remote_state.up.outputs.cidr');
  for (const j of r.reads) attrs.push(`from_r${j} = terraform_data.r${j}.output.v`);
  const lines = [`resource "terraform_data" "r${i}" {`, `  input = {`, ...attrs.map((a) => `    ${a}`), '  }'];
  if (r.replaceOnChange) lines.push(`  triggers_replace = [${hcl(r.value)}]`);
  if (r.dependsOn !== undefined) lines.push(`  depends_on = [terraform_data.r${r.dependsOn}]`);
  lines.push('}');
  return lines.join('\n');
}

/** Options of renderWorkspace. */
export interface RenderOptions {
  /** @default 'terraform_data' */
  readonly provider?: WorkspaceProvider;
  /** sim only: a prefix of every object's `name`, unique per applied workspace (the sim's cloud is shared). */
  readonly namespace?: string;
}

/** The parts both providers' workspaces share: variables, locals, the remote state, tfvars. */
function commonParts(ws: InjectWorkspace): { head: string[]; repeat: string[]; tfvars: string; extra: Record<string, string> } {
  const svcVar =
    ws.svcMode === 'map'
      ? 'variable "svc" {\n  type = map(string)\n}'
      : ws.svcMode === 'set'
        ? 'variable "svc" {\n  type = set(string)\n}'
        : 'variable "svc" {\n  type = number\n}';
  const svcValue =
    ws.svcMode === 'map'
      ? `{ ${ws.svcKeys.map((k) => `${hcl(k)} = ${hcl(`${k}-site`)}`).join(', ')} }`
      : ws.svcMode === 'set'
        ? `[${ws.svcKeys.map(hcl).join(', ')}]`
        : String(ws.svcKeys.length);
  const repeat =
    ws.svcMode === 'map'
      ? ['  for_each = var.svc', '  name     = each.value']
      : ws.svcMode === 'set'
        ? ['  for_each = var.svc', '  name     = each.key']
        : ['  count = var.svc', '  name  = "n${count.index}"'];
  const head = [
    'variable "label" {\n  type = string\n}',
    `variable "secret" {\n  type      = string\n  sensitive = true\n  default   = ${hcl(ws.secret)}\n}`,
    svcVar,
    `locals {\n  prefix = ${hcl(ws.prefix)}\n}`,
    ...(ws.remote
      ? ['data "terraform_remote_state" "up" {\n  backend = "local"\n  config = {\n    path = "${path.module}/upstream.tfstate"\n  }\n}']
      : []),
  ];
  return {
    head,
    repeat,
    tfvars: `label = ${hcl(ws.label)}\nsvc   = ${svcValue}\n`,
    extra: ws.remote ? { 'upstream.tfstate': upstreamState() } : {},
  };
}

/** The workspace's files (paths relative to the workspace), HCL text. O(size). */
export function renderWorkspace(ws: InjectWorkspace, options: RenderOptions = {}): Record<string, string> {
  if (options.provider === 'sim') return renderSimWorkspace(ws, options.namespace ?? 'ns');
  const { head, repeat, tfvars, extra } = commonParts(ws);
  const main = [
    'terraform {\n  required_version = ">= 1.5"\n}',
    ...head,
    ...ws.roots.map((r, i) => rootBlock(ws, r, i)),
    ['module "svc" {', '  source = "./modules/svc"', ...repeat, '  seed    = terraform_data.r0.output.v', '  secret  = var.secret', `  b_count = ${ws.bCount}`, '}'].join('\n'),
    ...(ws.pool === false ? [] : [`module "pool" {\n  source = "./modules/leaf"\n  count  = ${ws.poolCount}\n  in     = "\${local.prefix}-\${${firstSvc(ws)}.out}"\n  tag    = ${hcl(ws.leafTag)}\n}`]),
    'resource "terraform_data" "consumer" {\n  input = { for k, m in module.svc : k => m.out }\n}',
    `resource "terraform_data" "deep" {\n  input      = ${firstSvc(ws)}.leaf\n${ws.pool === false ? '' : '  depends_on = [module.pool]\n'}}`,
    'resource "terraform_data" "vault" {\n  input = { user = var.label, token = var.secret }\n}',
    ...(ws.solo ? ['resource "terraform_data" "solo" {\n  input = "solo"\n}'] : []),
    ...(ws.reader ? [`resource "terraform_data" "reader" {\n  input = ${readerSource(ws, ws.reader.of, 'terraform_data')}\n}`] : []),
    'output "r0" {\n  value = terraform_data.r0.output\n}',
    'output "leaves" {\n  value = { for k, m in module.svc : k => m.leaf }\n}',
    ...(ws.pool === false ? [] : ['output "pool" {\n  value = module.pool[*].x\n}']),
    'output "label" {\n  value = "${local.prefix}/${var.label}"\n}',
    'output "vault_id" {\n  value = terraform_data.vault.id\n}',
  ];
  const svc = [
    'variable "name" {\n  type = string\n}',
    'variable "seed" {\n  type = string\n}',
    'variable "secret" {\n  type      = string\n  sensitive = true\n}',
    'variable "b_count" {\n  type = number\n}',
    `resource "terraform_data" "a" {\n  input = "\${var.name}:\${var.seed}:${ws.svcTag}"\n}`,
    'resource "terraform_data" "b" {\n  count            = var.b_count\n  input            = "${terraform_data.a.output}-${count.index}"\n  triggers_replace = [terraform_data.a.output]\n}',
    'resource "terraform_data" "cred" {\n  input = { user = var.name, token = var.secret }\n}',
    `module "leaf" {\n  source = "../leaf"\n  in     = terraform_data.a.output\n  tag    = ${hcl(ws.leafTag)}\n}`,
    'output "out" {\n  value = terraform_data.a.output\n}',
    'output "leaf" {\n  value = module.leaf.x\n}',
  ];
  const leaf = [
    'variable "in" {\n  type = string\n}',
    'variable "tag" {\n  type = string\n}',
    'resource "terraform_data" "x" {\n  input = "leaf:${var.tag}:${var.in}"\n}',
    'output "x" {\n  value = terraform_data.x.output\n}',
  ];
  return {
    'main.tf': `${main.join('\n\n')}\n`,
    'terraform.tfvars': tfvars,
    'modules/svc/main.tf': `${svc.join('\n\n')}\n`,
    'modules/leaf/main.tf': `${leaf.join('\n\n')}\n`,
    ...extra,
  };
}

const SIM_PROVIDER = 'terraform {\n  required_providers {\n    sim = { source = "example/sim" }\n  }\n}';

function simRootBlock(ws: InjectWorkspace, r: RootResource, i: number, ns: string): string {
  const inputs: string[] = [];
  if (r.label) inputs.push('label = var.label');
  if (r.prefix) inputs.push('prefix = local.prefix');
  if (r.remote && ws.remote) inputs.push('cidr = data.terraform_remote_state.up.outputs.cidr');
  for (const j of r.reads) inputs.push(`from_r${j} = sim_resource.r${j}.value`, `id_r${j} = sim_resource.r${j}.id`);
  // NOTE: `name` forces replacement in the sim, so a replace-on-change literal goes into the name.
  const name = r.replaceOnChange ? `${ns}/r${i}/${r.value}` : `${ns}/r${i}`;
  const lines = [`resource "sim_resource" "r${i}" {`, `  name   = ${hcl(name)}`, `  value  = ${hcl(r.value)}`, `  inputs = { ${inputs.join(', ')} }`];
  if (r.dependsOn !== undefined) lines.push(`  depends_on = [sim_resource.r${r.dependsOn}]`);
  lines.push('}');
  return lines.join('\n');
}

/** The same workspace with the test sim's `sim_resource` (names prefixed by `ns`), plus modules.json (no init). */
function renderSimWorkspace(ws: InjectWorkspace, ns: string): Record<string, string> {
  const { head, repeat, tfvars, extra } = commonParts(ws);
  const main = [
    SIM_PROVIDER,
    ...head,
    ...ws.roots.map((r, i) => simRootBlock(ws, r, i, ns)),
    ['module "svc" {', '  source = "./modules/svc"', ...repeat, '  seed    = sim_resource.r0.value', '  secret  = var.secret', `  b_count = ${ws.bCount}`, '}'].join('\n'),
    ...(ws.pool === false
      ? []
      : [`module "pool" {\n  source = "./modules/leaf"\n  count  = ${ws.poolCount}\n  path   = "${ns}/pool/\${count.index}"\n  in     = "\${local.prefix}-\${${firstSvc(ws)}.out}"\n  tag    = ${hcl(ws.leafTag)}\n}`]),
    `resource "sim_resource" "consumer" {\n  name   = "${ns}/consumer"\n  inputs = { for k, m in module.svc : k => m.out }\n}`,
    `resource "sim_resource" "deep" {\n  name       = "${ns}/deep"\n  value      = ${firstSvc(ws)}.leaf\n${ws.pool === false ? '' : '  depends_on = [module.pool]\n'}}`,
    `resource "sim_resource" "vault" {\n  name   = "${ns}/vault"\n  inputs = { user = var.label, token = var.secret }\n}`,
    ...(ws.solo ? [`resource "sim_resource" "solo" {\n  name  = "${ns}/solo"\n  value = "solo"\n}`] : []),
    ...(ws.reader ? [`resource "sim_resource" "reader" {\n  name  = "${ns}/reader"\n  value = ${readerSource(ws, ws.reader.of, 'sim')}\n}`] : []),
    'output "r0" {\n  value = sim_resource.r0.value\n}',
    'output "leaves" {\n  value = { for k, m in module.svc : k => m.leaf }\n}',
    ...(ws.pool === false ? [] : ['output "pool" {\n  value = module.pool[*].x\n}']),
    'output "label" {\n  value = "${local.prefix}/${var.label}"\n}',
    'output "vault_id" {\n  value = sim_resource.vault.id\n}',
  ];
  const svc = [
    SIM_PROVIDER,
    'variable "name" {\n  type = string\n}',
    'variable "seed" {\n  type = string\n}',
    'variable "secret" {\n  type      = string\n  sensitive = true\n}',
    'variable "b_count" {\n  type = number\n}',
    `resource "sim_resource" "a" {\n  name  = "${ns}/svc/\${var.name}/a"\n  value = "\${var.name}:\${var.seed}:${ws.svcTag}"\n}`,
    `resource "sim_resource" "b" {\n  count  = var.b_count\n  name   = "${ns}/svc/\${var.name}/b/\${count.index}"\n  inputs = { a = sim_resource.a.id, value = sim_resource.a.value }\n}`,
    `resource "sim_resource" "cred" {\n  name   = "${ns}/svc/\${var.name}/cred"\n  inputs = { user = var.name, token = var.secret }\n}`,
    `module "leaf" {\n  source = "../leaf"\n  path   = "${ns}/svc/\${var.name}/leaf"\n  in     = sim_resource.a.value\n  tag    = ${hcl(ws.leafTag)}\n}`,
    'output "out" {\n  value = sim_resource.a.value\n}',
    'output "leaf" {\n  value = module.leaf.x\n}',
  ];
  const leaf = [
    SIM_PROVIDER,
    'variable "path" {\n  type = string\n}',
    'variable "in" {\n  type = string\n}',
    'variable "tag" {\n  type = string\n}',
    'resource "sim_resource" "x" {\n  name  = "${var.path}/x"\n  value = "leaf:${var.tag}:${var.in}"\n}',
    'output "x" {\n  value = sim_resource.x.value\n}',
  ];
  const modules = [
    { Key: '', Source: '', Dir: '.' },
    { Key: 'pool', Source: './modules/leaf', Dir: 'modules/leaf' },
    { Key: 'svc', Source: './modules/svc', Dir: 'modules/svc' },
    { Key: 'svc.leaf', Source: '../leaf', Dir: 'modules/leaf' },
  ];
  return {
    'main.tf': `${main.join('\n\n')}\n`,
    'terraform.tfvars': tfvars,
    'modules/svc/main.tf': `${svc.join('\n\n')}\n`,
    'modules/leaf/main.tf': `${leaf.join('\n\n')}\n`,
    // NOTE: what `terraform init` records for local modules; the sim is reattached, so no init is needed at all.
    '.terraform/modules/modules.json': `${JSON.stringify({ Modules: modules })}\n`,
    ...extra,
  };
}

/** The second workspace's state the remote-state data source reads: outputs only. */
function upstreamState(): string {
  const doc = {
    version: 4,
    terraform_version: '1.11.4',
    serial: 3,
    lineage: '6c1f3b7e-0000-4000-8000-00000000up01',
    outputs: { cidr: { value: '10.20.0.0/16', type: 'string' } },
    resources: [],
    check_results: null,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** Writes the workspace's files into `dir` (parents created), replacing what is there; removes none. */
export function writeWorkspace(dir: string, ws: InjectWorkspace, options: RenderOptions = {}): void {
  for (const [path, text] of Object.entries(renderWorkspace(ws, options))) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

/** A random edit: a new workspace, extra plan flags, and/or an instance to taint (`terraform taint`). */
export interface WorkspaceEdit {
  readonly kind:
    | 'root-attribute'
    | 'module-attribute'
    | 'add-key'
    | 'remove-key'
    | 'var-flag'
    | 'var-tfvars'
    | 'secret-flag'
    | 'local'
    | 'add-reader'
    | 'delete-resource'
    | 'taint';
  /** One line for reports: what was edited. */
  readonly description: string;
  readonly workspace: InjectWorkspace;
  readonly planArgs: readonly string[];
  readonly taint?: string;
}

const other = (w: string): string => `${w}-edited`;

/** Every edit kind that applies to `ws`, as an arbitrary over the choice inside it. */
export function editArb(ws: InjectWorkspace, provider: WorkspaceProvider = 'terraform_data'): fc.Arbitrary<WorkspaceEdit> {
  const t = typeOf(provider);
  const same = (kind: WorkspaceEdit['kind'], description: string, workspace: InjectWorkspace, planArgs: string[] = []): WorkspaceEdit => ({
    kind,
    description,
    workspace,
    planArgs,
  });
  const choices: fc.Arbitrary<WorkspaceEdit>[] = [
    fc.nat({ max: ws.roots.length - 1 }).map((i) =>
      same('root-attribute', `${t}.r${i}: literal ${ws.roots[i]?.value} -> ${other(ws.roots[i]?.value ?? '')}`, {
        ...ws,
        roots: ws.roots.map((r, j) => (j === i ? { ...r, value: other(r.value) } : r)),
      }),
    ),
    fc.constantFrom<'svc' | 'leaf'>('svc', 'leaf').map((which) =>
      which === 'svc'
        ? same('module-attribute', `modules/svc ${t}.a tag ${ws.svcTag} -> ${other(ws.svcTag)}`, { ...ws, svcTag: other(ws.svcTag) })
        : same('module-attribute', `modules/leaf tag (module.svc's leaf and module.pool) ${ws.leafTag} -> ${other(ws.leafTag)}`, { ...ws, leafTag: other(ws.leafTag) }),
    ),
    fc.constant(same('var-flag', `-var=label=${other(ws.label)}`, ws, [`-var=label=${other(ws.label)}`])),
    fc.constant(same('var-tfvars', `terraform.tfvars label ${ws.label} -> ${other(ws.label)}`, { ...ws, label: other(ws.label) })),
    fc.constant(same('secret-flag', `-var=secret=<new sensitive value>`, ws, [`-var=secret=${other(ws.secret)}`])),
    fc.constant(same('local', `local.prefix ${ws.prefix} -> ${other(ws.prefix)}`, { ...ws, prefix: other(ws.prefix) })),
    fc
      .constantFrom<ReaderSource>(...ws.roots.map((_, i) => `r${i}` as const), ...(ws.remote ? (['remote'] as const) : []), 'svc', 'vault')
      .map((of) => same('add-reader', `new reader resource reading ${of}`, { ...ws, reader: { of } })),
    fc.constantFrom(...instanceAddresses(ws, provider)).map((address) => ({ kind: 'taint' as const, description: `terraform taint ${address}`, workspace: ws, planArgs: [], taint: address })),
  ];
  const newKey = ['k1', 'k2', 'k3', 'eu', 'us', 'a b', 'é', 'new'].find((k) => !ws.svcKeys.includes(k)) as string;
  choices.push(fc.constant(same('add-key', `svc key ${ws.svcMode === 'count' ? `count ${ws.svcKeys.length} -> ${ws.svcKeys.length + 1}` : `+${newKey}`}`, { ...ws, svcKeys: [...ws.svcKeys, newKey] })));
  if (ws.svcKeys.length > 1)
    choices.push(
      fc.nat({ max: ws.svcKeys.length - 2 }).map((i) => {
        // NOTE: the first key is kept (module.pool and terraform_data.deep read it); count drops the last index.
        const drop = ws.svcMode === 'count' ? ws.svcKeys.length - 1 : i + 1;
        return same('remove-key', `svc key ${ws.svcMode === 'count' ? `count ${ws.svcKeys.length} -> ${ws.svcKeys.length - 1}` : `-${ws.svcKeys[drop]}`}`, {
          ...ws,
          svcKeys: ws.svcKeys.filter((_, j) => j !== drop),
        });
      }),
    );
  // Deletable: a root resource nothing reads (no later rN, not r0: module.svc and an output read it), or solo.
  const readBy = new Set(ws.roots.flatMap((r) => [...r.reads, ...(r.dependsOn === undefined ? [] : [r.dependsOn])]));
  const deletable = ws.roots.map((_, i) => i).filter((i) => i > 0 && i === ws.roots.length - 1 && !readBy.has(i));
  if (ws.solo) choices.push(fc.constant(same('delete-resource', `delete ${t}.solo`, { ...ws, solo: false })));
  for (const i of deletable)
    choices.push(fc.constant(same('delete-resource', `delete ${t}.r${i}`, { ...ws, roots: ws.roots.slice(0, i) })));
  return fc.oneof(...choices);
}

/** Applies the edit to an applied workspace in `dir`: rewrites the files, taints with the binary. */
export async function applyEdit(dir: string, binary: string, env: NodeJS.ProcessEnv, edit: WorkspaceEdit, options: RenderOptions = {}): Promise<void> {
  writeWorkspace(dir, edit.workspace, options);
  // NOTE: asynchronous, so an in-process sim keeps answering while the binary runs.
  if (edit.taint !== undefined) await execFileAsync(binary, ['taint', '-no-color', edit.taint], { cwd: dir, env, timeout: 60_000 });
}

/** A generated workspace with one edit of it. */
export interface WorkspaceCase {
  readonly workspace: InjectWorkspace;
  readonly edit: WorkspaceEdit;
}

/** A workspace and one edit of it. */
export function workspaceCaseArb(provider: WorkspaceProvider = 'terraform_data', features: WorkspaceFeatures = {}): fc.Arbitrary<WorkspaceCase> {
  return injectWorkspaceArb(features).chain((workspace) => editArb(workspace, provider).map((edit) => ({ workspace, edit })));
}
