// `velocityApply`: the scoped apply as one library call, composed of the plan pipeline's steps: preparePlan (`apply`)
// → lock `scope.refresh` → executeApply (the binary's apply; in inject mode the merge of the sub-workspace's state into
// the real one; the ledger). A saved plan (`velocity plan -out=F`) is applied where it was planned.
// Guarantees: the exit code is the binary's; an applied sub-state is merged or kept (its directory named), never lost.

import { rmSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { UsageError, VelocityError } from '../errors.js';
import { readSubWorkspaceManifest } from '../inject/sub-workspace-manifest.js';
import { newLockInfo } from '../lock/lock-info.js';
import { executePlan, subEnv, type ExecutePlanOptions } from '../plan/execute-plan.js';
import { PlanReporter } from '../plan/plan-reporter.js';
import { preparePlan } from '../plan/prepare-plan.js';
import { recordPlanRefreshes } from '../plan/record-plan-refreshes.js';
import type { PlanResult, PreparedPlan } from '../plan/prepared-plan.js';
import { coversEveryChange, recordLedger, type LedgerOutcome } from '../plan/record-ledger.js';
import { findSavedPlan, forgetSavedPlan } from '../plan/saved-plans.js';
import type { VelocityPlanOptions } from '../plan/velocity-plan.js';
import { withResourceLocks, type LockScope } from '../plan/with-resource-locks.js';
import { writePlanReport } from '../plan/write-plan-report.js';
import { findBinary } from '../tf/find-binary.js';
import { splitPlanArgs, type BinaryPlanFlags } from '../tf/plan-args.js';
import { runBinary, type OutputStream } from '../tf/run-binary.js';
import { holdRealState } from './hold-real-state.js';
import type { LocalFileLease } from '../lock/local-file-lock-adapter.js';
import type { CommitResult, StateTarget } from './commit-sub-state.js';
import { detectVelocityBackend, type VelocityBackend } from '../serve/detect-velocity-backend.js';
import { withServeLocks } from '../plan/with-serve-locks.js';
import { velocityLockSet } from './velocity-lock-set.js';
import { mergeSubWorkspace } from './merge-sub-workspace.js';
import { currentStateHead, stateTargetOf } from './state-target.js';

export interface VelocityApplyOptions extends VelocityPlanOptions {
  /** Ledger file. @default `<workspace>/.velocity/ledger.json` */
  ledgerPath?: string;
}

/** What an apply did. */
export interface ApplyResult {
  /** The binary's apply exit code (0 or 1); 0 for a dry run. */
  readonly exitCode: number;
  /** How it ran: an ExecutionPlan mode, or `saved-plan` (a plan file of `velocity plan -out`, or any plan file). */
  readonly execution: PlanResult['execution'] | 'saved-plan';
  /** The scoped run (its refresh counts, savings, durations); undefined for a saved plan. */
  readonly run?: PlanResult;
  /** The merge of an inject-mode apply into the real state. */
  readonly merge?: CommitResult;
  readonly ledger: LedgerOutcome;
}

/** The ledger is recorded only after an apply that succeeded and applied every change. */
const notRecorded = (why: string): LedgerOutcome => ({ recorded: false, why });

/**
 * Runs one apply: preparePlan (`apply`) → lock `scope.refresh` (with `lockManager`) → executeApply. Costs: those of
 * velocityPlan (preparePlan and one binary run, `apply` instead of `plan`), plus in inject mode one merge (O(state)
 * bytes streamed: a local file rewritten, or one `state pull` and one `state push`), plus the ledger
 * (O(configuration), mostly cached).
 * @throws what velocityPlan throws; StateMovedError (the real state moved since the plan: nothing written, the
 *   sub-workspace kept and named), StatePushError, MergeConflictError, SubWorkspaceManifestError
 */
export async function velocityApply(options: VelocityApplyOptions = {}): Promise<ApplyResult> {
  const cwd = options.cwd ?? process.cwd();
  const flags = options.planFlags ?? splitPlanArgs(options.planArgs ?? [], { velocityFlags: false }).binary;
  const output = options.output ?? ((): void => {});
  const ours: OutputStream = flags.json ? 'stderr' : 'stdout';
  const say = (line: string): void => output(ours, `${line}\n`);
  const workDir = flags.chdir === undefined ? cwd : resolve(cwd, flags.chdir);
  if (options.report === '') throw new UsageError('report needs a file name');
  if (flags.positionals.length > 1) throw new UsageError(`apply takes one plan file, got ${flags.positionals.length}: ${flags.positionals.join(' ')}`);
  if (flags.out !== undefined) throw new UsageError('-out is a plan flag: save a plan with `velocity plan -out=FILE`, then `velocity apply FILE`');
  const planFile = flags.positionals[0];
  if (planFile !== undefined) return applySavedPlan(options, flags, resolve(workDir, planFile), workDir, say);

  const prepared = await preparePlan({ ...options, planFlags: flags, subcommand: 'apply', stdin: options.stdin ?? 'inherit' });
  const ex = prepared.execution;
  let executed = false;
  const execute = (signal: AbortSignal | undefined, velocity?: ExecuteApplyOptions['velocity']): Promise<ApplyResult> => {
    executed = true;
    return executeApply(prepared, {
      output, dryRun: options.dryRun ?? false, verboseRefresh: options.verboseRefresh ?? false, historyRequired: options.driftBudget !== undefined,
      ...(signal ? { signal } : {}), ...(velocity ? { velocity } : {}), ...pick(options, 'report', 'refreshHistory', 'ledgerPath'),
    });
  };
  try {
    // An inject-mode apply on a velocity server locks its cone there and writes it as a subgraph.
    const backend = ex.mode === 'inject' && !options.lockManager && !options.dryRun && flags.lock ? await detectVelocityBackend(workDir, prepared.env) : undefined;
    if (backend !== undefined && ex.mode === 'inject') {
      const manifest = readSubWorkspaceManifest(ex.sub.dir);
      const addresses = velocityLockSet(prepared.scope.refresh, manifest, prepared.detection?.creates ?? [], options.lockScope);
      const info = newLockInfo({ operation: 'OperationTypeApply', info: 'velocity apply', path: `${backend.origin}/tfstate/${backend.guid}` });
      const reporter = new PlanReporter(say, prepared.binary.flavor);
      return await withServeLocks(backend, addresses, info, {
        waitMs: flags.lockTimeoutMs, ...(options.signal ? { signal: options.signal } : {}),
        onLocked: (count, lockId) => reporter.serverLocked(count, addresses[0] === '*', backend.origin, lockId),
      }, (lockId, signal) => execute(signal, { backend, lockId }));
    }
    if (!options.lockManager || options.dryRun || prepared.scope.refresh.length === 0) return await execute(options.signal);
    return await locked(options, prepared.scope, execute);
  } finally {
    prepared.dispose();
    // NOTE: refused before it ran (a resource lock held by someone else): nothing was applied in the sub-workspace.
    if (!executed && ex.mode === 'inject') rmSync(ex.sub.dir, { recursive: true, force: true });
  }
}

export interface ExecuteApplyOptions extends ExecutePlanOptions {
  /** `--report FILE` (resolved against the plan's cwd): planReport of the run, written atomically. */
  readonly report?: string;
  /** The refresh history must be written (a drift budget relies on it): a failure to write it is an error. */
  readonly historyRequired?: boolean;
  /** Refresh history file. @default `<workspace>/.velocity/refresh-history.json` */
  readonly refreshHistory?: string;
  /** Ledger file. @default `<workspace>/.velocity/ledger.json` */
  readonly ledgerPath?: string;
  /**
   * The real state is on a velocity server and the caller holds resource lock `lockId` on the run's lock set
   * (velocityLockSet): the checks and the write are subgraph requests under it. @default `state push` (whole)
   */
  readonly velocity?: { readonly backend: VelocityBackend; readonly lockId: string };
}

/**
 * The execute step of an apply, for a plan prepared with `subcommand: 'apply'` (and locked by the caller): holds the
 * real state (compare-and-swap; a local state stays locked) → the binary's apply → (inject mode) the merge into the
 * real state, whatever the exit code → the refresh history → the ledger. Costs: one binary run, one merge (O(state)
 * bytes streamed), the ledger (O(configuration)). The sub-workspace is removed once merged, kept (and named in the
 * error) when the merge is refused.
 * @throws UsageError (a plan prepared for `plan`), StateMovedError, StatePushError, MergeConflictError,
 *   BinaryAbortedError, ReportWriteError, LedgerWriteError
 */
export async function executeApply(prepared: PreparedPlan, options: ExecuteApplyOptions = {}): Promise<ApplyResult> {
  if (prepared.subcommand !== 'apply') throw new UsageError('executeApply needs a plan prepared with subcommand: \'apply\'');
  const { flags, env, graph } = prepared;
  const workDir = flags.chdir === undefined ? prepared.cwd : resolve(prepared.cwd, flags.chdir);
  const output = options.output ?? ((): void => {});
  const say = (line: string): void => output(flags.json ? 'stderr' : 'stdout', `${line}\n`);
  const reporter = new PlanReporter(say, prepared.binary.flavor);
  const signal = options.signal;
  const dryRun = options.dryRun ?? false;
  const ex = prepared.execution;
  const sub = ex.mode === 'inject' ? ex.sub.dir : undefined;
  if (sub !== undefined && dryRun) {
    try {
      return await finish(await executePlan(prepared, options), undefined);
    } finally {
      rmSync(sub, { recursive: true, force: true });
    }
  }
  // The real state is held (a local one locked) from before the binary applies until the merge is written.
  const velocity = sub !== undefined ? options.velocity : undefined;
  const manifest = velocity !== undefined && sub !== undefined ? readSubWorkspaceManifest(sub) : undefined;
  const target: StateTarget = velocity !== undefined
    ? { kind: 'velocity', ...velocity, read: manifest?.static ?? prepared.scope.static }
    : stateTargetOf(workDir, env, { binary: prepared.binary.path, lock: flags.lock, lockTimeoutMs: flags.lockTimeoutMs });
  const check = sub !== undefined && manifest !== undefined ? { subState: join(sub, 'terraform.tfstate'), owned: manifest } : undefined;
  const lease = sub !== undefined && graph !== undefined
    ? await holdRealState(target, graph.meta, signal, check).catch((error: unknown) => {
        rmSync(sub, { recursive: true, force: true }); // nothing was applied
        throw error;
      })
    : undefined;
  let merge: CommitResult | undefined;
  let result: PlanResult;
  try {
    result = await executePlan(prepared, options);
    // NOTE: merged whatever the exit code: a failed or interrupted apply persists what it did apply, as Terraform does.
    if (sub !== undefined && !dryRun) merge = await mergeKept(sub, prepared.binary.path, env, flags, signal, lease, velocity);
  } finally {
    await lease?.release();
  }
  return finish(result, merge);

  async function finish(result: PlanResult, merge: CommitResult | undefined): Promise<ApplyResult> {
    if (options.report !== undefined) await writePlanReport(resolve(prepared.cwd, options.report), result);
    if (dryRun) return { exitCode: result.exitCode, execution: result.execution, run: result, ledger: notRecorded('dry run') };
    // What the binary refreshed goes into the refresh history (after exit 0 only).
    await recordPlanRefreshes(prepared, result, { required: options.historyRequired ?? false, ...pick(options, 'refreshHistory') });
    let serial: number | undefined;
    if (sub !== undefined && merge !== undefined) {
      reporter.merged(merge, graph?.meta.serial ?? 0);
      rmSync(sub, { recursive: true, force: true });
      serial = merge.kind === 'written' ? merge.serial : graph?.meta.serial;
    }
    const ledger = await ledgerAfter(prepared, result.exitCode, serial, workDir, env, options.ledgerPath, signal);
    reporter.ledger(ledger);
    return { exitCode: result.exitCode, execution: result.execution, run: result, ...(merge ? { merge } : {}), ledger };
  }
}

/** The keys of `o` that are set (exactOptionalPropertyTypes: an undefined value is not passed on). */
function pick<T extends object, K extends keyof T>(o: T, ...keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

/** Runs `fn` under `options.lockManager`'s locks on `scope.refresh`. */
function locked<T>(options: VelocityApplyOptions, scope: LockScope, fn: (signal: AbortSignal | undefined) => Promise<T>): Promise<T> {
  const manager = options.lockManager as NonNullable<VelocityApplyOptions['lockManager']>;
  const info = newLockInfo({ operation: 'OperationTypeApply', info: 'velocity apply' });
  return withResourceLocks(manager, scope, info, ({ signal }) => fn(options.signal ? AbortSignal.any([options.signal, signal]) : signal), {
    waitMs: options.lockWaitMs ?? 0,
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

/** Merges a sub-workspace; on failure the error names the kept directory (nothing applied is lost). */
async function mergeKept(
  dir: string, binary: string, env: NodeJS.ProcessEnv, flags: BinaryPlanFlags, signal: AbortSignal | undefined, lease: LocalFileLease | undefined,
  velocity?: ExecuteApplyOptions['velocity'],
): Promise<CommitResult> {
  try {
    return (await mergeSubWorkspace(dir, { binary, env, lock: flags.lock, lockTimeoutMs: flags.lockTimeoutMs, ...(signal ? { signal } : {}), ...(lease ? { lease } : {}), ...(velocity ? { velocity } : {}) })).result;
  } catch (error) {
    if (error instanceof VelocityError) throw keptIn(error, dir);
    throw error;
  }
}

/** `error` with the kept sub-workspace named in its message (same class and code). */
function keptIn(error: VelocityError, dir: string): VelocityError {
  const note = `; the sub-workspace ${dir} is kept: \`velocity merge ${dir}\` merges its state while the real state is at the plan's serial`;
  Object.defineProperty(error, 'message', { value: `${error.message}${note}` });
  return error;
}

/** Records the ledger after a successful apply that covered every change. */
async function ledgerAfter(
  p: PreparedPlan, exitCode: number, serial: number | undefined, workDir: string, env: NodeJS.ProcessEnv, ledgerPath: string | undefined, signal: AbortSignal | undefined,
): Promise<LedgerOutcome> {
  if (exitCode !== 0) return notRecorded(`the apply exited with ${exitCode}`);
  const why = coversEveryChange(p);
  if (why !== undefined) return notRecorded(why);
  let lineage = p.graph?.meta.lineage;
  if (serial === undefined) {
    // NOTE: a target/full apply wrote the real state itself: its new serial is read from the head (64 KiB).
    const head = await currentStateHead(stateTargetOf(workDir, env, { binary: p.binary.path, lock: false, lockTimeoutMs: 0 }), signal);
    if (head === undefined) return notRecorded('there is no state after the apply');
    serial = head.serial;
    lineage = head.lineage;
  }
  if (lineage === undefined) return notRecorded('the state has no lineage');
  return recordLedger({ workingDir: workDir, lineage, serial, vars: p.flags.vars, env, ...(ledgerPath !== undefined ? { ledgerPath } : {}) });
}

/** `velocity apply FILE`: an inject-mode plan in its sub-workspace (then merged), any other plan as the binary would. */
async function applySavedPlan(options: VelocityApplyOptions, flags: BinaryPlanFlags, planFile: string, workDir: string, say: (line: string) => void): Promise<ApplyResult> {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const found = findBinary({ ...(options.binary !== undefined ? { explicit: options.binary } : {}), env, cwd });
  const saved = await findSavedPlan(workDir, planFile);
  const output = options.output ?? ((): void => {});
  const onLine = (stream: OutputStream, line: string, shown: number): void => output(stream, `${shown > 0 ? line.slice(shown) : line}\n`);
  const onPrompt = (stream: OutputStream, text: string): void => output(stream, text);
  const stdin = options.stdin ?? 'inherit';
  const signal = options.signal;
  const args = flags.rest.map((a) => (a === flags.positionals[0] ? planFile : a));
  const ledgerOf = async (exitCode: number, serial: number | undefined, lineage: string | undefined): Promise<LedgerOutcome> => {
    if (exitCode !== 0) return notRecorded(`the apply exited with ${exitCode}`);
    if (saved === undefined) return notRecorded('the plan file was not saved by velocity plan, so what it covers is unknown');
    if (!saved.complete) return notRecorded('the saved plan did not cover every change (-target, --changed, -destroy or -refresh-only)');
    if (serial === undefined || lineage === undefined) {
      const head = await currentStateHead(stateTargetOf(workDir, env, { binary: found.path, lock: false, lockTimeoutMs: 0 }), signal);
      if (head === undefined) return notRecorded('there is no state after the apply');
      serial = head.serial;
      lineage = head.lineage;
    }
    return recordLedger({ workingDir: workDir, lineage, serial, vars: saved.vars, env, ...(options.ledgerPath !== undefined ? { ledgerPath: options.ledgerPath } : {}) });
  };
  const reporter = new PlanReporter(say, basename(found.path));
  if (saved?.execution !== 'inject' || saved.subWorkspace === undefined) {
    const global = flags.chdir === undefined ? [] : [`-chdir=${flags.chdir}`];
    const r = await runBinary(found.path, [...global, 'apply', ...args, ...flags.targets.map((t) => `-target=${t}`)], { cwd, env, stdin, capture: false, onLine, onPrompt, ...(signal ? { signal } : {}) });
    const exitCode = r.exitCode ?? 1;
    const ledger = await ledgerOf(exitCode, undefined, undefined);
    reporter.ledger(ledger);
    if (exitCode === 0 && saved !== undefined) await forgetSavedPlan(workDir, saved.digest);
    return { exitCode, execution: 'saved-plan', ledger };
  }
  const dir = saved.subWorkspace;
  const manifest = readSubWorkspaceManifest(dir);
  const apply = async (sig: AbortSignal | undefined): Promise<ApplyResult> => {
    // Compare-and-swap before anything is applied (a state that moved refuses the plan, losing nothing); a local
    // state stays locked until the merge is written.
    const target = stateTargetOf(manifest.workingDir, env, { binary: found.path, lock: flags.lock, lockTimeoutMs: flags.lockTimeoutMs });
    const lease = await holdRealState(target, manifest, sig).catch((error: unknown) => {
      throw error instanceof VelocityError ? keptIn(error, dir) : error;
    });
    let exitCode: number;
    let merge: CommitResult;
    try {
      reporter.applyingIn(dir);
      const r = await runBinary(found.path, ['apply', ...args], { cwd: dir, env: subEnv(env), stdin, capture: false, onLine, onPrompt, ...(sig ? { signal: sig } : {}) });
      exitCode = r.exitCode ?? 1;
      merge = await mergeKept(dir, found.path, env, flags, sig, lease);
    } finally {
      await lease?.release();
    }
    reporter.merged(merge, manifest.serial);
    rmSync(dir, { recursive: true, force: true });
    await forgetSavedPlan(workDir, saved.digest);
    const ledger = await ledgerOf(exitCode, merge.kind === 'written' ? merge.serial : manifest.serial, manifest.lineage);
    reporter.ledger(ledger);
    return { exitCode, execution: 'saved-plan', merge, ledger };
  };
  if (!options.lockManager || manifest.refresh.length === 0) return apply(signal);
  return locked(options, { refresh: manifest.refresh }, apply);
}
