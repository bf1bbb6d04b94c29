// `velocity cone` refuses what it cannot use: a direction other than top/bottom, a --depth that is not a
// whole number (blank, 1e1, 0x2, 1.0, -1), an unknown flag, an empty --state, --state twice: exit 2 naming it.
import { afterAll, describe, it } from 'vitest';
import { expectUsageError, usageRows, usageScratch, type UsageCase } from '../support/usage-cases.js';

const scratch = usageScratch();
afterAll(() => scratch.cleanup());

const CASES: readonly UsageCase[] = [
  [['cone', 'sideways', 'terraform_data.a', '--state', 'STATE'], "'sideways'"],
  [['cone', 'top', '--state', 'STATE'], 'at least one address'],
  ...['', ' 1', '1e1', '0x2', '1.0', '-1', 'two'].map((d): UsageCase => [['cone', 'top', 'terraform_data.a', '--state', 'STATE', `--depth=${d}`], d === '' ? 'option --depth needs a non-empty value' : `--depth must be a whole number ≥ 0, got ${JSON.stringify(d)}`]),
  [['cone', 'top', 'terraform_data.a', '--state', 'STATE', '--dpeth', '1'], '--dpeth'],
  [['cone', 'top', 'terraform_data.a', '--state', ''], '--state'],
  [['cone', 'top', 'terraform_data.a', '--state', 'STATE', '--state', 'STATE'], '--state given more than once'],
];

describe('velocity cone arguments', () => {
  it.each(usageRows(CASES))('%s → exit 2 naming the argument', async (_name, c) => {
    await expectUsageError(scratch, c);
  });
});
