// A target-mode plan with Terraform >= 1.17 passes `-minimal-refresh` (and says so), unless the user passed it
// themselves; older Terraform and OpenTofu get no such flag. Run through the CLI against a scripted binary that
// records its argv (the installed Terraform 1.11 has no -minimal-refresh).
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli-harness.js';
import { fakeBinary } from '../support/fake-binary.js';
import { stateJson } from '../support/state-builder.js';

const STATE = stateJson([{ name: 'a' }, { name: 'b', dependencies: ['terraform_data.a'] }, { name: 'c' }]);

/** Runs `velocity plan ARGS` in a workspace whose binary answers `version` with `version`; the recorded plan argv. */
async function planArgv(version: string, args: string[]): Promise<{ argv: string[][]; stdout: string; code: number }> {
  const fake = fakeBinary({ version, planLines: ['No changes. Your infrastructure matches the configuration.'] });
  try {
    writeFileSync(join(fake.dir, 'terraform.tfstate'), STATE);
    const env = { PATH: '/usr/bin:/bin', VELOCITY_CACHE_DIR: join(tmpdir(), 'velocity-test-cache') };
    const r = await runCli(['plan', '--binary', fake.path, ...args], { cwd: fake.dir, env });
    return { argv: fake.calls('plan'), stdout: r.stdout, code: r.code };
  } finally {
    fake.cleanup();
  }
}

describe('velocity plan --mode target: -minimal-refresh', () => {
  it('is added for Terraform 1.17.0, before the -target flags, and the output says so', async () => {
    const r = await planArgv('Terraform v1.17.0', ['--mode', 'target', '--changed', 'terraform_data.b', '-no-color']);
    expect(r.code).toBe(0);
    expect(r.argv).toEqual([['plan', '-no-color', '-minimal-refresh', '-target=terraform_data.b']]);
    expect(r.stdout.split('\n').filter((l) => l.includes('-minimal-refresh'))).toEqual(['Velocity: terraform 1.17.0 supports -minimal-refresh: passing it with the -target flags']);
  });

  it('is added in auto mode too, when it falls back to target', async () => {
    const r = await planArgv('Terraform v1.18.2', ['--changed', 'terraform_data.b']);
    expect(r.argv).toEqual([['plan', '-minimal-refresh', '-target=terraform_data.b']]);
  });

  it("is not added twice, nor against the user's -minimal-refresh=false", async () => {
    for (const own of ['-minimal-refresh', '-minimal-refresh=false', '--minimal-refresh']) {
      const r = await planArgv('Terraform v1.17.0', ['--changed', 'terraform_data.b', own]);
      expect(r.argv, own).toEqual([['plan', own, '-target=terraform_data.b']]);
      expect(r.stdout).not.toContain('supports -minimal-refresh');
    }
  });

  it('is not added for Terraform 1.11, a 1.17.0 pre-release, OpenTofu, or a full plan', async () => {
    for (const [version, args] of [
      ['Terraform v1.11.4', []],
      ['Terraform v1.17.0-rc1', []],
      ['OpenTofu v1.10.0', []],
      ['Terraform v1.17.0', ['--mode', 'full']],
    ] as const) {
      const r = await planArgv(version, ['--changed', 'terraform_data.b', ...args]);
      expect(r.argv.flat(), version).not.toContain('-minimal-refresh');
      expect(r.argv, version).toHaveLength(1);
      expect(r.stdout).not.toContain('-minimal-refresh');
    }
  });
});
