// The differential soundness test of inject mode (issue 11, "Prove it"): on generated terraform_data workspaces and
// random edits, velocity's inject plan equals a full `terraform plan` on every address it plans, and misses nothing
// the full plan changes. A failing case prints fast-check's seed and keeps its workspace (VELOCITY_DIFF_SEED/_PATH rerun it).

import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { workspaceCaseArb } from '../support/inject-workspace-arb.js';
import { clearDifferentialCache, runDifferentialCase, type DifferentialOutcome } from '../support/plan-diff.js';
import { tfBinary } from '../support/terraform-env.js';

const seed = process.env['VELOCITY_DIFF_SEED'];
const path = process.env['VELOCITY_DIFF_PATH'];
const RUNS = Number(process.env['VELOCITY_DIFF_RUNS'] ?? 12);
// NOTE: a time budget besides numRuns: each case is an init + apply + two plans; the 2-core machine is shared.
const BUDGET_MS = 420_000;

describe.runIf(tfBinary)('inject mode against a full terraform plan (skipped only when no tofu/terraform is installed)', () => {
  afterAll(() => clearDifferentialCache());

  it('plans every generated edit like the full plan, and injects in at least half the cases', async () => {
    const outcomes: { description: string; outcome: DifferentialOutcome }[] = [];
    await fc.assert(
      fc.asyncProperty(workspaceCaseArb(), fc.boolean(), async (c, ledger) => {
        const outcome = await runDifferentialCase(c, tfBinary as string, { mode: 'inject', ledger });
        outcomes.push({ description: `${c.edit.kind}: ${c.edit.description}`, outcome });
        if (outcome.differences.length > 0)
          throw new Error(
            [
              `velocity (${outcome.execution}) differs from the full plan after "${c.edit.description}" (ledger: ${ledger}):`,
              ...outcome.differences.map((d) => `  - ${d}`),
              `detection: ${outcome.detection}`,
              `workspace kept in ${outcome.dir}`,
            ].join('\n'),
          );
      }),
      {
        numRuns: RUNS,
        interruptAfterTimeLimit: BUDGET_MS,
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
  }, 600_000);
});
