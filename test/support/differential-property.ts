// The inject differential as one fast-check property, shared by the terraform_data and the sim variants: every
// generated edit is planned by velocity and by a full plan, any difference fails with the seed and the kept
// workspace, and at most half the cases may fall back. VELOCITY_DIFF_SEED / _PATH / _RUNS rerun or widen it.
import fc from 'fast-check';
import { expect } from 'vitest';
import type { WorkspaceCase } from './inject-workspace-arb.js';
import { runDifferentialCase, type DifferentialOptions, type DifferentialOutcome } from './plan-diff.js';

export interface DifferentialProperty {
  readonly cases: fc.Arbitrary<WorkspaceCase>;
  readonly binary: string;
  /** The options of one case, given whether the ledger is recorded before the edit. */
  readonly options: (ledger: boolean) => DifferentialOptions;
  readonly defaultRuns: number;
  /** Wall-time budget: each case is an apply and two plans on a shared machine. */
  readonly budgetMs: number;
  /** Said after the kept workspace's path in a failure. */
  readonly keptNote?: string;
}

/** Runs the property; throws (a vitest failure) on the first differing case or on too many fallbacks. */
export async function checkDifferential(p: DifferentialProperty): Promise<void> {
  const seed = process.env['VELOCITY_DIFF_SEED'];
  const path = process.env['VELOCITY_DIFF_PATH'];
  const outcomes: { description: string; outcome: DifferentialOutcome }[] = [];
  await fc.assert(
    fc.asyncProperty(p.cases, fc.boolean(), async (c, ledger) => {
      const outcome = await runDifferentialCase(c, p.binary, p.options(ledger));
      outcomes.push({ description: `${c.edit.kind}: ${c.edit.description}`, outcome });
      if (outcome.differences.length > 0)
        throw new Error(
          [
            `velocity (${outcome.execution}) differs from the full plan after "${c.edit.description}" (ledger: ${ledger}):`,
            ...outcome.differences.map((d) => `  - ${d}`),
            `detection: ${outcome.detection}`,
            `workspace kept in ${outcome.dir}${p.keptNote ?? ''}`,
          ].join('\n'),
        );
    }),
    {
      numRuns: Number(process.env['VELOCITY_DIFF_RUNS'] ?? p.defaultRuns),
      interruptAfterTimeLimit: p.budgetMs,
      markInterruptAsFailure: false,
      // NOTE: no shrinking: every shrink step is another apply; the seed and the kept directory reproduce the case.
      endOnFailure: true,
      ...(seed === undefined ? {} : { seed: Number(seed) }),
      ...(path === undefined ? {} : { path }),
    },
  );
  expect(outcomes.length).toBeGreaterThan(0);
  const fellBack = outcomes.filter((o) => o.outcome.execution !== 'inject');
  const reasons = fellBack.map((o) => `${o.description} -> ${o.outcome.execution}: ${o.outcome.fallbackReason ?? '(no reason given)'}`);
  expect(fellBack.length, `fell back in ${fellBack.length}/${outcomes.length} cases:\n${reasons.join('\n')}`).toBeLessThanOrEqual(outcomes.length / 2);
}
