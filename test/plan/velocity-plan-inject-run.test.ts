// Inject mode end to end on a terraform_data customers workspace: the binary plans a sub-workspace holding only the
// cone, its plan equals a full plan's, the savings line counts what it really refreshed, the sub-workspace is kept
// for -out and removed otherwise, and the real workspace's state is never written.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appliedCustomersWorkspace, type AppliedWorkspace } from '../support/applied-workspace.js';
import { capturePlan } from '../support/plan-capture.js';
import { tfBinary, tfEnv } from '../support/terraform-env.js';

type Change = { address: string; change: { actions: string[]; after: unknown; after_unknown: unknown; after_sensitive: unknown } };

/** resource_changes of a saved plan read in `dir`, by address. */
function planChanges(dir: string, planFile: string): Map<string, Change['change']> {
  const doc = JSON.parse(execFileSync(tfBinary as string, ['show', '-json', planFile], { cwd: dir, env: tfEnv(), encoding: 'utf8', maxBuffer: 1 << 28 })) as { resource_changes?: Change[] };
  return new Map((doc.resource_changes ?? []).map((r) => [r.address, r.change]));
}

describe.runIf(tfBinary)('velocity plan in inject mode (skipped only when no tofu/terraform is installed)', () => {
  let ws: AppliedWorkspace;
  beforeAll(() => {
    ws = appliedCustomersWorkspace(tfBinary as string, { customers: 3 });
  });
  afterAll(() => ws?.cleanup());

  it('plans exactly what a full plan changes, from a kept sub-workspace for -out', async () => {
    const change = ws.changeDeviceVar(2, 7, 'v5');
    const stateBefore = readFileSync(join(ws.dir, 'terraform.tfstate'));
    execFileSync(tfBinary as string, ['plan', '-input=false', '-out=full.tfplan', change], { cwd: ws.dir, env: tfEnv(), stdio: 'ignore' });
    const { result, stdout } = await capturePlan({ cwd: ws.dir, env: tfEnv(), mode: 'inject', planArgs: [change, '-out=velocity.tfplan', '-no-color'] });
    expect(result.exitCode).toBe(0);
    expect(result.mode).toBe('optimized');
    expect(result.injectFallback).toBeUndefined();
    const sub = result.subWorkspace as string;
    expect(sub.startsWith(join(ws.dir, '.velocity', 'work'))).toBe(true);
    expect(existsSync(join(sub, 'terraform.tfstate'))).toBe(true);
    const full = planChanges(ws.dir, join(ws.dir, 'full.tfplan'));
    const ours = planChanges(sub, join(ws.dir, 'velocity.tfplan'));
    for (const [address, c] of ours) expect(c, address).toEqual(full.get(address));
    for (const [address, c] of full) if (c.actions.some((a) => a !== 'no-op')) expect(ours.get(address), address).toEqual(c);
    expect([...full].filter(([, c]) => c.actions.includes('update')).map(([a]) => a)).toEqual([ws.device(2, 7)]);
    // What the binary refreshed is what the line says, and it is the sub-workspace's slice.
    const refreshLines = stdout.split('\n').filter((l) => l.includes(': Refreshing state...'));
    expect(result.refreshed).toBe(refreshLines.length);
    expect(result.refreshed).toBeLessThan(result.total / 5);
    expect(stdout).toContain(`Refreshing state... [Velocity: ${result.refreshed}/${result.total} resources`);
    expect(readFileSync(join(ws.dir, 'terraform.tfstate')).equals(stateBefore)).toBe(true);
    // The saved plan is the sub-workspace's: applying it to the real state is refused (it would drop the rest).
    let refused = '';
    try {
      execFileSync(tfBinary as string, ['apply', '-auto-approve', '-no-color', 'velocity.tfplan'], { cwd: ws.dir, env: tfEnv(), stdio: 'pipe', encoding: 'utf8' });
    } catch (error) {
      refused = String((error as { stderr?: string }).stderr ?? '');
    }
    expect(refused).toMatch(/different state lineage|Saved plan is stale/);
    expect(readFileSync(join(ws.dir, 'terraform.tfstate')).equals(stateBefore)).toBe(true);
  });

  it('removes the sub-workspace without -out, streams -json unchanged and lists cached instances', async () => {
    const work = join(ws.dir, '.velocity', 'work');
    const before = existsSync(work) ? readdirSync(work) : [];
    const { result, stdout, stderr } = await capturePlan({ cwd: ws.dir, env: tfEnv(), mode: 'inject', changed: [ws.device(0, 3)], verboseRefresh: true, planArgs: [ws.changeDeviceVar(0, 3, 'v9'), '-json'] });
    expect(result.exitCode).toBe(0);
    expect(result.subWorkspace).toBeUndefined();
    expect(existsSync(work) ? readdirSync(work) : []).toEqual(before);
    const lines = stdout.trim().split('\n');
    for (const l of lines) expect(() => JSON.parse(l)).not.toThrow();
    expect(lines.filter((l) => l.includes('"type":"refresh_start"'))).toHaveLength(result.refreshed as number);
    expect(stderr).toContain(`${ws.device(0, 3)}: Refreshing...`);
    expect(stderr).toContain(`${ws.device(1, 3)}: Using cached state (not in change cone)`);
  });
});
