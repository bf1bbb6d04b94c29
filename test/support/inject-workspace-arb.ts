// fast-check arbitraries of small Terraform workspaces built only from `terraform_data` and the built-in
// `terraform_remote_state` (offline), and of random edits to them, for the inject-mode differential test.
// Guarantees: every generated workspace and every edited one is valid HCL that init/apply/plan accept; 5–30 instances.

import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import fc from 'fast-check';

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
  /** An extra root resource added by an edit: reads one out-of-cone object. */
  readonly reader?: { readonly of: string };
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

/** Small workspaces: 1–4 root resources, a keyed svc module with a nested module, a count module, 5–30 instances. */
export function injectWorkspaceArb(): fc.Arbitrary<InjectWorkspace> {
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
    );
}

/** Instances the workspace holds after apply (the data source not counted). O(size). */
export function instanceAddresses(ws: InjectWorkspace): string[] {
  const out: string[] = [];
  ws.roots.forEach((_, i) => out.push(`terraform_data.r${i}`));
  out.push('terraform_data.consumer', 'terraform_data.deep', 'terraform_data.vault');
  if (ws.solo) out.push('terraform_data.solo');
  if (ws.reader) out.push('terraform_data.reader');
  for (const m of svcInstances(ws)) {
    out.push(`${m}.terraform_data.a`, `${m}.terraform_data.cred`, `${m}.module.leaf.terraform_data.x`);
    for (let b = 0; b < ws.bCount; b++) out.push(`${m}.terraform_data.b[${b}]`);
  }
  for (let p = 0; p < ws.poolCount; p++) out.push(`module.pool[${p}].terraform_data.x`);
  return out.sort();
}

const hcl = (s: string): string => JSON.stringify(s);

/** `module.svc[...]` for every svc instance, in key order. */
export function svcInstances(ws: InjectWorkspace): string[] {
  if (ws.svcMode === 'count') return ws.svcKeys.map((_, i) => `module.svc[${i}]`);
  return [...ws.svcKeys].sort().map((k) => `module.svc[${hcl(k)}]`);
}

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

/** The workspace's files (paths relative to the workspace), HCL text. O(size). */
export function renderWorkspace(ws: InjectWorkspace): Record<string, string> {
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
  const main = [
    'terraform {\n  required_version = ">= 1.5"\n}',
    'variable "label" {\n  type = string\n}',
    `variable "secret" {\n  type      = string\n  sensitive = true\n  default   = ${hcl(ws.secret)}\n}`,
    svcVar,
    `locals {\n  prefix = ${hcl(ws.prefix)}\n}`,
    ...(ws.remote
      ? ['data "terraform_remote_state" "up" {\n  backend = "local"\n  config = {\n    path = "${path.module}/upstream.tfstate"\n  }\n}']
      : []),
    ...ws.roots.map((r, i) => rootBlock(ws, r, i)),
    ['module "svc" {', '  source = "./modules/svc"', ...repeat, '  seed    = terraform_data.r0.output.v', '  secret  = var.secret', `  b_count = ${ws.bCount}`, '}'].join('\n'),
    `module "pool" {\n  source = "./modules/leaf"\n  count  = ${ws.poolCount}\n  in     = "\${local.prefix}-\${${firstSvc(ws)}.out}"\n  tag    = ${hcl(ws.leafTag)}\n}`,
    'resource "terraform_data" "consumer" {\n  input = { for k, m in module.svc : k => m.out }\n}',
    `resource "terraform_data" "deep" {\n  input      = ${firstSvc(ws)}.leaf\n  depends_on = [module.pool]\n}`,
    'resource "terraform_data" "vault" {\n  input = { user = var.label, token = var.secret }\n}',
    ...(ws.solo ? ['resource "terraform_data" "solo" {\n  input = "solo"\n}'] : []),
    ...(ws.reader ? [`resource "terraform_data" "reader" {\n  input = ${ws.reader.of}\n}`] : []),
    'output "r0" {\n  value = terraform_data.r0.output\n}',
    'output "leaves" {\n  value = { for k, m in module.svc : k => m.leaf }\n}',
    'output "pool" {\n  value = module.pool[*].x\n}',
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
    'terraform.tfvars': `label = ${hcl(ws.label)}\nsvc   = ${svcValue}\n`,
    'modules/svc/main.tf': `${svc.join('\n\n')}\n`,
    'modules/leaf/main.tf': `${leaf.join('\n\n')}\n`,
    ...(ws.remote ? { 'upstream.tfstate': upstreamState() } : {}),
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
export function writeWorkspace(dir: string, ws: InjectWorkspace): void {
  for (const [path, text] of Object.entries(renderWorkspace(ws))) {
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
export function editArb(ws: InjectWorkspace): fc.Arbitrary<WorkspaceEdit> {
  const same = (kind: WorkspaceEdit['kind'], description: string, workspace: InjectWorkspace, planArgs: string[] = []): WorkspaceEdit => ({
    kind,
    description,
    workspace,
    planArgs,
  });
  const choices: fc.Arbitrary<WorkspaceEdit>[] = [
    fc.nat({ max: ws.roots.length - 1 }).map((i) =>
      same('root-attribute', `terraform_data.r${i}: input.v ${ws.roots[i]?.value} -> ${other(ws.roots[i]?.value ?? '')}`, {
        ...ws,
        roots: ws.roots.map((r, j) => (j === i ? { ...r, value: other(r.value) } : r)),
      }),
    ),
    fc.constantFrom<'svc' | 'leaf'>('svc', 'leaf').map((which) =>
      which === 'svc'
        ? same('module-attribute', `modules/svc terraform_data.a tag ${ws.svcTag} -> ${other(ws.svcTag)}`, { ...ws, svcTag: other(ws.svcTag) })
        : same('module-attribute', `modules/leaf tag (module.svc's leaf and module.pool) ${ws.leafTag} -> ${other(ws.leafTag)}`, { ...ws, leafTag: other(ws.leafTag) }),
    ),
    fc.constant(same('var-flag', `-var=label=${other(ws.label)}`, ws, [`-var=label=${other(ws.label)}`])),
    fc.constant(same('var-tfvars', `terraform.tfvars label ${ws.label} -> ${other(ws.label)}`, { ...ws, label: other(ws.label) })),
    fc.constant(same('secret-flag', `-var=secret=<new sensitive value>`, ws, [`-var=secret=${other(ws.secret)}`])),
    fc.constant(same('local', `local.prefix ${ws.prefix} -> ${other(ws.prefix)}`, { ...ws, prefix: other(ws.prefix) })),
    fc
      .constantFrom(
        ...ws.roots.map((_, i) => `terraform_data.r${i}.output`),
        'data.terraform_remote_state.up.outputs.cidr',
        `${firstSvc(ws)}.out`,
        'terraform_data.vault.id',
      )
      .filter((of) => ws.remote || !of.startsWith('data.'))
      .map((of) => same('add-reader', `new terraform_data.reader reading ${of}`, { ...ws, reader: { of } })),
    fc.constantFrom(...instanceAddresses(ws)).map((address) => ({ kind: 'taint' as const, description: `terraform taint ${address}`, workspace: ws, planArgs: [], taint: address })),
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
  if (ws.solo) choices.push(fc.constant(same('delete-resource', 'delete terraform_data.solo', { ...ws, solo: false })));
  for (const i of deletable)
    choices.push(fc.constant(same('delete-resource', `delete terraform_data.r${i}`, { ...ws, roots: ws.roots.slice(0, i) })));
  return fc.oneof(...choices);
}

/** Applies the edit to an applied workspace in `dir`: rewrites the files, taints with the binary. */
export function applyEdit(dir: string, binary: string, env: NodeJS.ProcessEnv, edit: WorkspaceEdit): void {
  writeWorkspace(dir, edit.workspace);
  if (edit.taint !== undefined) execFileSync(binary, ['taint', '-no-color', edit.taint], { cwd: dir, env, stdio: 'pipe', timeout: 60_000 });
}

/** A generated workspace with one edit of it. */
export interface WorkspaceCase {
  readonly workspace: InjectWorkspace;
  readonly edit: WorkspaceEdit;
}

/** A workspace and one edit of it. */
export function workspaceCaseArb(): fc.Arbitrary<WorkspaceCase> {
  return injectWorkspaceArb().chain((workspace) => editArb(workspace).map((edit) => ({ workspace, edit })));
}
