// `velocity plan -out=F` in inject mode, then `velocity apply F`: the saved plan is applied in its sub-workspace and
// merged into the real state; the registry entry and the sub-workspace are gone afterwards and a full plan is clean.
// A plan file velocity did not save is applied as the binary would (and records no ledger).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appliedCustomersWorkspace, type AppliedWorkspace } from '../support/applied-workspace.js';
import { captureApply } from '../support/apply-capture.js';
import { capturePlan } from '../support/plan-capture.js';
import { tfBinary, tfEnv } from '../support/terraform-env.js';

const serialOf = (dir: string): number => (JSON.parse(readFileSync(join(dir, 'terraform.tfstate'), 'utf8')) as { serial: number }).serial;

describe.runIf(tfBinary)('velocity apply PLANFILE (skipped only when no tofu/terraform is installed)', () => {
  let ws: AppliedWorkspace;
  beforeAll(() => {
    ws = appliedCustomersWorkspace(tfBinary as string, { customers: 2 });
  });
  afterAll(() => ws?.cleanup());

  it('applies an inject-mode plan where it was planned and merges it', async () => {
    const change = ws.changeDeviceVar(0, 2, 'v7');
    const serial = serialOf(ws.dir);
    const plan = await capturePlan({ cwd: ws.dir, env: tfEnv(), mode: 'inject', planArgs: [change, '-out=saved.tfplan', '-no-color'] });
    expect(plan.result.execution).toBe('inject');
    expect(readdirSync(join(ws.dir, '.velocity', 'plans'))).toHaveLength(1);
    const { result, stdout } = await captureApply({ cwd: ws.dir, env: tfEnv(), planArgs: ['-no-color', 'saved.tfplan'] });
    expect(result.exitCode, stdout).toBe(0);
    expect(result.execution).toBe('saved-plan');
    expect(result.merge?.kind).toBe('written');
    expect(serialOf(ws.dir)).toBe(serial + 1);
    expect(existsSync(plan.result.subWorkspace as string)).toBe(false);
    expect(readdirSync(join(ws.dir, '.velocity', 'plans'))).toEqual([]);
    expect(result.ledger).toMatchObject({ recorded: true, serial: serial + 1 });
    const full = spawnSync(tfBinary as string, ['plan', '-detailed-exitcode', '-input=false', '-no-color', change], { cwd: ws.dir, env: tfEnv(), encoding: 'utf8' });
    expect(full.status, full.stdout + full.stderr).toBe(0);
  });

  it('applies a plan file it did not save as the binary would, without recording the ledger', async () => {
    const change = ws.changeDeviceVar(1, 4, 'v8');
    execFileSync(tfBinary as string, ['plan', '-input=false', '-no-color', '-out=plain.tfplan', change], { cwd: ws.dir, env: tfEnv(), stdio: 'ignore' });
    const serial = serialOf(ws.dir);
    const { result, stdout } = await captureApply({ cwd: ws.dir, env: tfEnv(), planArgs: ['-no-color', 'plain.tfplan'] });
    expect(result.exitCode, stdout).toBe(0);
    expect(result.merge).toBeUndefined();
    expect(result.ledger.recorded).toBe(false);
    expect(serialOf(ws.dir)).toBeGreaterThan(serial);
    expect(stdout).toContain('Apply complete!');
  });
});
