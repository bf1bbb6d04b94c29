// `velocity drift` usage errors: a bad --budget, --budget with --all, and flags a drift run cannot honour exit 2 with
// error[USAGE] before any binary runs; --help prints the usage and exits 0.
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli-harness.js';

describe('velocity drift: usage', () => {
  it('refuses what it cannot do with exit 2 and error[USAGE]', async () => {
    const cases = [
      ['--budget', '0'], ['--budget=1.5'], ['--budget'], ['--budget', '2', '--all'], ['--all=yes'],
      ['-out=plan.tfplan'], ['-destroy'], ['-refresh=false'], ['-target=sim_resource.x'],
      ['--changed', 'sim_resource.x'], ['--drift-budget', '2'], ['--dry-run-refresh'], ['--mode', 'full', '--budget', '3'],
    ];
    for (const args of cases) {
      const r = await runCli(['drift', ...args]);
      expect({ args, code: r.code, usage: /error\[USAGE\]/.test(r.stderr), stdout: r.stdout }).toEqual({ args, code: 2, usage: true, stdout: '' });
    }
  });

  it('prints its usage for --help', async () => {
    const r = await runCli(['drift', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^usage: velocity drift/);
  });
});
