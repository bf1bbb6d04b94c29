// `velocityDrift`: `plan -refresh-only -json` of a drift budget's slice (inject: a sub-workspace holding only it;
// -target when inject is blocked) or of everything (`all`), reading `resource_drift`; records the refresh history.
// Guarantees: prints nothing itself; `drifted` is sorted, unique, and exactly what the binary reported as drifted.

import { UsageError } from '../errors.js';
import { splitPlanArgs } from '../tf/plan-args.js';
import type { OutputStream } from '../tf/run-binary.js';
import type { PlanResult } from './prepared-plan.js';
import { velocityPlan, type VelocityPlanOptions } from './velocity-plan.js';

export interface VelocityDriftOptions extends Omit<VelocityPlanOptions, 'driftBudget' | 'driftCheck' | 'detection' | 'changed' | 'dryRun' | 'planFlags' | 'strategy'> {
  /** Check the ⌈N/K⌉ instances refreshed longest ago. Exactly one of `budget` and `all`. */
  budget?: number;
  /** Check every instance: a refresh-only plan of the whole workspace (the slice would be the whole state). */
  all?: boolean;
  /**
   * velocity's lines and the binary's stderr (both as `stderr`: the binary's stdout is its -json stream, read here).
   */
  output?: (stream: OutputStream, text: string) => void;
}

/** A diagnostic the binary reported in its -json stream. */
export interface DriftDiagnostic {
  readonly severity: string;
  readonly summary: string;
  readonly detail: string;
}

export interface DriftResult {
  /** 0: nothing drifted, 2: something drifted, 1: the plan failed. */
  readonly exitCode: 0 | 1 | 2;
  /** Instances the binary refreshed (read fresh). */
  readonly checked: number;
  /** Addresses with a `resource_drift` message, sorted, unique. */
  readonly drifted: readonly string[];
  /** The binary's diagnostics, in output order. */
  readonly diagnostics: readonly DriftDiagnostic[];
  /** The plan run (mode, execution, injectFallback, refreshedAddresses...). */
  readonly plan: PlanResult;
}

/** Flags a drift run cannot honour: it plans nothing to apply and must refresh. */
const REFUSED: readonly [RegExp, string][] = [
  [/^-{1,2}out(=|$)/, '-out: a drift run saves no plan (run `velocity plan -refresh-only -out=F` to apply the refreshed state)'],
  [/^-{1,2}destroy(=|$)/, '-destroy: a drift run plans no changes'],
  [/^-{1,2}refresh=(0|f|false)$/i, '-refresh=false: a drift run is a refresh'],
  [/^-{1,2}target(-file)?(=|$)/, '-target: a drift run chooses its own slice (--budget K or --all)'],
];

interface DriftMessage {
  type?: unknown;
  change?: { resource?: { addr?: unknown } };
  diagnostic?: { severity?: unknown; summary?: unknown; detail?: unknown };
}

/**
 * Runs one drift check. Cost: that of velocityPlan for the slice (inject: O(slice) binary work; `all`: the whole
 * refresh) plus O(output lines).
 * @throws UsageError (budget and all together, a bad K, a refused flag), and what velocityPlan throws
 */
export async function velocityDrift(options: VelocityDriftOptions = {}): Promise<DriftResult> {
  if (options.all === true && options.budget !== undefined) throw new UsageError('give --budget K or --all, not both');
  if (options.all !== true && options.budget === undefined) throw new UsageError('give --budget K or --all');
  const userArgs = options.planArgs ?? [];
  for (const a of userArgs) for (const [re, why] of REFUSED) if (re.test(a)) throw new UsageError(`velocity drift does not take ${why}`);
  const planArgs = [...userArgs, '-refresh-only', '-json'];
  const planFlags = splitPlanArgs(planArgs, { velocityFlags: false }).binary;
  const drifted = new Set<string>();
  const diagnostics: DriftDiagnostic[] = [];
  const out = options.output ?? (() => {});
  const onOutput = (stream: OutputStream, text: string): void => {
    if (stream === 'stderr' || !text.startsWith('{')) return out('stderr', text);
    let msg: DriftMessage;
    try {
      msg = JSON.parse(text) as DriftMessage;
    } catch {
      return out('stderr', text);
    }
    if (msg.type === 'resource_drift' && typeof msg.change?.resource?.addr === 'string') drifted.add(msg.change.resource.addr);
    else if (msg.type === 'diagnostic')
      diagnostics.push({ severity: String(msg.diagnostic?.severity ?? ''), summary: String(msg.diagnostic?.summary ?? ''), detail: String(msg.diagnostic?.detail ?? '') });
  };
  const { budget, all, planArgs: _ignored, output: _output, ...rest } = options;
  void _ignored;
  void _output;
  const plan = await velocityPlan({
    ...rest,
    planArgs,
    planFlags,
    // NOTE: `all` runs the binary untouched: a slice holding the whole state would only add the synthesis.
    mode: all === true ? 'full' : (options.mode ?? 'inject'),
    ...(budget !== undefined ? { driftBudget: budget } : {}),
    driftCheck: true,
    detection: { source: 'none: a drift check looks for no configuration change', changed: [], outputs: [], tookMs: 0 },
    output: onOutput,
  });
  const ok = plan.exitCode === 0 || (plan.exitCode === 2 && planFlags.detailedExitcode);
  return {
    exitCode: !ok ? 1 : drifted.size > 0 ? 2 : 0,
    checked: plan.refreshed ?? 0,
    drifted: [...drifted].sort(),
    diagnostics,
    plan,
  };
}
