// velocityLockSet: refresh ∪ creates ∪ the owned entries (whole: the resource address, data. prefixed for data,
// under its module; keyed: those instances) ∪ output.NAME, sorted and unique; `state` is the whole state.
import { describe, expect, it } from 'vitest';
import { velocityLockSet } from '../../src/apply/velocity-lock-set.js';

describe('velocityLockSet', () => {
  it('locks what the run refreshes, owns and creates', () => {
    const owned = {
      resources: [
        { module: '', mode: 'managed' as const, type: 'terraform_data', name: 'a' },
        { module: 'module.k["q"]', mode: 'data' as const, type: 'terraform_data', name: 'n' },
        { module: '', mode: 'managed' as const, type: 'terraform_data', name: 'm', keys: ['x', 3] },
      ],
      outputs: ['out'],
    };
    expect(velocityLockSet(['terraform_data.a', 'terraform_data.b'], owned, ['terraform_data.new'])).toEqual([
      'module.k["q"].data.terraform_data.n',
      'output.out',
      'terraform_data.a',
      'terraform_data.b',
      'terraform_data.m["x"]',
      'terraform_data.m[3]',
      'terraform_data.new',
    ]);
    expect(velocityLockSet(['terraform_data.a'], owned, [], 'state')).toEqual(['*']);
  });
});
