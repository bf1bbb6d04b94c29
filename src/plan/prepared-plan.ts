// The data of the plan pipeline (prepare → lock → execute): what preparePlan decided (the state graph, the change,
// its scope, and how the binary will run) and what executePlan returns. Both are plain data, discriminated by `mode`.
// Guarantees: `scope.refresh` is exactly the set an orchestrator must lock; `execution` says how the binary runs it.

import type { RefreshScope } from '../engine/refresh-scope.js';
import type { StateGraph } from '../graph/state-graph.js';
import type { DetectResult } from '../detect/change-detector.js';
import type { LockInfo } from '../lock/lock-info.js';
import type { BinaryVersion } from '../tf/binary-version.js';
import type { TargetChoice } from '../tf/choose-targets.js';
import type { BinaryPlanFlags } from '../tf/plan-args.js';
import type { RunBinaryResult } from '../tf/run-binary.js';

/** The binary the plan runs. */
export interface PlanBinary {
  readonly path: string;
  readonly flavor: BinaryVersion['flavor'];
  readonly version: string;
}

/** Why a plan runs in full although velocity was asked to scope it (the reporter turns it into a sentence). */
export type FullPlanReason =
  | { readonly kind: 'no-refresh-flag' }
  | { readonly kind: 'destroy-flag' }
  | { readonly kind: 'refresh-only-flag' }
  | { readonly kind: 'state-pull-failed'; readonly exitCode: number | null }
  | { readonly kind: 'state-unscopable'; readonly message: string }
  | { readonly kind: 'state-locked'; readonly holder: LockInfo }
  | { readonly kind: 'no-state' }
  | { readonly kind: 'detector'; readonly reason: string }
  | { readonly kind: 'cone-covers-state' }
  | { readonly kind: 'targets-too-long'; readonly count: number; readonly bytes: number; readonly limit: number };

/**
 * How the binary will run. `target`: the real workspace with `-target` for the change cone; `full`: untouched
 * (`reason` unset when the caller asked for full); `no-refresh`: nothing in the state is affected, plan with
 * `-refresh=false`; `replay`: the detector's own binary run failed, its output and exit code are replayed.
 * `inject`: a sub-workspace holding only the cone (`dir`, kept after the run when `keep`, i.e. for -out). A target
 * plan asked for as inject or auto says why in `injectFallback`; `minimalRefresh`: velocity added `-minimal-refresh`
 * to the target command (Terraform >= 1.17, the user did not pass it).
 */
export type ExecutionPlan =
  | { readonly mode: 'target'; readonly command: readonly string[]; readonly targets: readonly string[]; readonly choice: TargetChoice; readonly injectFallback?: string; readonly minimalRefresh?: true }
  | { readonly mode: 'inject'; readonly command: readonly string[]; readonly sub: SubWorkspace }
  | { readonly mode: 'full'; readonly command: readonly string[]; readonly reason?: FullPlanReason }
  | { readonly mode: 'no-refresh'; readonly command: readonly string[] }
  | { readonly mode: 'replay'; readonly failure: RunBinaryResult };

/** Wall time of each step of a plan in ms (performance.now()); 0 for a step that did not run. */
export interface PlanDurationsMs {
  /** Reading the state (snapshot, local file, `state pull`) into the graph. */
  readonly load: number;
  /** The change detector (ledger, probe...); runs concurrently with `load`. */
  readonly detect: number;
  /** The refresh scope and the choice of targets. */
  readonly scope: number;
  /** Writing the sub-workspace (inject mode). */
  readonly synthesize: number;
  /** The binary's plan run (executePlan). */
  readonly binary: number;
}

/** The sub-workspace an inject-mode plan runs in. */
export interface SubWorkspace {
  /** Absolute directory (`.velocity/work/<run id>/` of the workspace). */
  readonly dir: string;
  /** Kept after the run (the plan was saved with -out); else removed by dispose(). */
  readonly keep: boolean;
  /** Instances in its state slice (what the binary may refresh), sorted. */
  readonly kept: readonly string[];
  /** Of those, the instances beyond the change cone (resources kept whole), sorted. */
  readonly extra: readonly string[];
  /** Non-kept resource blocks written as literals, and their instances. */
  readonly literals: { readonly blocks: number; readonly instances: number };
  /** Root outputs it plans (the others are unchanged by this change). */
  readonly outputs: readonly string[];
  /** Time spent writing it. */
  readonly synthesizeMs: number;
}

/** Which execution a caller asks for: `auto` = inject where sound, else target (see DESIGN.md "Execution modes"). */
export type { PlanMode } from '../tf/plan-mode.js';

/** What preparePlan hands to the lock and to executePlan. */
export interface PreparedPlan {
  /** The binary's subcommand the execution runs (`apply` plans and applies in one run). */
  readonly subcommand: 'plan' | 'apply';
  readonly binary: PlanBinary;
  readonly version: BinaryVersion;
  /** The binary's plan flags, parsed once. */
  readonly flags: BinaryPlanFlags;
  /** Global options before the subcommand (`-chdir=DIR`). */
  readonly globalArgs: readonly string[];
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly stdin: 'ignore' | 'inherit';
  /** The state graph (undefined when there is no state, or it could not be read). */
  readonly graph: StateGraph | undefined;
  /** Instances in the state (N). */
  readonly total: number;
  readonly detection: DetectResult | undefined;
  /**
   * The refresh scope: what the binary may read fresh, so what to lock. Target mode asks the engine with
   * `staticInjection: false` (a -target plan refreshes every dependency of a target); full mode: every instance.
   */
  readonly scope: RefreshScope;
  /** The optimized scope velocity computed for the change, also when it then fell back to full; else undefined. */
  readonly changeScope: RefreshScope | undefined;
  readonly execution: ExecutionPlan;
  /** How long preparing took, per step (`binary` is 0: executePlan adds it). */
  readonly timings: PlanDurationsMs;
  /** Where the state came from (`read-under-lock`: a plain local backend's file, read under Terraform's lock). */
  readonly stateSource: 'graph' | 'file' | 'read-under-lock' | 'read-unlocked' | 'state-pull' | 'none';
  /** The state came from the caller's `--state` file: what the binary refreshes is checked against it. */
  readonly userStateFile: boolean;
  /** Private directory of this plan (probe plan file, -target-file); removed by dispose(). */
  readonly tmpDir: string;
  /** Removes tmpDir. Idempotent; executePlan calls it when done. */
  dispose(): void;
}

interface PlanResultBase {
  /** The binary's exit code (0, 1, or 2 with -detailed-exitcode); 0 for a dry run. */
  readonly exitCode: number;
  /** What ran (or, for a dry run, would run): the ExecutionPlan's mode. */
  readonly execution: ExecutionPlan['mode'];
  /** Wall time of each step, prepare's and the binary's. */
  readonly durationsMs: PlanDurationsMs;
  readonly binary: PlanBinary;
  /** Instances in the state (N). */
  readonly total: number;
  /** velocity's change cone (|refresh| without the -target inputs counted in it), or N when full. */
  readonly cone: number;
  /** Instances the binary actually refreshed or read (R), counted from its output; undefined for a dry run. */
  readonly refreshed: number | undefined;
  readonly refreshedAddresses: readonly string[];
  /** 1 - R/N (or 1 - cone/N for a dry run). */
  readonly savings: number;
  /** -target addresses passed (the user's own for full). */
  readonly targets: readonly string[];
  readonly targetChoice?: TargetChoice;
  readonly detection?: DetectResult;
  readonly scope?: RefreshScope;
  /** Why the plan ran in full when velocity was asked to optimize (the reporter's sentence). */
  readonly fallbackReason?: string;
  /** The binary printed "Resource targeting is in effect". */
  readonly targetingWarning: boolean;
  /** The command run (argv without the binary path). */
  readonly command: readonly string[];
  /** The sub-workspace of an inject-mode plan, when it was kept (-out). */
  readonly subWorkspace?: string;
  /** Why a plan asked for as inject (or auto) ran in target mode. */
  readonly injectFallback?: string;
  /** Addresses the binary refreshed that are not in velocity's state (a `--state` of another workspace). */
  readonly foreignRefreshed?: readonly string[];
}

/** What ran, keyed by mode: the scoped plan, the whole plan, a plan without refresh, a dry run, or a replayed failure. */
export type PlanResult =
  | (PlanResultBase & { readonly mode: 'optimized'; readonly refreshed: number; readonly targetChoice?: TargetChoice })
  | (PlanResultBase & { readonly mode: 'full'; readonly refreshed: number })
  | (PlanResultBase & { readonly mode: 'no-refresh'; readonly refreshed: number })
  | (PlanResultBase & { readonly mode: 'dry-run'; readonly refreshed: undefined })
  | (PlanResultBase & { readonly mode: 'detection-failed' });
