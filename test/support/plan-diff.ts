// The differential oracle of inject mode: a full `terraform plan` of an edited workspace against velocity's plan of
// the same edit (inject mode read from its sub-workspace), and the comparator of the two `show -json` documents.
// Guarantees: comparePlans lists every difference the contract forbids (empty means equal), in a stable order.

import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual, promisify } from 'node:util';
import { runCli } from './cli-harness.js';
import { capturePlan } from './plan-capture.js';
import { applyEdit, writeWorkspace, type RenderOptions, type WorkspaceCase, type WorkspaceProvider } from './inject-workspace-arb.js';
import { tfEnv } from './terraform-env.js';
import type { VelocityPlanOptions } from '../../src/plan/velocity-plan.js';

const execFileAsync = promisify(execFile);

/** One entry of a plan document's resource_changes (the fields compared). */
export interface ResourceChange {
  readonly address: string;
  readonly change: { readonly actions: readonly string[]; readonly after?: unknown; readonly after_unknown?: unknown; readonly after_sensitive?: unknown };
}

/** One entry of a plan document's output_changes. */
export interface OutputChange {
  readonly actions: readonly string[];
  readonly after?: unknown;
  readonly after_unknown?: unknown;
  readonly after_sensitive?: unknown;
}

/** The parts of `show -json PLAN` the differential compares. */
export interface PlanDocument {
  readonly resource_changes?: readonly ResourceChange[];
  readonly output_changes?: Readonly<Record<string, OutputChange>>;
}

const isNoOp = (actions: readonly string[]): boolean => actions.every((a) => a === 'no-op');
const show = (v: unknown): string => JSON.stringify(v) ?? 'undefined';
const FIELDS = ['after', 'after_unknown', 'after_sensitive'] as const;

/**
 * Differences between a full plan and a scoped (inject) plan of the same change, one readable line each, sorted:
 * every resource the scoped plan has must equal the full plan's (actions, after, after_unknown, after_sensitive);
 * every resource the full plan changes must be in the scoped plan; every output the full plan changes must be in
 * the scoped plan, equal; outputs in both must be equal (`outputs: false` skips outputs: a `-target` plan leaves
 * out root outputs that read no target, by Terraform's design). O(resources + outputs) plus the size of the values.
 */
export function comparePlans(full: PlanDocument, scoped: PlanDocument, options: { readonly outputs?: boolean } = {}): string[] {
  const diffs: string[] = [];
  const fullByAddress = new Map((full.resource_changes ?? []).map((r) => [r.address, r]));
  const scopedByAddress = new Map((scoped.resource_changes ?? []).map((r) => [r.address, r]));
  for (const [address, s] of scopedByAddress) {
    const f = fullByAddress.get(address);
    if (!f) {
      diffs.push(`${address}: in the scoped plan (${s.change.actions.join(',')}) but not in the full plan`);
      continue;
    }
    if (!isDeepStrictEqual(f.change.actions, s.change.actions)) diffs.push(`${address}: actions ${show(s.change.actions)}, full plan ${show(f.change.actions)}`);
    for (const k of FIELDS)
      if (!isDeepStrictEqual(f.change[k], s.change[k])) diffs.push(`${address}: ${k} ${show(s.change[k])}, full plan ${show(f.change[k])}`);
  }
  for (const [address, f] of fullByAddress)
    if (!isNoOp(f.change.actions) && !scopedByAddress.has(address))
      diffs.push(`${address}: the full plan changes it (${f.change.actions.join(',')}) but it is not in the scoped plan (outside velocity's cone)`);
  if (options.outputs === false) return diffs.sort();
  const fullOutputs = full.output_changes ?? {};
  const scopedOutputs = scoped.output_changes ?? {};
  for (const [name, f] of Object.entries(fullOutputs)) {
    const s = scopedOutputs[name];
    if (s === undefined) {
      if (!isNoOp(f.actions)) diffs.push(`output.${name}: the full plan changes it (${f.actions.join(',')}) but it is not in the scoped plan`);
      continue;
    }
    if (!isDeepStrictEqual(f.actions, s.actions)) diffs.push(`output.${name}: actions ${show(s.actions)}, full plan ${show(f.actions)}`);
    for (const k of FIELDS) if (!isDeepStrictEqual(f[k], s[k])) diffs.push(`output.${name}: ${k} ${show(s[k])}, full plan ${show(f[k])}`);
  }
  for (const [name, s] of Object.entries(scopedOutputs))
    if (fullOutputs[name] === undefined) diffs.push(`output.${name}: in the scoped plan (${s.actions.join(',')}) but not in the full plan`);
  return diffs.sort();
}

/** What one differential case gave. */
export interface DifferentialOutcome {
  /** The workspace directory (kept when `keep` or on a failure, else removed). */
  readonly dir: string;
  /** What velocity really ran (`result.execution`, or `mode` before inject mode existed). */
  readonly execution: string;
  readonly fallbackReason: string | undefined;
  readonly fullExitCode: number;
  readonly velocityExitCode: number;
  /** comparePlans(full, velocity), plus an exit-code mismatch if any. Empty: sound. */
  readonly differences: readonly string[];
  /** The refresh set velocity reported. */
  readonly refreshed: readonly string[];
  readonly detection: string;
}

export interface DifferentialOptions {
  /** Velocity's mode: `inject` for the differential; `full` validates the harness itself. */
  readonly mode: 'inject' | 'full' | 'target' | 'auto';
  /** Record the ledger after the base apply (`velocity ledger record`), so detection compares fingerprints. */
  readonly ledger: boolean;
  /** Keep the workspace even when the case passes. @default false */
  readonly keep?: boolean;
  /** @default 'terraform_data' */
  readonly provider?: WorkspaceProvider;
  /** Added to the binary's and velocity's environment (the sim's TF_REATTACH_PROVIDERS). */
  readonly env?: Readonly<Record<string, string>>;
}

/** Runs the binary (180 s at most) and returns its exit code and output instead of throwing. O(its run). */
export async function runBinaryCase(binary: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(binary, args, { cwd, env, maxBuffer: 64 << 20, timeout: 180_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number | string; stdout?: string; stderr?: string; message: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: `${e.stderr ?? ''}${e.message}` };
  }
}

/** runBinaryCase, throwing with the output unless the exit code is in `ok`. */
export async function mustBinaryCase(binary: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv, ok: readonly number[] = [0]): Promise<string> {
  const r = await runBinaryCase(binary, args, cwd, env);
  if (!ok.includes(r.code)) throw new Error(`${binary} ${args.join(' ')} in ${cwd} exited ${r.code}: ${r.stderr}${r.stdout}`);
  return r.stdout;
}

/** The binary's `Error:` paragraphs (up to 3, 8 lines each) from its output, joined on one line. O(output). */
export function errorBlocks(text: string): string {
  const lines = text.split('\n').map((l) => l.replace(/^[│╷╵]\s?/, '').trimEnd());
  const blocks: string[] = [];
  for (let i = 0; i < lines.length && blocks.length < 3; i++)
    if ((lines[i] as string).startsWith('Error: ')) blocks.push(lines.slice(i, i + 8).filter((l) => l !== '').join(' | '));
  return blocks.join(' || ');
}

/** Applied base workspaces by provider and spec: init + apply once, copied for each case that shares it. */
const baseCache = new Map<string, { dir: string; render: RenderOptions }>();

/**
 * A fresh directory holding the applied base workspace of `c` (from the cache when already applied), and how it
 * was rendered. Cost: one init + apply the first time, a copy after. NOTE: cases sharing a base only plan, so the
 * sim objects of its namespace are never changed (an applying caller moves its copy to its own namespace first).
 */
export async function appliedBase(c: WorkspaceCase, binary: string, env: NodeJS.ProcessEnv, provider: WorkspaceProvider): Promise<{ dir: string; render: RenderOptions }> {
  const key = `${provider}:${JSON.stringify(c.workspace)}`;
  let base = baseCache.get(key);
  if (base === undefined) {
    const render: RenderOptions = { provider, namespace: `w${baseCache.size}-${process.pid}` };
    const dir = mkdtempSync(join(tmpdir(), 'velocity-inject-base-'));
    writeWorkspace(dir, c.workspace, render);
    // NOTE: the sim is reattached and modules.json is written: no init (it would look for the sim in a registry).
    if (provider !== 'sim') await mustBinaryCase(binary, ['init', '-input=false', '-no-color'], dir, env);
    await mustBinaryCase(binary, ['apply', '-auto-approve', '-input=false', '-no-color'], dir, env);
    base = { dir, render };
    baseCache.set(key, base);
  }
  const dir = mkdtempSync(join(tmpdir(), 'velocity-inject-case-'));
  cpSync(base.dir, dir, { recursive: true });
  return { dir, render: base.render };
}

/** Removes the applied base workspaces cached by runDifferentialCase. */
export function clearDifferentialCache(): void {
  for (const b of baseCache.values()) rmSync(b.dir, { recursive: true, force: true });
  baseCache.clear();
}

/**
 * Runs one case: applies the base workspace with the real binary (init offline, apply), optionally records the
 * ledger, applies the edit, then plans it in full with the binary and with velocity (default detection, no
 * --changed), and compares the two plans. Cost: one init + apply per distinct base workspace, two plans, a probe.
 */
export async function runDifferentialCase(c: WorkspaceCase, binary: string, options: DifferentialOptions): Promise<DifferentialOutcome> {
  const cacheDir = mkdtempSync(join(tmpdir(), 'velocity-inject-cache-'));
  const env = tfEnv({ ...options.env, VELOCITY_CACHE_DIR: cacheDir });
  const { dir, render } = await appliedBase(c, binary, env, options.provider ?? 'terraform_data');
  let keep = options.keep ?? false;
  try {
    if (options.ledger) {
      const r = await runCli(['ledger', 'record', '--state', 'terraform.tfstate', '--dir', '.'], { cwd: dir, env });
      if (r.code !== 0) throw new Error(`velocity ledger record exited ${r.code}: ${r.stderr}`);
    }
    await applyEdit(dir, binary, env, c.edit, render);
    const fullFile = join(dir, 'full.tfplan');
    const plans = join(dir, 'plans');
    mkdirSync(plans, { recursive: true });
    const velocityFile = join(plans, 'velocity.tfplan');
    const full = await runBinaryCase(binary, ['plan', '-input=false', '-no-color', '-detailed-exitcode', `-out=${fullFile}`, ...c.edit.planArgs], dir, env);
    if (full.code !== 0 && full.code !== 2) throw new Error(`the full plan failed (${full.code}): ${full.stderr}${full.stdout}`);
    const fullDoc = JSON.parse(await mustBinaryCase(binary, ['show', '-json', fullFile], dir, env)) as PlanDocument;

    const planOptions: VelocityPlanOptions & { mode?: string } = {
      cwd: dir,
      env,
      binary,
      planArgs: [...c.edit.planArgs, '-detailed-exitcode', '-no-color', `-out=${velocityFile}`],
      mode: options.mode,
      ...(options.mode === 'full' ? { strategy: 'full' as const } : {}),
    };
    const { result, stdout, stderr } = await capturePlan(planOptions);
    const r = result as typeof result & { execution?: string };
    // NOTE: main reports an inject run as mode 'optimized' with its kept subWorkspace (no `execution` field yet).
    const execution = r.execution ?? (r.subWorkspace !== undefined ? 'inject' : r.mode === 'optimized' ? 'target' : r.mode);
    const differences: string[] = [];
    if (r.exitCode !== full.code) {
      const said = errorBlocks(`${stderr}\n${stdout}`);
      differences.push(`exit code ${r.exitCode}, full plan ${full.code}${said === '' ? '' : `; the binary said: ${said}`}`);
    }
    if (r.exitCode === 0 || r.exitCode === 2) {
      const showDir = execution === 'inject' && r.subWorkspace !== undefined ? r.subWorkspace : dir;
      const shown = await runBinaryCase(binary, [`-chdir=${showDir}`, 'show', '-json', velocityFile], dir, env);
      if (shown.code !== 0) differences.push(`show -json of velocity's plan failed in ${showDir}: ${shown.stderr}`);
      // NOTE: a -target plan (the fallback) omits root outputs that read no target: Terraform's -target semantics.
      else differences.push(...comparePlans(fullDoc, JSON.parse(shown.stdout) as PlanDocument, { outputs: execution !== 'target' }));
    }
    if (differences.length > 0) keep = true;
    return {
      dir,
      execution,
      fallbackReason: r.injectFallback ?? r.fallbackReason,
      fullExitCode: full.code,
      velocityExitCode: r.exitCode,
      differences,
      refreshed: r.scope?.refresh ?? [],
      detection: r.detection ? `${r.detection.source}: ${r.detection.changed.join(' ')}${r.detection.note ? ` (${r.detection.note})` : ''}` : 'none',
    };
  } catch (error) {
    keep = true;
    throw new Error(`${(error as Error).message}\n(workspace kept in ${dir})`);
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}
