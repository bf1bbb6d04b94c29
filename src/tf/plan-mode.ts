// How `velocity plan` runs the binary (`--mode`), and the one rule that reconciles it with the older
// `--refresh-strategy`. Guarantees: the CLI and the library resolve the two the same way; a contradiction is a
// UsageError (exit 2), never a silent pick of one of them.

import { UsageError } from '../errors.js';

/**
 * `auto`: inject where it is sound, else target (saying why); `inject`: a sub-workspace holding only the cone (falls
 * back to target, saying why, where it cannot inject soundly); `target`: `-target` flags on the real workspace;
 * `full`: the binary's plan untouched.
 */
export type PlanMode = 'auto' | 'inject' | 'target' | 'full';

/** Every mode, in the order the usage text lists them. */
export const PLAN_MODES: readonly PlanMode[] = ['auto', 'inject', 'target', 'full'];

/** `--mode VALUE` checked. O(1). @throws UsageError for anything but a PlanMode */
export function parsePlanMode(value: string): PlanMode {
  if ((PLAN_MODES as readonly string[]).includes(value)) return value as PlanMode;
  throw new UsageError(`--mode must be ${PLAN_MODES.join(', ')}, got ${JSON.stringify(value)}`);
}

/**
 * The mode of a plan from `mode` and the legacy `strategy` (`full` = mode `full`, `optimized` = mode `auto`).
 * Either alone decides; both must agree (`optimized` agrees with every scoped mode). O(1).
 * @throws UsageError when they contradict (`strategy: 'full'` with a scoped mode, `optimized` with `full`)
 */
export function resolvePlanMode(strategy: 'full' | 'optimized' | undefined, mode: PlanMode | undefined): PlanMode {
  if (mode === undefined) return strategy === 'full' ? 'full' : 'auto';
  if (strategy !== undefined && (strategy === 'full') !== (mode === 'full')) {
    throw new UsageError(`--refresh-strategy ${strategy} contradicts --mode ${mode} (--refresh-strategy full is --mode full; optimized is any other mode)`);
  }
  return mode;
}
