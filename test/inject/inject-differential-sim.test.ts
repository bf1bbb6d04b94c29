// The inject differential with the test sim's `sim_resource` (a real gRPC provider, TF_REATTACH_PROVIDERS) instead of
// terraform_data: the same generated workspaces and edits, the inject plan equal to a full `terraform plan` on every
// address it plans and missing nothing it changes. A failing case prints the seed and keeps its workspace.

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workspaceCaseArb } from '../support/inject-workspace-arb.js';
import { clearDifferentialCache, runDifferentialCase, type DifferentialOutcome } from '../support/plan-diff.js';
import { startSim, terraformAvailable, terraformBin, type SimServer } from '../support/sim/index.js';

const seed = process.env['VELOCITY_DIFF_SEED'];
const path = process.env['VELOCITY_DIFF_PATH'];
const RUNS = Number(process.env['VELOCITY_DIFF_RUNS'] ?? 10);
// NOTE: a time budget besides numRuns: each case is an apply and two plans through the sim; 2 shared cores.
const BUDGET_MS = 360_000;

describe.skipIf(!terraformAvailable())('inject mode against a full terraform plan, sim provider (skipped only when terraform is absent)', () => {
  let sim: SimServer;
  beforeAll(async () => {
    sim = await startSim();
  }, 60_000);
  afterAll(async () => {
    clearDifferentialCache();
    await sim?.stop();
  });

  it('plans every generated edit like the full plan, and injects in at least half the cases', async () => {
    const outcomes: { description: string; outcome: DifferentialOutcome }[] = [];
    await fc.assert(
      fc.asyncProperty(workspaceCaseArb('sim'), fc.boolean(), async (c, ledger) => {
        const outcome = await runDifferentialCase(c, terraformBin(), { mode: 'inject', ledger, provider: 'sim', env: sim.reattachEnv() });
        outcomes.push({ description: `${c.edit.kind}: ${c.edit.description}`, outcome });
        if (outcome.differences.length > 0)
          throw new Error(
            [
              `velocity (${outcome.execution}) differs from the full plan after "${c.edit.description}" (ledger: ${ledger}):`,
              ...outcome.differences.map((d) => `  - ${d}`),
              `detection: ${outcome.detection}`,
              `workspace kept in ${outcome.dir} (its sim objects are gone with the sim: rerun the seed)`,
            ].join('\n'),
          );
      }),
      {
        numRuns: RUNS,
        interruptAfterTimeLimit: BUDGET_MS,
        markInterruptAsFailure: false,
        // NOTE: no shrinking: every shrink step is another apply; the seed reproduces the case.
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
