// Issue 16 item 10: a `--state` that is not the workspace's printed "5/3 resources (-66.7% savings)". velocity
// refuses it with STATE_MISMATCH (exit 1): another lineage than the workspace's own state, or a change that updates
// instances the given state lacks (not creates).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../support/cli-harness.js';
import { tfBinary, tfEnv } from '../support/terraform-env.js';

const cli = (args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<CliResult> => runCli(args, { cwd, env });

function applied(root: string, name: string, count: number, env: NodeJS.ProcessEnv): string {
  const dir = join(root, name);
  execFileSync('mkdir', ['-p', dir]);
  writeFileSync(join(dir, 'main.tf'), `variable "v" {\n  default = "a"\n}\nresource "terraform_data" "r" {\n  count = ${count}\n  input = var.v\n}\n`);
  execFileSync(tfBinary as string, ['init', '-input=false', '-no-color'], { cwd: dir, env, stdio: 'ignore' });
  execFileSync(tfBinary as string, ['apply', '-auto-approve', '-input=false', '-no-color'], { cwd: dir, env, stdio: 'ignore' });
  return dir;
}

describe.runIf(tfBinary)('velocity plan --state of another workspace (skipped only without tofu/terraform)', () => {
  let root: string;
  let env: NodeJS.ProcessEnv;
  let five: string;
  let three: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'velocity-mismatch-'));
    env = tfEnv({ VELOCITY_CACHE_DIR: join(root, '.cache') });
    five = applied(root, 'five', 5, env);
    three = applied(root, 'three', 3, env);
  }, 300_000);
  afterAll(() => root && rmSync(root, { recursive: true, force: true }));

  it('a state of another lineage is error[STATE_MISMATCH], exit 1, and no savings line', async () => {
    const r = await cli(['plan', '--state', join(three, 'terraform.tfstate'), '--changed', 'terraform_data.r[0]', '--dry-run-refresh'], five, env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error[STATE_MISMATCH]');
    expect(r.stdout).not.toContain('[Velocity:');
  });

  it("a state of the workspace's lineage that lacks changed instances is error[STATE_MISMATCH]", async () => {
    // The workspace's own state with two instances cut out, then a change of every instance (found by the probe).
    const doc = JSON.parse(readFileSync(join(five, 'terraform.tfstate'), 'utf8')) as { resources: { instances: unknown[] }[] };
    (doc.resources[0] as { instances: unknown[] }).instances.splice(3);
    const stale = join(root, 'stale.tfstate');
    writeFileSync(stale, JSON.stringify(doc));
    const r = await cli(['plan', '--state', stale, '--dry-run-refresh', '-var=v=b', '-no-color'], five, env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error[STATE_MISMATCH]');
  });

  it("the workspace's own state file passes", async () => {
    const r = await cli(['plan', '--state', join(five, 'terraform.tfstate'), '--changed', 'terraform_data.r[0]', '--dry-run-refresh'], five, env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('[Velocity:');
  });
});
