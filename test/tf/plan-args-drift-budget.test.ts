// `--drift-budget K` of `velocity plan`: a velocity flag (never passed to the binary) taking a whole number >= 1;
// anything else is a usage error (code USAGE, exit 2).
import { describe, expect, it } from 'vitest';
import { splitPlanArgs } from '../../src/tf/plan-args.js';

describe('splitPlanArgs: --drift-budget', () => {
  it('reads K in both spellings and keeps it from the binary', () => {
    const split = splitPlanArgs(['--drift-budget', '4', '-json']);
    expect(split.velocity.driftBudget).toBe(4);
    expect(split.binaryArgv).toEqual(['-json']);
    expect(splitPlanArgs(['--drift-budget=12']).velocity.driftBudget).toBe(12);
    expect(splitPlanArgs([]).velocity.driftBudget).toBeUndefined();
  });

  it('refuses a K that is not a whole number >= 1', () => {
    for (const bad of ['0', '-1', '1.5', '', ' 2', '1e2', 'four', '0x4', '99999999999999999999']) {
      let error: { code?: string; exitCode?: number } | undefined;
      try {
        splitPlanArgs([`--drift-budget=${bad}`]);
      } catch (e) {
        error = e as typeof error;
      }
      expect({ bad, code: error?.code, exitCode: error?.exitCode }).toEqual({ bad, code: 'USAGE', exitCode: 2 });
    }
    expect(() => splitPlanArgs(['--drift-budget'])).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });
});
