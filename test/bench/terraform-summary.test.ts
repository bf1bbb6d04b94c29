// The benchmarks' checks of terraform's summary lines (bench/terraform-summary.ts): counts read from real-looking
// output, exactly one line required, and a mismatch named with what was found, never a silent pass.
import { describe, expect, it } from 'vitest';
import { applyCounts, checkApply, checkPlan, ONE_CHANGE, planCounts } from '../../bench/terraform-summary.js';

const APPLY_OUT = `module.customer["c00010"].terraform_data.device["d07"]: Refreshing state... [id=f013]

Plan: 0 to add, 1 to change, 0 to destroy.
module.customer["c00010"].terraform_data.device["d07"]: Modifying... [id=f013]

Apply complete! Resources: 0 added, 1 changed, 0 destroyed.
Velocity: merged the sub-workspace into the state: serial 1 -> 2
`;

describe('terraform summary lines', () => {
  it('reads the plan and apply counts', () => {
    expect(planCounts(APPLY_OUT)).toEqual([{ add: 0, change: 1, destroy: 0 }]);
    expect(applyCounts(APPLY_OUT)).toEqual([{ add: 0, change: 1, destroy: 0 }]);
    expect(checkPlan(APPLY_OUT, ONE_CHANGE)).toBeNull();
    expect(checkApply(APPLY_OUT, ONE_CHANGE)).toBeNull();
  });

  it('names other counts, a missing line and a repeated one', () => {
    expect(checkApply('Apply complete! Resources: 0 added, 2 changed, 1 destroyed.\n', ONE_CHANGE)).toBe('applied 0 added, 2 changed, 1 destroyed, expected 0 added, 1 changed, 0 destroyed');
    expect(checkPlan('No changes. Your infrastructure matches the configuration.\n', ONE_CHANGE)).toBe('expected one "Plan:" line, found 0');
    expect(checkPlan('Plan: 0 to add, 1 to change, 0 to destroy.\nPlan: 0 to add, 1 to change, 0 to destroy.\n', ONE_CHANGE)).toBe('expected one "Plan:" line, found 2');
    // Only whole lines count: a quoted line inside other text is not the summary.
    expect(planCounts('  # Plan: 0 to add, 1 to change, 0 to destroy.\n')).toEqual([]);
  });
});
