// `--lock-scope cone|state` is velocity's flag (what an inject-mode run locks on a velocity server), default cone;
// any other value is a USAGE error; it never reaches the binary.
import { describe, expect, it } from 'vitest';
import { splitPlanArgs } from '../../src/tf/plan-args.js';

describe('splitPlanArgs --lock-scope', () => {
  it('reads cone or state, defaults to cone, refuses anything else', () => {
    expect(splitPlanArgs([]).velocity.lockScope).toBe('cone');
    const split = splitPlanArgs(['--lock-scope', 'state', '-lock-timeout=5s']);
    expect(split.velocity.lockScope).toBe('state');
    expect(split.binary.rest).toEqual(['-lock-timeout=5s']);
    expect(split.binary.lockTimeoutMs).toBe(5000);
    expect(splitPlanArgs(['--lock-scope=cone']).velocity.lockScope).toBe('cone');
    expect(() => splitPlanArgs(['--lock-scope=all'])).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });
});
