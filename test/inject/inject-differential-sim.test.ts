// The inject differential with the test sim's `sim_resource` (a real gRPC provider, TF_REATTACH_PROVIDERS) instead of
// terraform_data: the same generated workspaces and edits, the inject plan equal to a full `terraform plan` on every
// address it plans and missing nothing it changes. A failing case prints the seed and keeps its workspace.

import { afterAll, beforeAll, describe, it } from 'vitest';
import { checkDifferential } from '../support/differential-property.js';
import { workspaceCaseArb } from '../support/inject-workspace-arb.js';
import { clearDifferentialCache, runDifferentialCase } from '../support/plan-diff.js';
import { startSim, terraformAvailable, terraformBin, type SimServer } from '../support/sim/index.js';

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
    await checkDifferential({
      cases: workspaceCaseArb('sim'), defaultRuns: 10, budgetMs: 360_000,
      run: (c, ledger) => runDifferentialCase(c, terraformBin(), { mode: 'inject', ledger, provider: 'sim', env: sim.reattachEnv() }),
      keptNote: ' (its sim objects are gone with the sim: rerun the seed)',
    });
  }, 600_000);
});
