// `velocity graph` refuses what it cannot use: a stray positional (an address without --focus), an unknown
// flag, a bad --format/--cone/--group-by/--depth value, an empty value, a repeated option: exit 2 naming it.
import { afterAll, describe, it } from 'vitest';
import { expectUsageError, usageRows, usageScratch, type UsageCase } from '../support/usage-cases.js';

const scratch = usageScratch();
afterAll(() => scratch.cleanup());

const CASES: readonly UsageCase[] = [
  [['graph', '--state', 'STATE', 'terraform_data.a'], "'terraform_data.a'"],
  [['graph', '--state', 'STATE', '--formt', 'dot'], '--formt'],
  [['graph', '--state', 'STATE', '--format', 'bmp'], "'bmp'"],
  [['graph', '--state', 'STATE', '--focus', 'terraform_data.a', '--cone', 'sideways'], "'sideways'"],
  [['graph', '--state', 'STATE', '--group-by', 'colour'], "'colour'"],
  [['graph', '--state', 'STATE', '--focus', 'terraform_data.a', '--depth', '1e1'], '"1e1"'],
  [['graph', '--state', 'STATE', '--out', ''], '--out'],
  [['graph', '--state', 'STATE', '--format', 'dot', '--format', 'json'], '--format given more than once'],
  [['graph', '--state', 'STATE', '--depth', '1'], '--focus'],
];

describe('velocity graph arguments', () => {
  it.each(usageRows(CASES))('%s → exit 2 naming the argument', async (_name, c) => {
    await expectUsageError(scratch, c);
  });
});
