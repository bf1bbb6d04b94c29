// The apply differential of `velocity apply` (issue 12): one generated edit applied by velocity in one copy of the
// applied base workspace and by a plain `terraform apply` in another; then a full plan of velocity's copy has nothing
// to do, and the merged state equals the full apply's up to generated ids. Guarantees: compareAppliedStates lists
// every difference the merge contract forbids (empty means equal), one readable line each, in a stable order.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { captureApply } from './apply-capture.js';
import { runCli } from './cli-harness.js';
import type { CaseOutcome } from './differential-property.js';
import { applyEdit, writeWorkspace, type RenderOptions, type WorkspaceCase, type WorkspaceProvider } from './inject-workspace-arb.js';
import { appliedBase, errorBlocks, runBinaryCase } from './plan-diff.js';
import { tfEnv } from './terraform-env.js';
import type { KnownSimObject } from './sim/sim-values.js';

/** One instance of a state document, as Terraform writes it (the fields the comparator reads; the rest kept). */
interface StateInstance {
  readonly index_key?: string | number;
  readonly attributes?: Record<string, unknown>;
  readonly dependencies?: readonly string[];
  readonly [field: string]: unknown;
}

interface StateEntry {
  readonly module?: string;
  readonly mode: string;
  readonly type: string;
  readonly name: string;
  readonly instances: readonly StateInstance[];
  readonly [field: string]: unknown;
}

/** A state document (version 4): the fields the apply differential compares. */
export interface StateDocument {
  readonly serial: number;
  readonly lineage: string;
  readonly outputs?: Readonly<Record<string, { readonly value: unknown; readonly type: unknown; readonly sensitive?: boolean }>>;
  readonly resources?: readonly StateEntry[];
}

/** The address of one instance: `module.m["k"].data.t.n[0]` (and `(deposed KEY)` for a deposed object). O(1). */
function addressOf(e: StateEntry, i: StateInstance): string {
  const key = i.index_key === undefined ? '' : `[${JSON.stringify(i.index_key)}]`;
  const deposed = typeof i['deposed'] === 'string' ? ` (deposed ${i['deposed']})` : '';
  return `${e.module === undefined ? '' : `${e.module}.`}${e.mode === 'data' ? 'data.' : ''}${e.type}.${e.name}${key}${deposed}`;
}

/** Every instance by address, with its entry's fields other than `instances` (provider, each) folded in. O(state). */
function instancesOf(doc: StateDocument): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const e of doc.resources ?? []) {
    const { instances, ...entry } = e;
    for (const i of instances) out.set(addressOf(e, i), { ...entry, instance: i });
  }
  return out;
}

/** Replaces every generated id (an instance's `id` attribute) in strings by `<id of ADDRESS>`. O(size × ids). */
function idMasker(doc: StateDocument): (v: unknown) => unknown {
  const ids: [string, string][] = [];
  for (const [address, x] of instancesOf(doc)) {
    const id = (x['instance'] as StateInstance).attributes?.['id'];
    if (typeof id === 'string' && id !== '') ids.push([id, `<id of ${address}>`]);
  }
  ids.sort((a, b) => b[0].length - a[0].length);
  const mask = (v: unknown): unknown => {
    if (typeof v === 'string') return ids.reduce((s, [id, placeholder]) => s.replaceAll(id, placeholder), v);
    if (Array.isArray(v)) return v.map(mask);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, mask(x)]));
    return v;
  };
  return mask;
}

/** An instance as compared: ids masked, dependencies sorted (their order is not part of the contract). */
function normalized(x: Record<string, unknown>, mask: (v: unknown) => unknown): Record<string, unknown> {
  const i = x['instance'] as StateInstance;
  const { attributes, dependencies, ...rest } = i;
  return {
    ...x,
    instance: { ...rest, attributes: mask(attributes), ...(dependencies === undefined ? {} : { dependencies: [...dependencies].sort() }) },
  };
}

const show = (v: unknown): string => JSON.stringify(v) ?? 'undefined';

/** The fields of two normalized instances that differ, one line each. O(size). */
function instanceDifferences(address: string, v: Record<string, unknown>, f: Record<string, unknown>): string[] {
  const diffs: string[] = [];
  const vi = v['instance'] as Record<string, unknown>;
  const fi = f['instance'] as Record<string, unknown>;
  for (const k of [...new Set([...Object.keys(v), ...Object.keys(f)])].filter((k) => k !== 'instance').sort())
    if (!isDeepStrictEqual(v[k], f[k])) diffs.push(`${address}: ${k} ${show(v[k])}, full apply ${show(f[k])}`);
  for (const k of [...new Set([...Object.keys(vi), ...Object.keys(fi)])].sort()) {
    if (k === 'attributes') {
      const va = (vi[k] ?? {}) as Record<string, unknown>;
      const fa = (fi[k] ?? {}) as Record<string, unknown>;
      for (const a of [...new Set([...Object.keys(va), ...Object.keys(fa)])].sort())
        if (!isDeepStrictEqual(va[a], fa[a])) diffs.push(`${address}: attribute ${a} ${show(va[a])}, full apply ${show(fa[a])}`);
    } else if (!isDeepStrictEqual(vi[k], fi[k])) diffs.push(`${address}: ${k} ${show(vi[k])}, full apply ${show(fi[k])}`);
  }
  return diffs;
}

/** The states compareAppliedStates reads; `before*` are the states each copy had just before its apply. */
export interface AppliedStates {
  /** Velocity's copy before and after `velocity apply` (namespace normalized). */
  readonly beforeVelocity: StateDocument;
  readonly velocity: StateDocument;
  /** The full apply's copy before and after `terraform apply` (namespace normalized). */
  readonly beforeFull: StateDocument;
  readonly full: StateDocument;
  /** Velocity's copy's state text before and after, verbatim (the merge contract is byte-wise). */
  readonly beforeVelocityText: string;
  readonly velocityText: string;
  /**
   * `false`: the binary wrote velocity's state itself (target and full mode), so its serial may have moved by more
   * than one. @default true: an inject-mode merge, exactly one serial for a change and none without one
   */
  readonly merged?: boolean;
}

/**
 * Differences between velocity's applied state and the full apply's, one readable line each, sorted: the same
 * instances; per instance every field equal (attributes with generated ids masked, dependencies sorted); the same
 * root outputs (value, type, sensitive; ids masked); velocity's lineage kept and its serial + 1 exactly when its
 * state changed (merged; else at least that); and every instance the full apply left as it was is byte-identical (its JSON) in velocity's state
 * to its JSON before ("everything else unchanged"). O(state size × ids).
 */
export function compareAppliedStates(s: AppliedStates): string[] {
  const diffs: string[] = [];
  const maskV = idMasker(s.velocity);
  const maskF = idMasker(s.full);
  const v = instancesOf(s.velocity);
  const f = instancesOf(s.full);
  for (const [address, x] of v) {
    const y = f.get(address);
    if (y === undefined) diffs.push(`${address}: in velocity's state but not in the full apply's`);
    else diffs.push(...instanceDifferences(address, normalized(x, maskV), normalized(y, maskF)));
  }
  for (const address of f.keys()) if (!v.has(address)) diffs.push(`${address}: in the full apply's state but not in velocity's`);

  const vo = s.velocity.outputs ?? {};
  const fo = s.full.outputs ?? {};
  for (const name of [...new Set([...Object.keys(vo), ...Object.keys(fo)])]) {
    const a = vo[name];
    const b = fo[name];
    if (a === undefined || b === undefined) diffs.push(`output.${name}: ${a === undefined ? 'missing' : 'present'} in velocity's state, ${b === undefined ? 'missing' : 'present'} in the full apply's`);
    else if (!isDeepStrictEqual(maskV(a), maskF(b))) diffs.push(`output.${name}: ${show(maskV(a))}, full apply ${show(maskF(b))}`);
  }

  // The merge contract: what the full apply did not change, velocity's merge left byte for byte.
  const beforeV = instancesOf(JSON.parse(s.beforeVelocityText) as StateDocument);
  const afterV = instancesOf(JSON.parse(s.velocityText) as StateDocument);
  const beforeF = instancesOf(s.beforeFull);
  for (const [address, before] of beforeF) {
    if (!isDeepStrictEqual(before, f.get(address))) continue;
    const was = beforeV.get(address);
    const now = afterV.get(address);
    if (was !== undefined && show(was) !== show(now))
      diffs.push(`${address}: the full apply left it unchanged but velocity's state changed it: ${show(now)}, before ${show(was)}`);
  }

  if (s.velocity.lineage !== s.beforeVelocity.lineage) diffs.push(`lineage ${s.velocity.lineage}, before the apply ${s.beforeVelocity.lineage}`);
  const changed = !isDeepStrictEqual(s.velocity.resources, s.beforeVelocity.resources) || !isDeepStrictEqual(s.velocity.outputs, s.beforeVelocity.outputs);
  const serial = s.beforeVelocity.serial + (changed ? 1 : 0);
  if (s.merged === false) {
    // NOTE: the binary writing its own state persists intermediate snapshots: each one is a serial.
    if (s.velocity.serial < serial) diffs.push(`serial ${s.velocity.serial}, expected at least ${serial} (${changed ? 'changed' : 'unchanged'}; ${s.beforeVelocity.serial} before the apply)`);
  } else if (s.velocity.serial !== serial) diffs.push(`serial ${s.velocity.serial}, expected ${serial} (${changed ? 'changed' : 'unchanged'}; ${s.beforeVelocity.serial} before the apply)`);
  return diffs.sort();
}

/** What one apply differential case gave. */
export interface ApplyDifferentialOutcome extends CaseOutcome {
  /** Velocity's copy (`dir`) and the full apply's copy: both kept on a difference, else removed. */
  readonly fullDir: string;
  readonly velocityExitCode: number;
  /** `terraform plan -detailed-exitcode` in velocity's copy after its apply. */
  readonly planExitCode: number;
  /** The merge of an inject-mode apply (`written`, `unchanged`), or undefined. */
  readonly merge: string | undefined;
}

export interface ApplyDifferentialOptions {
  /** Velocity's mode: `inject` for the differential; `full` validates the harness itself. @default 'inject' */
  readonly mode?: 'inject' | 'full' | 'target' | 'auto';
  /** Record the ledger before the edit (`velocity ledger record`) in velocity's copy. */
  readonly ledger: boolean;
  /** Keep both copies even when the case passes. @default false */
  readonly keep?: boolean;
  /** @default 'terraform_data' */
  readonly provider?: WorkspaceProvider;
  /** Added to the binary's and velocity's environment (the sim's TF_REATTACH_PROVIDERS). */
  readonly env?: Readonly<Record<string, string>>;
  /** sim: the cloud's objects (SimServer.objects), to check each copy's state against what its apply made. */
  readonly cloud?: () => Promise<readonly KnownSimObject[]>;
}

/**
 * sim: differences between a copy's state and the cloud objects of its namespace, one line each: every
 * `sim_resource` instance is the cloud object with its id (name, inputs, value), and every object of the namespace
 * is in the state (an object the apply made but the state lost, or one it should have destroyed). O(objects).
 */
export function compareWithCloud(label: string, doc: StateDocument, namespace: string, objects: readonly KnownSimObject[]): string[] {
  const diffs: string[] = [];
  const mine = objects.filter((o) => o.name.startsWith(`${namespace}/`));
  const byId = new Map(mine.map((o) => [o.id, o]));
  const seen = new Set<string>();
  for (const [address, x] of instancesOf(doc)) {
    if (x['type'] !== 'sim_resource' || x['mode'] !== 'managed') continue;
    const a = (x['instance'] as StateInstance).attributes ?? {};
    const id = String(a['id']);
    seen.add(id);
    const o = byId.get(id);
    const inState = { id, name: a['name'], inputs: a['inputs'] ?? null, value: a['value'] ?? null };
    if (o === undefined) diffs.push(`${label}: ${address} (${id}) is not in the sim cloud`);
    else if (!isDeepStrictEqual(inState, { id: o.id, name: o.name, inputs: o.inputs, value: o.value })) diffs.push(`${label}: ${address} is ${show(inState)} in the state, ${show(o)} in the sim cloud`);
  }
  for (const o of mine) if (!seen.has(o.id)) diffs.push(`${label}: the sim cloud holds ${o.id}, which the state does not`);
  return diffs.sort();
}

let copies = 0;

/**
 * A copy of the applied base as a workspace of its own. sim: its state and files are moved to a namespace of its own
 * (`<base>-<tag><n>`), so its apply changes only its own sim objects (the sim adopts the unseen ids from the state
 * on their first read) and never the base's, which later cases copy. Cost: one copy, O(state) rewrite.
 */
async function ownCopy(c: WorkspaceCase, binary: string, env: NodeJS.ProcessEnv, provider: WorkspaceProvider, tag: string): Promise<{ dir: string; render: RenderOptions }> {
  const { dir, render } = await appliedBase(c, binary, env, provider);
  rmSync(join(dir, 'terraform.tfstate.backup'), { force: true });
  if (provider !== 'sim' || render.namespace === undefined) return { dir, render };
  const own: RenderOptions = { ...render, namespace: `${render.namespace}-${tag}${copies++}` };
  const statePath = join(dir, 'terraform.tfstate');
  writeFileSync(statePath, readFileSync(statePath, 'utf8').replaceAll(render.namespace, own.namespace as string));
  writeWorkspace(dir, c.workspace, own);
  return { dir, render: own };
}

/** The state in `dir` parsed, with the copy's namespace (sim) replaced by `<ns>` so the two copies compare. */
function readState(dir: string, render: RenderOptions): { text: string; doc: StateDocument } {
  const text = readFileSync(join(dir, 'terraform.tfstate'), 'utf8');
  const ns = render.namespace;
  return { text, doc: JSON.parse(ns === undefined ? text : text.replaceAll(ns, '<ns>')) as StateDocument };
}

/** The `# ADDRESS ...` lines of a plan's text output (what it would still change), joined; at most 10. O(output). */
function plannedLines(text: string): string {
  return text.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('# ')).slice(0, 10).join('; ');
}

/**
 * Runs one case: two copies of the applied base (init + apply once per distinct base), the edit in each (its
 * taint run by the binary); in one `velocity apply -auto-approve` (the ledger recorded before the edit when asked),
 * in the other `terraform apply -auto-approve`; then `terraform plan -detailed-exitcode` in velocity's copy, and
 * compareAppliedStates. Cost: a base apply when new, two taints at most, two applies, a plan, velocity's probe.
 */
export async function runApplyDifferentialCase(c: WorkspaceCase, binary: string, options: ApplyDifferentialOptions): Promise<ApplyDifferentialOutcome> {
  const provider = options.provider ?? 'terraform_data';
  const env = tfEnv({ ...options.env });
  const a = await ownCopy(c, binary, env, provider, 'v');
  const b = await ownCopy(c, binary, env, provider, 'f');
  const cacheDir = mkdtempSync(join(tmpdir(), 'velocity-apply-cache-'));
  const envA = { ...env, VELOCITY_CACHE_DIR: cacheDir };
  let keep = options.keep ?? false;
  try {
    if (options.ledger) {
      const r = await runCli(['ledger', 'record', '--state', 'terraform.tfstate', '--dir', '.'], { cwd: a.dir, env: envA });
      if (r.code !== 0) throw new Error(`velocity ledger record exited ${r.code}: ${r.stderr}`);
    }
    await applyEdit(a.dir, binary, envA, c.edit, a.render);
    await applyEdit(b.dir, binary, env, c.edit, b.render);
    const beforeA = readState(a.dir, a.render);
    const beforeB = readState(b.dir, b.render);

    const mode = options.mode ?? 'inject';
    const { result, stdout, stderr } = await captureApply({
      cwd: a.dir,
      env: envA,
      binary,
      planArgs: ['-auto-approve', '-no-color', '-input=false', ...c.edit.planArgs],
      mode,
      ...(mode === 'full' ? { strategy: 'full' as const } : {}),
    });
    const full = await runBinaryCase(binary, ['apply', '-auto-approve', '-no-color', '-input=false', ...c.edit.planArgs], b.dir, env);
    if (full.code !== 0) throw new Error(`the full apply failed (${full.code}): ${full.stderr}${full.stdout}`);

    const differences: string[] = [];
    if (result.exitCode !== 0) {
      const said = errorBlocks(`${stderr}\n${stdout}`);
      differences.push(`velocity apply exited ${result.exitCode}${said === '' ? '' : `; the binary said: ${said}`}`);
    }
    const plan = await runBinaryCase(binary, ['plan', '-detailed-exitcode', '-input=false', '-no-color', ...c.edit.planArgs], a.dir, env);
    if (plan.code !== 0)
      differences.push(`a full plan after velocity's apply exited ${plan.code}: ${plan.code === 2 ? plannedLines(plan.stdout) : errorBlocks(`${plan.stderr}\n${plan.stdout}`)}`);
    const afterA = readState(a.dir, a.render);
    const afterB = readState(b.dir, b.render);
    differences.push(
      ...compareAppliedStates({
        beforeVelocity: beforeA.doc, velocity: afterA.doc, beforeFull: beforeB.doc, full: afterB.doc, beforeVelocityText: beforeA.text, velocityText: afterA.text,
        merged: result.execution === 'inject',
      }),
    );
    if (options.cloud !== undefined && a.render.namespace !== undefined && b.render.namespace !== undefined) {
      // NOTE: after the full plan in velocity's copy, which refreshed (so adopted) every object of its state.
      const objects = await options.cloud();
      differences.push(...compareWithCloud("velocity's copy", JSON.parse(afterA.text) as StateDocument, a.render.namespace, objects));
      differences.push(...compareWithCloud("the full apply's copy", JSON.parse(afterB.text) as StateDocument, b.render.namespace, objects));
    }
    if (differences.length > 0) keep = true;
    const run = result.run;
    const detection = run?.detection;
    return {
      dir: a.dir,
      fullDir: b.dir,
      alsoKept: `the full apply's copy in ${b.dir}`,
      execution: result.execution,
      fallbackReason: run?.injectFallback ?? run?.fallbackReason,
      differences,
      detection: detection ? `${detection.source}: ${detection.changed.join(' ')}${detection.note ? ` (${detection.note})` : ''}` : 'none',
      velocityExitCode: result.exitCode,
      planExitCode: plan.code,
      merge: result.merge?.kind,
    };
  } catch (error) {
    keep = true;
    throw new Error(`${(error as Error).message}\n(velocity's copy kept in ${a.dir}, the full apply's in ${b.dir})`);
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
    if (!keep) for (const d of [a.dir, b.dir]) rmSync(d, { recursive: true, force: true });
  }
}
