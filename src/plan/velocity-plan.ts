// `velocityPlan`: the scoped plan as one library call, composed of the pipeline's steps: preparePlan (state,
// change, scope, execution plan) → lock exactly `prepared.scope.refresh` (when a lock manager is given) →
// executePlan. It prints nothing itself: every line goes to the `output` sink. The exit code is the binary's.

import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { newLockInfo } from '../lock/lock-info.js';
import type { ResourceLockManager } from '../lock/resource-lock-manager.js';
import type { OutputStream } from '../tf/run-binary.js';
import { executePlan } from './execute-plan.js';
import { preparePlan, type PreparePlanOptions } from './prepare-plan.js';
import type { PlanResult } from './prepared-plan.js';
import { withResourceLocks } from './with-resource-locks.js';
import { recordPlanRefreshes } from './record-plan-refreshes.js';
import { writePlanReport } from './write-plan-report.js';
import { PlanReporter } from './plan-reporter.js';
import type { PreparedPlan } from './prepared-plan.js';
import { coversEveryChange, omissionsOf, omittedCone, recordLedger } from './record-ledger.js';
import { recordSavedPlan } from './saved-plans.js';
import { detectVelocityBackend } from '../serve/detect-velocity-backend.js';
import { readSubWorkspaceManifest } from '../inject/sub-workspace-manifest.js';
import { velocityLockSet } from '../apply/velocity-lock-set.js';
import { withServeLocks } from './with-serve-locks.js';

export interface VelocityPlanOptions extends PreparePlanOptions {
  /** List every resource as refreshed or served from cached state. @default false */
  verboseRefresh?: boolean;
  /** Print the scope and the command, run no plan (and take no lock). @default false */
  dryRun?: boolean;
  /** Receives every line: the binary's (on its own stream) and velocity's (stdout, or stderr when -json). */
  output?: (stream: OutputStream, text: string) => void;
  /**
   * Locks `prepared.scope.refresh` around the execution (all-or-nothing, waiting `lockWaitMs`); unlocked in
   * `finally`. A lost lease aborts the binary. @default no lock beyond the binary's own state lock
   */
  lockManager?: ResourceLockManager;
  /** How long to wait for `lockManager`'s locks. @default 0 */
  lockWaitMs?: number;
  /**
   * What an inject-mode run locks on a velocity server (without `lockManager`): `cone` = its lock set
   * (velocityLockSet), `state` = the whole state (`["*"]`, the baseline of bench:serve). @default 'cone'
   */
  lockScope?: 'cone' | 'state';
  /**
   * `--report FILE`: after the plan (dry runs and replayed failures too) write planReport(result) there, atomically.
   * Resolved against `cwd`. @default no report
   */
  report?: string;
}

/** The result of velocityPlan: a PlanResult, keyed by `mode`. */
export type VelocityPlanResult = PlanResult;

/**
 * Runs one scoped plan: preparePlan, then (optionally) the locks, then executePlan. Costs: those of preparePlan and
 * executePlan, plus one lock acquisition and release, plus recording the refresh history (O(history file)).
 * @throws BinaryNotFoundError, UsageError, StateParseError, StateMismatchError, AddressParseError, BinaryAbortedError,
 *   LockConflictError / LockTimeoutError (lockManager), LockLostError, ReportWriteError (`report`; carries the result),
 *   RefreshHistoryFormatError / RefreshHistoryWriteError (only with `driftBudget` or `driftCheck`: without them the
 *   history is recorded when it can be, see recordPlanRefreshes)
 */
export async function velocityPlan(options: VelocityPlanOptions = {}): Promise<VelocityPlanResult> {
  if (options.report === '') throw new UsageError('report needs a file name');
  const prepared = await preparePlan(options);
  const run = async (signal: AbortSignal | undefined): Promise<PlanResult> => {
    const result = await executePlan(prepared, {
      ...(options.output ? { output: options.output } : {}),
      ...(signal ? { signal } : {}),
      dryRun: options.dryRun ?? false,
      verboseRefresh: options.verboseRefresh ?? false,
    });
    // What the binary refreshed goes into the refresh history.
    const required = options.driftBudget !== undefined || options.driftCheck === true;
    return recordPlanRefreshes(prepared, result, { required, ...(options.refreshHistory !== undefined ? { refreshHistory: options.refreshHistory } : {}) });
  };
  const reported = async (result: PlanResult): Promise<PlanResult> => {
    await afterPlan(prepared, result, options);
    if (options.report !== undefined) await writePlanReport(resolve(options.cwd ?? process.cwd(), options.report), result);
    return result;
  };
  try {
    // NOTE: nothing to lock when nothing in the state is read (no-refresh, a replayed failure, an empty state).
    const ex = prepared.execution;
    const workDir = prepared.flags.chdir === undefined ? prepared.cwd : resolve(prepared.cwd, prepared.flags.chdir);
    // An inject-mode plan on a velocity server holds its lock set there while it runs (it reads the cone's state).
    const backend = ex.mode === 'inject' && !options.lockManager && !options.dryRun && prepared.flags.lock ? await detectVelocityBackend(workDir, prepared.env) : undefined;
    if (backend !== undefined && ex.mode === 'inject') {
      const addresses = velocityLockSet(prepared.scope.refresh, readSubWorkspaceManifest(ex.sub.dir), prepared.detection?.creates ?? [], options.lockScope);
      const say = (line: string): void => options.output?.(prepared.flags.json ? 'stderr' : 'stdout', `${line}\n`);
      const reporter = new PlanReporter(say, prepared.binary.flavor);
      const info = newLockInfo({ operation: 'OperationTypePlan', info: 'velocity plan', path: `${backend.origin}/tfstate/${backend.guid}` });
      return await reported(await withServeLocks(backend, addresses, info, {
        waitMs: prepared.flags.lockTimeoutMs, ...(options.signal ? { signal: options.signal } : {}),
        onLocked: (count, lockId) => reporter.serverLocked(count, addresses[0] === '*', backend.origin, lockId),
      }, (_lockId, signal) => run(signal)));
    }
    if (!options.lockManager || options.dryRun || prepared.scope.refresh.length === 0) return await reported(await run(options.signal));
    const info = newLockInfo({ operation: 'OperationTypePlan', info: 'velocity plan' });
    return await reported(await withResourceLocks(options.lockManager, prepared.scope, info, ({ signal }) => run(options.signal ? AbortSignal.any([options.signal, signal]) : signal), {
      waitMs: options.lockWaitMs ?? 0,
      ...(options.signal ? { signal: options.signal } : {}),
    }));
  } finally {
    prepared.dispose();
  }
}

/** The plan ran and succeeded (0, or 2 with -detailed-exitcode: changes present). */
const succeeded = (r: PlanResult): boolean => r.mode !== 'dry-run' && r.mode !== 'detection-failed' && (r.exitCode === 0 || (r.exitCode === 2 && r.execution !== 'replay'));

/**
 * After a successful plan: a saved plan (-out) is registered for `velocity apply FILE`; a probe that found no change
 * at all means the configuration is what was applied at this serial, so the ledger is recorded (the next plan
 * needs no probe). O(plan file) + O(configuration) when recording.
 */
async function afterPlan(p: PreparedPlan, result: PlanResult, options: VelocityPlanOptions): Promise<void> {
  if (!succeeded(result) || p.execution.mode === 'replay') return;
  const workDir = p.flags.chdir === undefined ? p.cwd : resolve(p.cwd, p.flags.chdir);
  const complete = coversEveryChange(p) === undefined;
  const say = (line: string): void => options.output?.(p.flags.json ? 'stderr' : 'stdout', `${line}\n`);
  const reporter = new PlanReporter(say, p.binary.flavor);
  if (p.flags.out !== undefined) {
    const ex = p.execution;
    const planFile = resolve(workDir, p.flags.out);
    try {
      await recordSavedPlan(workDir, {
        planFile, execution: ex.mode, complete, vars: p.flags.vars,
        ...(ex.mode === 'inject' ? { subWorkspace: ex.sub.dir } : {}),
      });
    } catch (error) {
      // NOTE: an unwritable .velocity costs the ledger after `velocity apply FILE`, not the plan.
      if (!(error instanceof Error && 'code' in error)) throw error;
      reporter.savedPlanUnregistered(planFile, error.message);
    }
  }
  // A probe compared the whole configuration with the state at this serial: what it found unchanged is applied. The
  // ledger records that, leaving out what it found changed (a detection against it then reports exactly those).
  const d = p.detection;
  const probed = d !== undefined && (d.source === 'probe' || d.source === 'stream-probe') && d.fallback === undefined && d.failure === undefined;
  if (!probed || !complete || p.graph === undefined) return;
  const omit = omissionsOf(d.changed, d.creates ?? [], d.outputs ?? []);
  if (omit === undefined) return;
  // NOTE: a left-out block is "changed" with all its instances (and their downstream) at the next detection; when
  // that cone passes a tenth of the state, that plan would cost more than the probe it saves: nothing is recorded.
  const cone = omit.blocks.size === 0 ? 0 : omittedCone(p.graph, omit);
  if (cone * 10 > p.graph.size) return reporter.ledger({ recorded: false, why: `the blocks the probe found changed reach ${cone} of ${p.graph.size} instances: the next plan probes again` });
  reporter.ledger(await recordLedger({ workingDir: workDir, lineage: p.graph.meta.lineage, serial: p.graph.meta.serial, vars: p.flags.vars, env: p.env, omit }));
}
