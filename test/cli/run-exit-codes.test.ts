// Exit codes: 0 success, 1 user error with one stderr line naming the problem, 2 usage error. Never a stack trace.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli-harness.js';
import { itWithFixtures } from '../support/fixtures.js';
import { realStatesDir } from '../support/paths.js';

const demo = 'fixtures/demo/terraform.tfstate';

async function expectUserError(argv: string[], code: string): Promise<void> {
  const r = await runCli(argv);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain(`error[${code}]`);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe('CLI exit codes', () => {
  it.each([
    [['scope', '--state', demo, '--changed', 'terraform_data.nope'], 'ADDRESS_UNKNOWN'],
    [['scope', '--state', demo, '--changed', 'not an address'], 'ADDRESS_INVALID'],
    [['scope', '--state', 'missing.tfstate'], 'SOURCE_UNREADABLE'],
    [['cone', 'top', 'terraform_data.nope', '--state', demo], 'ADDRESS_UNKNOWN'],
  ])('%j → exit 1 with error[%s]', async (argv, code) => expectUserError(argv, code));

  itWithFixtures('real malformed and legacy states → exit 1 with STATE_VERSION_TOO_OLD / STATE_NOT_JSON', async () => {
    await expectUserError(['scope', '--state', join(realStatesDir, 'fujiwara__tfstate-lookup__tfstate__roundtrip__v3-grabbag.in.tfstate')], 'STATE_VERSION_TOO_OLD');
    await expectUserError(['scope', '--state', join(realStatesDir, 'snyk__driftctl__pkg__iac__terraform__state__testdata__v4__invalid.tfstate')], 'STATE_NOT_JSON');
  });

  it.each([[['scope']], [['scope', '--state', demo, '--strategy', 'fast']], [['scope', '--bogus']], [['cone', 'sideways', 'x.y', '--state', demo]], [['cone', 'top', '--state', demo]], [['frobnicate']], [[]]])(
    '%j → exit 2',
    async (argv) => {
      const r = await runCli(argv);
      expect(r.code).toBe(2);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    },
  );

  it('--help exits 0', async () => {
    expect((await runCli(['--help'])).code).toBe(0);
    expect((await runCli(['scope', '--help'])).code).toBe(0);
  });
});
