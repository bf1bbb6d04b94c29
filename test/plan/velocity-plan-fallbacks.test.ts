import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appliedCustomersWorkspace, type AppliedWorkspace } from '../support/applied-workspace.js';
import { capturePlan } from '../support/plan-capture.js';
import { tfBinary, tfEnv } from '../support/terraform-env.js';

describe.runIf(tfBinary)('velocityPlan runs in full, and says why, when it cannot scope (skipped only without tofu/terraform)', () => {
  let ws: AppliedWorkspace;
  beforeAll(() => {
    ws = appliedCustomersWorkspace(tfBinary as string, { customers: 2, devices: 4 });
  });
  afterAll(() => ws?.cleanup());

  it('--refresh-strategy=full passes straight through and refreshes everything', async () => {
    const { result, stdout } = await capturePlan({ cwd: ws.dir, env: tfEnv(), strategy: 'full', planArgs: ['-no-color'] });
    expect(result).toMatchObject({ exitCode: 0, mode: 'full', targets: [], refreshed: result.total });
    expect(result.command).toEqual(['plan', '-no-color']);
    expect(stdout).toContain(`Refreshing state... [Velocity: ${result.total}/${result.total} resources (0.0% savings)] (full plan)`);
  });

  it('falls back to full when the -target list would pass the OS argument limit', async () => {
    const { result, stdout } = await capturePlan({ cwd: ws.dir, env: tfEnv(), changed: [ws.device(0, 1)], mode: 'target', argMaxBytes: 10, planArgs: ['-no-color'] });
    expect(result.mode).toBe('full');
    expect(result.fallbackReason).toMatch(/over the OS limit/);
    expect(stdout).toContain('Velocity: running the full plan:');
  });

  it('passes -refresh=false through as a full plan (nothing is read anyway)', async () => {
    const { result } = await capturePlan({ cwd: ws.dir, env: tfEnv(), planArgs: ['-refresh=false'] });
    expect(result).toMatchObject({ mode: 'full', refreshed: 0, exitCode: 0 });
    expect(result.fallbackReason).toMatch(/-refresh=false/);
  });

  it('--dry-run-refresh prints the scope and the command and runs no plan', async () => {
    const { result, stdout } = await capturePlan({ cwd: ws.dir, env: tfEnv(), changed: [ws.device(1, 2)], mode: 'target', dryRun: true, verboseRefresh: true });
    expect(result).toMatchObject({ mode: 'dry-run', exitCode: 0, refreshed: undefined });
    expect(stdout).toContain(`${ws.device(1, 2)}: Refreshing... (change cone)`);
    // The controller is an input of the target: -target refreshes it, so it is never "served from state" (issue 10).
    expect(stdout).toContain('terraform_data.controller: Refreshing... (input of a -target)');
    expect(stdout).toContain('terraform_data.report: Using cached state (not in change cone)');
    expect(stdout).toContain('Velocity: dry run, nothing executed. Would run:');
    expect(stdout).not.toContain('Refreshing state... [id=');
  });
});

describe.runIf(tfBinary)('velocityPlan -chdir (skipped only without tofu/terraform)', () => {
  let ws: AppliedWorkspace;
  beforeAll(() => {
    ws = appliedCustomersWorkspace(tfBinary as string, { customers: 2, devices: 4 });
  });
  afterAll(() => ws?.cleanup());

  it('moves -chdir before the subcommand for state pull, the probe and the plan', async () => {
    const parent = join(ws.dir, '..');
    const { result } = await capturePlan({ cwd: parent, env: tfEnv(), mode: 'target', planArgs: [`-chdir=${basename(ws.dir)}`, ws.changeDeviceVar(1, 1), '-no-color'] });
    expect(result).toMatchObject({ exitCode: 0, mode: 'optimized' });
    expect(result.detection?.changed).toEqual([ws.device(1, 1)]);
    expect(result.command[0]).toBe(`-chdir=${basename(ws.dir)}`);
    expect(result.command[1]).toBe('plan');
  });
});
