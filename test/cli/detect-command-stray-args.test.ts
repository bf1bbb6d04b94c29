// `velocity detect` and `velocity ledger record` refuse what they cannot use: a stray positional, an unknown
// double- or single-dash flag (`-json` is not read as -j -s -o -n), an empty value, a repeated option, an unknown
// ledger subcommand, and `ledger` alone: exit 2 naming the argument.
import { afterAll, describe, it } from 'vitest';
import { expectUsageError, usageRows, usageScratch, type UsageCase } from '../support/usage-cases.js';

const scratch = usageScratch();
afterAll(() => scratch.cleanup());

const CASES: readonly UsageCase[] = [
  [['detect', '--state', 'STATE', 'main.tf'], "'main.tf'"],
  [['detect', '--state', 'STATE', '--chnaged-since', 'HEAD'], '--chnaged-since'],
  [['detect', '--state', 'STATE', '-json'], "'-json'"],
  [['detect', '--state', 'STATE', '--dir', ''], '--dir'],
  [['detect', '--state', 'STATE', '--ledger', 'a.json', '--ledger', 'b.json'], '--ledger given more than once'],
  [['detect', '--state', 'STATE', '--changed-since='], '--changed-since'],
  [['ledger', 'record', '--state', 'STATE', 'extra'], "'extra'"],
  [['ledger', 'record', '--state', 'STATE', '--changed-since', 'HEAD'], '--changed-since'],
  [['ledger', 'record', '--state', 'STATE', '-no-color'], "'-no-color'"],
  [['ledger', 'forget', '--state', 'STATE'], "'forget'"],
  [['ledger'], 'velocity ledger record'],
];

describe('velocity detect and ledger arguments', () => {
  it.each(usageRows(CASES))('%s → exit 2 naming the argument', async (_name, c) => {
    await expectUsageError(scratch, c);
  });
});
