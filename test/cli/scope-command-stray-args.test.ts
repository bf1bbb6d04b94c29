// `velocity scope` ignores nothing: a stray address (without --changed/--target), an unknown flag, a bad or
// empty value, a single-value option given twice are usage errors (exit 2) that name the argument.
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli-harness.js';
import { expectUsageError, usageRows, usageScratch, type UsageCase } from '../support/usage-cases.js';

const scratch = usageScratch();
afterAll(() => scratch.cleanup());
const S = 'STATE';

const CASES: readonly UsageCase[] = [
  [['scope', '--state', S, 'terraform_data.a'], "'terraform_data.a'"],
  [['scope', 'terraform_data.a', '--state', S, '--changed', 'terraform_data.b'], "'terraform_data.a'"],
  [['scope', '--state', S, '--chagned', 'terraform_data.a'], '--chagned'],
  [['scope', '--state', S, '--strategy', 'fast'], '"fast"'],
  [['scope', '--state', S, '--strategy', ''], '--strategy'],
  [['scope', '--state', '', '--changed', 'terraform_data.a'], '--state'],
  [['scope', '--state', S, '--state', S, '--changed', 'terraform_data.a'], '--state'],
  [['scope', '--state', S, '--json=yes'], '--json'],
  [['scope', '--state', S, '--changed'], '--changed'],
];

describe('velocity scope arguments', () => {
  it.each(usageRows(CASES))('%s → exit 2 naming the argument', async (_name, c) => {
    await expectUsageError(scratch, c);
  });

  it('still answers a well-formed command', async () => {
    const r = await runCli(['scope', '--state', scratch.state, '--changed', 'terraform_data.a', '--json'], { cwd: scratch.dir, env: { VELOCITY_CACHE: '0' } });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ total: 2, refresh: ['terraform_data.a', 'terraform_data.b'] });
  });
});
