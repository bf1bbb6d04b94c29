// The pluggable change detector: given a workspace, say which resource instances changed (the changed set C of
// DESIGN.md), or that velocity cannot scope this change and must run full (and why). Implementations: explicit
// (-target / --changed), probe (`plan -refresh=false` + `show -json`); issue 7 adds one that reads configuration.

import type { VarArg } from '../config/root-variables.js';
import type { LoadedState } from '../state/instance-record.js';
import type { RunBinaryResult } from '../tf/run-binary.js';
import type { FullFallback } from './detect-fallback.js';

export interface DetectContext {
  /** Absolute path of the tofu/terraform binary. */
  readonly binary: string;
  /** Global options placed before the subcommand (e.g. `-chdir=DIR`). */
  readonly globalArgs: readonly string[];
  /** The user's plan flags that also apply to a probe plan (-var, -var-file, -lock, -parallelism, -json...). */
  readonly planArgs: readonly string[];
  /** Addresses the user named with -target. */
  readonly targets: readonly string[];
  /** Addresses the user named with --changed. */
  readonly changed: readonly string[];
  readonly cwd: string;
  /** The workspace directory (`cwd` with `-chdir` applied), parsed once by the caller. @default from globalArgs */
  readonly workingDir?: string;
  /** `-var` / `-var-file` of the plan flags in order, parsed once by the caller. @default parsed from planArgs */
  readonly varArgs?: readonly VarArg[];
  readonly env: NodeJS.ProcessEnv;
  /** A private temporary directory the detector may write into (removed by the caller). */
  readonly tmpDir: string;
  readonly signal?: AbortSignal;
  /** The state velocity is loading for the plan (undefined when there is none): detectors that need it await it. */
  readonly state?: Promise<LoadedState | undefined>;
}

export interface DetectResult {
  /** Which detector produced this. */
  readonly source: string;
  /** Changed instance (or resource/module) addresses, sorted. */
  readonly changed: string[];
  /** Addresses of the changed set that are not in the state yet (creates): targeted verbatim, never refreshed. */
  readonly creates?: string[];
  /**
   * Root outputs whose value this change may alter, when the detector can tell (the probe's plan, the ledger's output
   * fingerprints); undefined when it cannot (named addresses): a sub-workspace then keeps every root output.
   */
  readonly outputs?: string[];
  /** Set when velocity cannot scope this change: run the whole plan (`to` is always 'full'), and tell the user `reason`. */
  readonly fallback?: FullFallback;
  /** One line for the user about how the change was found (e.g. why a detector fell back to another). */
  readonly note?: string;
  /** Wall time the detection took. */
  readonly tookMs: number;
  /** The binary failed while detecting (a broken workspace): velocity replays its output and exit code unchanged. */
  readonly failure?: RunBinaryResult;
}

/** Finds what changed. Implementations must not refresh (no provider reads of managed resources). */
export interface ChangeDetector {
  readonly name: string;
  /** True when this detector has something to say for `ctx` (the explicit detector needs addresses). */
  applies(ctx: DetectContext): boolean;
  detect(ctx: DetectContext): Promise<DetectResult>;
}
