// The differential soundness test of inject mode (issue 11, "Prove it"): on generated terraform_data workspaces and
// random edits, velocity's inject plan equals a full `terraform plan` on every address it plans, and misses nothing
// the full plan changes. A failing case prints fast-check's seed and keeps its workspace (VELOCITY_DIFF_SEED/_PATH rerun it).

import { afterAll, describe, it } from 'vitest';
import { checkDifferential } from '../support/differential-property.js';
import { workspaceCaseArb } from '../support/inject-workspace-arb.js';
import { clearDifferentialCache, runDifferentialCase } from '../support/plan-diff.js';
import { tfBinary } from '../support/terraform-env.js';

describe.runIf(tfBinary)('inject mode against a full terraform plan (skipped only when no tofu/terraform is installed)', () => {
  afterAll(() => clearDifferentialCache());

  it('plans every generated edit like the full plan, and injects in at least half the cases', async () => {
    await checkDifferential({
      cases: workspaceCaseArb(), defaultRuns: 12, budgetMs: 420_000,
      run: (c, ledger) => runDifferentialCase(c, tfBinary as string, { mode: 'inject', ledger }),
    });
  }, 600_000);
});
