// The `--report FILE` document of a plan: one JSON object CI systems and orchestrators read (what ran, what it
// refreshed, why it fell back, how long each step took). Guarantees: the same keys in the same order for every
// PlanResult (dry runs and replayed failures included); address lists sorted; an absent string is null, never omitted.

import type { PlanDurationsMs, PlanResult } from './prepared-plan.js';

/** The report object, exactly as written (key order included). */
export interface PlanReport {
  /** What ran (for a dry run: what would run): `inject`, `target`, `full`, `no-refresh` or `replay`. */
  readonly mode: PlanResult['execution'];
  /** Instances in the state (N). */
  readonly total: number;
  /** velocity's change cone (N for a full plan). */
  readonly cone: number;
  /** Instances the binary really refreshed or read; null for a dry run (nothing ran). */
  readonly refreshed: number | null;
  /** Their addresses, sorted. */
  readonly refreshedAddresses: readonly string[];
  /** The -target addresses passed (the user's own for a full plan), sorted. */
  readonly targets: readonly string[];
  /** Why velocity did not run the mode it was asked for (a full plan's reason, or why inject/auto used target); null when it did. */
  readonly fallbackReason: string | null;
  /** The kept sub-workspace (inject mode with -out); null otherwise. */
  readonly subWorkspace: string | null;
  /**
   * How the change was found: the detector's name (`explicit` for --changed, `config` for the ledger's fingerprints,
   * `probe` or `stream-probe` for a `plan -refresh=false` walk); null when no detection ran (e.g. --mode full).
   */
  readonly detection: string | null;
  /** Wall time of each step in ms (0 for a step that did not run). */
  readonly durationsMs: PlanDurationsMs;
}

/** ms to the microsecond: performance.now() differences carry float noise no reader wants. O(1). */
const ms = (n: number): number => Math.round(n * 1000) / 1000;

/** The report of one plan. O(R log R + T log T) for the sorted address lists. */
export function planReport(result: PlanResult): PlanReport {
  const d = result.durationsMs;
  return {
    mode: result.execution,
    total: result.total,
    cone: result.cone,
    refreshed: result.refreshed ?? null,
    refreshedAddresses: [...result.refreshedAddresses].sort(),
    targets: [...result.targets].sort(),
    fallbackReason: result.fallbackReason ?? result.injectFallback ?? null,
    subWorkspace: result.subWorkspace ?? null,
    detection: result.detection?.source ?? null,
    durationsMs: { load: ms(d.load), detect: ms(d.detect), scope: ms(d.scope), synthesize: ms(d.synthesize), binary: ms(d.binary) },
  };
}
