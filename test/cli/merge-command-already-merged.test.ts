// `velocity merge DIR` (the built CLI) of a sub-workspace whose merge was already written (a run that died after the
// write and before removing DIR, here a copy of DIR taken before the merge): recognised, nothing written, DIR removed.
// Once the state really moved (a plain terraform apply), another copy is refused with STATE_MOVED, nothing written.
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appliedCustomersWorkspace, type AppliedWorkspace } from '../support/applied-workspace.js';
import { assertFreshBuild, runVelocityBin } from '../support/built-package.js';
import { tfBinary, tfEnv } from '../support/terraform-env.js';

const serialOf = (text: Buffer): number => (JSON.parse(text.toString()) as { serial: number }).serial;

describe.runIf(tfBinary)('velocity merge of an already merged sub-workspace (skipped only without tofu/terraform)', () => {
  let ws: AppliedWorkspace;
  let env: NodeJS.ProcessEnv;
  beforeAll(() => {
    assertFreshBuild();
    ws = appliedCustomersWorkspace(tfBinary as string, { customers: 2 });
    env = tfEnv({ VELOCITY_TF_BINARY: tfBinary as string });
  });
  afterAll(() => ws?.cleanup());

  it('says it is done and removes DIR; refuses once the state really moved', async () => {
    const statePath = join(ws.dir, 'terraform.tfstate');
    const planned = serialOf(readFileSync(statePath));
    const change = ws.changeDeviceVar(0, 3, 'v5');
    const plan = await runVelocityBin(['plan', '--mode', 'inject', change, '-out=saved.tfplan', '-no-color'], { cwd: ws.dir, env });
    expect(plan.code, plan.stderr).toBe(0);
    const sub = /-chdir=(\S+) show/.exec(plan.stdout)?.[1] ?? '';
    // The binary's apply in the sub-workspace, as `velocity apply` runs it; then two copies of DIR.
    execFileSync(tfBinary as string, [`-chdir=${sub}`, 'apply', '-input=false', '-no-color', join(ws.dir, 'saved.tfplan')], { env: tfEnv(), stdio: 'ignore', timeout: 120_000 });
    cpSync(sub, `${sub}-copy1`, { recursive: true });
    cpSync(sub, `${sub}-copy2`, { recursive: true });

    const first = await runVelocityBin(['merge', sub], { cwd: ws.dir, env });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(`serial ${planned} -> ${planned + 1}`);
    const merged = readFileSync(statePath);

    const again = await runVelocityBin(['merge', `${sub}-copy1`], { cwd: ws.dir, env });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(`Velocity: the real state already holds this sub-workspace's merge (serial ${planned + 1}): nothing to write`);
    expect(readFileSync(statePath).equals(merged)).toBe(true);
    expect(existsSync(`${sub}-copy1`)).toBe(false);

    execFileSync(tfBinary as string, ['apply', '-auto-approve', '-input=false', '-no-color', change.replace('v5', 'v6')], { cwd: ws.dir, env: tfEnv(), stdio: 'ignore', timeout: 120_000 });
    const moved = readFileSync(statePath);
    const refused = await runVelocityBin(['merge', `${sub}-copy2`], { cwd: ws.dir, env });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('error[STATE_MOVED]');
    expect(readFileSync(statePath).equals(moved)).toBe(true);
    expect(existsSync(`${sub}-copy2`)).toBe(true);
  }, 120_000);
});
