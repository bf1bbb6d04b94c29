// `velocity apply` without -auto-approve: the binary's confirmation prompt is shown while it waits (not held back
// until a newline), velocity holds Terraform's lock on the real local state meanwhile (a concurrent `terraform
// apply` fails on the lock instead of applying between velocity's plan and merge), and answering "yes" applies and
// merges.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appliedCustomersWorkspace, type AppliedWorkspace } from '../support/applied-workspace.js';
import { assertFreshBuild, velocityBin } from '../support/built-package.js';
import { tfBinary, tfEnv } from '../support/terraform-env.js';

describe.runIf(tfBinary)('velocity apply waiting for confirmation (skipped only when no tofu/terraform is installed)', () => {
  let ws: AppliedWorkspace;
  beforeAll(() => {
    assertFreshBuild();
    ws = appliedCustomersWorkspace(tfBinary as string, { customers: 2 });
  });
  afterAll(() => ws?.cleanup());

  it('shows the prompt, holds the state lock until the merge, applies on "yes"', async () => {
    const env = tfEnv({ VELOCITY_TF_BINARY: tfBinary as string, TF_INPUT: '1' });
    const change = ws.changeDeviceVar(1, 5, 'v4');
    const before = (JSON.parse(readFileSync(join(ws.dir, 'terraform.tfstate'), 'utf8')) as { serial: number }).serial;
    const child = spawn(process.execPath, [velocityBin, 'apply', '-no-color', change], { cwd: ws.dir, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const prompted = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no prompt within 60 s:\n${stdout}\n${stderr}`)), 60_000);
      child.stdout.on('data', (c: Buffer) => {
        stdout += c.toString();
        if (stdout.includes('Enter a value:')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    await prompted;
    // The prompt line is shown before any newline follows it.
    expect(stdout.trimEnd().endsWith('Enter a value:')).toBe(true);
    const concurrent = spawnSync(tfBinary as string, ['apply', '-auto-approve', '-input=false', '-no-color', '-lock-timeout=0s'], { cwd: ws.dir, env: tfEnv(), encoding: 'utf8' });
    expect(concurrent.status).toBe(1);
    expect(concurrent.stderr + concurrent.stdout).toContain('Error acquiring the state lock');
    child.stdin.end('yes\n');
    expect(await exited, stdout + stderr).toBe(0);
    expect(stdout).toContain(`Velocity: merged the sub-workspace into the state: serial ${before} -> ${before + 1}`);
    const full = spawnSync(tfBinary as string, ['plan', '-detailed-exitcode', '-input=false', '-no-color', change], { cwd: ws.dir, env: tfEnv(), encoding: 'utf8' });
    expect(full.status, full.stdout + full.stderr).toBe(0);
  });
});
