// relocatePlanArgs makes the file flags of a plan absolute against the workspace, in both spellings, and keeps
// every other argument verbatim and in order.
import { describe, expect, it } from 'vitest';
import { relocatePlanArgs } from '../../src/tf/relocate-plan-args.js';

describe('relocatePlanArgs', () => {
  it('resolves -var-file, -out, -target-file and -exclude-file, leaving the rest alone', () => {
    expect(relocatePlanArgs(['-var-file=a.tfvars', '-var', 'x=1', '-out', 'p.tfplan', '--target-file=t', '-exclude-file=/abs/e', '-no-color', 'positional'], '/ws')).toEqual([
      '-var-file=/ws/a.tfvars', '-var', 'x=1', '-out', '/ws/p.tfplan', '--target-file=/ws/t', '-exclude-file=/abs/e', '-no-color', 'positional',
    ]);
  });
});
