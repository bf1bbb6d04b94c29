// The apply differential with the test sim's `sim_resource` (a real gRPC provider, TF_REATTACH_PROVIDERS): the same
// generated workspaces and edits, `velocity apply` then a full plan with nothing to do, and the merged state equal to
// a full `terraform apply`'s. Each copy lives in a sim namespace of its own (apply-diff.ts), so the two applies and
// later cases never see each other's sim objects. A failing case prints the seed and keeps both copies.

import { afterAll, beforeAll, describe, it } from 'vitest';
import { runApplyDifferentialCase } from '../support/apply-diff.js';
import { checkDifferential } from '../support/differential-property.js';
import { workspaceCaseArb } from '../support/inject-workspace-arb.js';
import { clearDifferentialCache } from '../support/plan-diff.js';
import { startSim, terraformAvailable, terraformBin, type SimServer } from '../support/sim/index.js';

describe.skipIf(!terraformAvailable())('velocity apply against a full terraform apply, sim provider (skipped only when terraform is absent)', () => {
  let sim: SimServer;
  beforeAll(async () => {
    sim = await startSim();
  }, 60_000);
  afterAll(async () => {
    clearDifferentialCache();
    await sim?.stop();
  });

  it('applies every generated edit like the full apply, leaves nothing to plan, and injects in at least half the cases', async () => {
    await checkDifferential({
      cases: workspaceCaseArb('sim'), defaultRuns: 6, budgetMs: 180_000, oracle: 'a full terraform apply',
      run: (c, ledger) => runApplyDifferentialCase(c, terraformBin(), { mode: 'inject', ledger, provider: 'sim', env: sim.reattachEnv(), cloud: () => sim.objects() }),
      keptNote: ' (their sim objects are gone with the sim: rerun the seed)',
    });
  }, 600_000);
});
