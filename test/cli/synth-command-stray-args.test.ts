// `velocity synth` refuses what it cannot use: a stray positional, an unknown flag, a count that is not a
// decimal integer (hex, blank, fraction, below 1), an unknown shape, an empty --out, a repeated option: exit 2.
import { afterAll, describe, it } from 'vitest';
import { expectUsageError, usageRows, usageScratch, type UsageCase } from '../support/usage-cases.js';

const scratch = usageScratch();
afterAll(() => scratch.cleanup());

const CASES: readonly UsageCase[] = [
  [['synth', '--resources', '10', '--out', 'w', 'extra'], "'extra'"],
  [['synth', '--resources', '10', '--out', 'w', '--sede', '1'], '--sede'],
  ...['0x10', ' 5', '2.5', '0', ''].map((n): UsageCase => [['synth', `--resources=${n}`, '--out', 'w'], n === '' ? '--resources' : JSON.stringify(n)]),
  [['synth', '--resources', '10', '--seed', '-1', '--out', 'w'], '--seed'],
  [['synth', '--resources', '10', '--shape', 'ring', '--out', 'w'], '"ring"'],
  [['synth', '--resources', '10', '--out', ''], '--out'],
  [['synth', '--resources', '10', '--resources', '20', '--out', 'w'], '--resources given more than once'],
];

describe('velocity synth arguments', () => {
  it.each(usageRows(CASES))('%s → exit 2 naming the argument', async (_name, c) => {
    await expectUsageError(scratch, c);
  });
});
