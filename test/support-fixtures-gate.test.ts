// The shared-fixtures gate (test/support/fixtures.ts): present → run; absent → skip with the reason; absent while CI
// is set → fail, so a clone elsewhere runs green and CI never silently skips.
import { describe, expect, it } from 'vitest';
import { fixturesMode } from './support/fixtures.js';

describe('fixturesMode', () => {
  it('runs whenever the fixtures are present, CI or not', () => {
    expect(fixturesMode(true, {})).toBe('run');
    expect(fixturesMode(true, { CI: 'true' })).toBe('run');
  });

  it('skips when absent outside CI, fails when absent in CI', () => {
    expect(fixturesMode(false, {})).toBe('skip');
    for (const off of ['', '0', 'false', 'FALSE']) expect(fixturesMode(false, { CI: off })).toBe('skip');
    for (const on of ['1', 'true', 'yes']) expect(fixturesMode(false, { CI: on })).toBe('fail');
  });
});
