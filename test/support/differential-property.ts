// The differentials of inject mode as one fast-check property, shared by the plan differential (plan-diff.ts) and the
// apply differential (apply-diff.ts), terraform_data and sim: every generated edit is run by the given case runner,
// any difference fails with the seed and the kept workspace, and at most half the cases may fall back.
// VELOCITY_DIFF_SEED / _PATH / _RUNS rerun or widen it.
import fc from 'fast-check';
import { expect } from 'vitest';
import type { WorkspaceCase } from './inject-workspace-arb.js';

/** What one case of any differential gave (the plan differential's and the apply differential's outcomes have it). */
export interface CaseOutcome {
  /** The kept workspace (kept on a difference). */
  readonly dir: string;
  /** What velocity really ran: `inject`, or a fallback (`target`, `full`...). */
  readonly execution: string;
  readonly fallbackReason: string | undefined;
  /** One readable line per difference from the oracle, sorted. Empty: sound. */
  readonly differences: readonly string[];
  readonly detection: string;
  /** Said after `dir` in a failure (another kept directory). */
  readonly alsoKept?: string;
}

/** Runs one case, given whether the ledger is recorded before the edit. */
export type CaseRunner = (c: WorkspaceCase, ledger: boolean) => Promise<CaseOutcome>;

export interface DifferentialProperty {
  readonly cases: fc.Arbitrary<WorkspaceCase>;
  readonly run: CaseRunner;
  /** What velocity is compared with, for a failure's first line. @default 'the full plan' */
  readonly oracle?: string;
  readonly defaultRuns: number;
  /** Wall-time budget: each case is several binary runs on a shared machine. */
  readonly budgetMs: number;
  /** Said after the kept workspace's path in a failure. */
  readonly keptNote?: string;
}

/** What checkDifferential ran: the seed fast-check drew and every case's outcome (for a report). */
export interface DifferentialRun {
  readonly seed: number;
  readonly outcomes: readonly { readonly description: string; readonly ledger: boolean; readonly outcome: CaseOutcome }[];
}

/**
 * Runs the property; throws (a vitest failure) on the first differing case or on too many fallbacks. Cost: the
 * runner's per case, `VELOCITY_DIFF_RUNS` (else `defaultRuns`) cases at most, stopped after `budgetMs`.
 */
export async function checkDifferential(p: DifferentialProperty): Promise<DifferentialRun> {
  const given = process.env['VELOCITY_DIFF_SEED'];
  const path = process.env['VELOCITY_DIFF_PATH'];
  // NOTE: the seed is drawn here (not by fast-check) so a passing run can report it too.
  const seed = given === undefined ? Math.floor(Math.random() * 0x7fffffff) : Number(given);
  const outcomes: { description: string; ledger: boolean; outcome: CaseOutcome }[] = [];
  await fc.assert(
    fc.asyncProperty(p.cases, fc.boolean(), async (c, ledger) => {
      const outcome = await p.run(c, ledger);
      outcomes.push({ description: `${c.edit.kind}: ${c.edit.description}`, ledger, outcome });
      if (outcome.differences.length > 0)
        throw new Error(
          [
            `velocity (${outcome.execution}) differs from ${p.oracle ?? 'the full plan'} after "${c.edit.description}" (ledger: ${ledger}):`,
            ...outcome.differences.map((d) => `  - ${d}`),
            `detection: ${outcome.detection}`,
            `workspace kept in ${outcome.dir}${outcome.alsoKept === undefined ? '' : `, ${outcome.alsoKept}`}${p.keptNote ?? ''}`,
          ].join('\n'),
        );
    }),
    {
      numRuns: Number(process.env['VELOCITY_DIFF_RUNS'] ?? p.defaultRuns),
      interruptAfterTimeLimit: p.budgetMs,
      markInterruptAsFailure: false,
      // NOTE: no shrinking: every shrink step is another apply; the seed and the kept directory reproduce the case.
      endOnFailure: true,
      seed,
      ...(path === undefined ? {} : { path }),
    },
  );
  expect(outcomes.length).toBeGreaterThan(0);
  const fellBack = outcomes.filter((o) => o.outcome.execution !== 'inject');
  const reasons = fellBack.map((o) => `${o.description} -> ${o.outcome.execution}: ${o.outcome.fallbackReason ?? '(no reason given)'}`);
  const injected = outcomes.length - fellBack.length;
  console.info(`differential (${p.oracle ?? 'the full plan'}): seed ${seed}, ${outcomes.length} cases passed, ${injected} injected, ${fellBack.length} fell back`);
  expect(fellBack.length, `fell back in ${fellBack.length}/${outcomes.length} cases:\n${reasons.join('\n')}`).toBeLessThanOrEqual(outcomes.length / 2);
  return { seed, outcomes };
}
