// The apply differential of `velocity apply` (issue 12, "Prove it"): on generated terraform_data workspaces and random
// edits, `velocity apply -auto-approve` exits 0, a full `terraform plan -detailed-exitcode` afterwards exits 0, and the
// merged state equals a full `terraform apply`'s of the same edit up to generated ids, every untouched instance byte
// for byte as it was. A failing case prints fast-check's seed and keeps both copies (VELOCITY_DIFF_SEED/_PATH rerun it).

import { afterAll, describe, it } from 'vitest';
import { runApplyDifferentialCase } from '../support/apply-diff.js';
import { checkDifferential } from '../support/differential-property.js';
import { workspaceCaseArb } from '../support/inject-workspace-arb.js';
import { clearDifferentialCache } from '../support/plan-diff.js';
import { tfBinary } from '../support/terraform-env.js';

describe.runIf(tfBinary)('velocity apply against a full terraform apply (skipped only when no tofu/terraform is installed)', () => {
  afterAll(() => clearDifferentialCache());

  it('applies every generated edit like the full apply, leaves nothing to plan, and injects in at least half the cases', async () => {
    await checkDifferential({
      cases: workspaceCaseArb(), defaultRuns: 6, budgetMs: 180_000, oracle: 'a full terraform apply',
      run: (c, ledger) => runApplyDifferentialCase(c, tfBinary as string, { mode: 'inject', ledger }),
    });
  }, 600_000);
});
