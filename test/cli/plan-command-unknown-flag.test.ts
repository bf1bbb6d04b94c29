// `velocity plan` refuses a double-dash flag that is neither velocity's nor a plan flag of the binary (a typo
// such as --chaged would otherwise reach terraform after velocity ran its probe), with exit 2 naming it; every
// binary flag still passes through verbatim, in either spelling, and anything after `--` passes unchecked.
import { describe, expect, it } from 'vitest';
import { splitPlanArgs } from '../../src/tf/plan-args.js';
import { runCli } from '../support/cli-harness.js';

describe('velocity plan flags', () => {
  it.each(['--chaged', '--dry-run', '--refresh-stratgy=full', '--verbose'])('%s → exit 2 naming the flag, before running anything', async (flag) => {
    const r = await runCli(['plan', flag, 'x', '--binary', '/nonexistent/terraform']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--${flag.replace(/^--/, '').replace(/=.*$/, '')}`);
    expect(r.stderr).toContain('error[USAGE]');
  });

  it('passes binary flags through, with one dash or two, and everything after --', () => {
    const argv = ['-lock=false', '--lock-timeout=5s', '--var', 'a=b', '-no-color', '--parallelism', '3', '--json', '-some-future-flag', '--', '--anything'];
    const { binaryArgv, binary } = splitPlanArgs(argv);
    expect(binaryArgv).toEqual(argv.filter((a) => a !== '--'));
    expect(binary.json).toBe(true);
  });
});
