import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePlanChangesText } from '../../src/tf/parse-plan-json.js';
import { appliedCustomersWorkspace, type AppliedWorkspace } from '../support/applied-workspace.js';
import { capturePlan } from '../support/plan-capture.js';
import { tfBinary, tfEnv } from '../support/terraform-env.js';

/** Non-no-op resource changes of a saved plan, with their planned values. */
function changesOf(ws: AppliedWorkspace, planFile: string): { address: string; actions: string[]; after: unknown }[] {
  const json = execFileSync(tfBinary as string, ['show', '-json', planFile], { cwd: ws.dir, env: tfEnv(), encoding: 'utf8', maxBuffer: 1 << 28 });
  parsePlanChangesText(json); // it is a plan document
  const doc = JSON.parse(json) as { resource_changes: { address: string; change: { actions: string[]; after: unknown } }[] };
  return doc.resource_changes.filter((r) => r.change.actions.some((a) => a !== 'no-op')).map((r) => ({ address: r.address, actions: r.change.actions, after: r.change.after }));
}

describe.runIf(tfBinary)('velocityPlan on a terraform_data customers workspace (skipped only when no tofu/terraform is installed)', () => {
  let ws: AppliedWorkspace;
  beforeAll(() => {
    ws = appliedCustomersWorkspace(tfBinary as string, { customers: 3 });
  });
  afterAll(() => ws?.cleanup());

  it('plans the same change as a full plan, refreshing only what it reports, and prints the savings line', async () => {
    const change = ws.changeDeviceVar(1, 4);
    execFileSync(tfBinary as string, ['plan', '-input=false', '-out=full.tfplan', change], { cwd: ws.dir, env: tfEnv(), stdio: 'ignore' });
    const { result, stdout } = await capturePlan({ cwd: ws.dir, env: tfEnv(), mode: 'target', planArgs: [change, '-out=velocity.tfplan', '-no-color'] });
    expect(result.exitCode).toBe(0);
    expect(result.mode).toBe('optimized');
    expect(result.detection).toMatchObject({ source: 'probe', changed: [ws.device(1, 4)] });
    expect(changesOf(ws, join(ws.dir, 'velocity.tfplan'))).toEqual(changesOf(ws, join(ws.dir, 'full.tfplan')));
    // R is what terraform printed, one `Refreshing state...` line per instance, and it is what the line says.
    const refreshLines = stdout.split('\n').filter((l) => l.includes(': Refreshing state...'));
    expect(result.refreshed).toBe(refreshLines.length);
    expect(result.refreshed).toBeLessThan(result.total);
    expect(result.refreshedAddresses).toContain(ws.device(1, 4));
    const pct = (Math.floor((1 - (result.refreshed as number) / result.total) * 1000) / 10).toFixed(1);
    expect(stdout).toContain(`Refreshing state... [Velocity: ${result.refreshed}/${result.total} resources (${pct}% savings)]`);
    // The savings line comes after the binary's refresh lines and before its plan.
    const lines = stdout.split('\n');
    const at = lines.findIndex((l) => l.startsWith('Refreshing state... [Velocity:'));
    expect(lines.slice(at + 1).some((l) => l.includes(': Refreshing state...'))).toBe(false);
    expect(lines.slice(at).some((l) => l.includes('will be updated in-place'))).toBe(true);
    expect(result.targetingWarning).toBe(true);
    expect(stdout).toContain('"Resource targeting is in effect" warning is expected');
    // The saved plan applies.
    execFileSync(tfBinary as string, ['apply', '-input=false', 'velocity.tfplan'], { cwd: ws.dir, env: tfEnv(), stdio: 'ignore' });
  });

  it("returns -detailed-exitcode's 2 for a change and 0 (with no read at all) when nothing changed", async () => {
    const changed = await capturePlan({ cwd: ws.dir, env: tfEnv(), planArgs: [ws.changeDeviceVar(2, 0, 'v7'), '-detailed-exitcode'] });
    expect(changed.result.exitCode).toBe(2);
    const none = await capturePlan({ cwd: ws.dir, env: tfEnv(), planArgs: [ws.changeDeviceVar(1, 4), '-detailed-exitcode'] });
    expect(none.result).toMatchObject({ exitCode: 0, mode: 'no-refresh', refreshed: 0 });
    expect(none.stdout).toContain('No changes.');
  });

  it("keeps the user's -json stream pure JSON on stdout and moves velocity's lines to stderr", async () => {
    const { result, stdout, stderr } = await capturePlan({ cwd: ws.dir, env: tfEnv(), planArgs: [ws.changeDeviceVar(0, 3, 'v9'), '-json'] });
    expect(result.exitCode).toBe(0);
    const lines = stdout.trim().split('\n');
    for (const l of lines) expect(() => JSON.parse(l)).not.toThrow();
    expect(lines.filter((l) => l.includes('"type":"refresh_start"'))).toHaveLength(result.refreshed as number);
    expect(stderr).toContain(`Refreshing state... [Velocity: ${result.refreshed}/${result.total} resources`);
  });

  it('uses explicit --changed addresses without a probe', async () => {
    const { result } = await capturePlan({ cwd: ws.dir, env: tfEnv(), changed: [ws.device(0, 1)], planArgs: ['-no-color'] });
    expect(result.detection).toMatchObject({ source: 'explicit', changed: [ws.device(0, 1)] });
    expect(result.exitCode).toBe(0);
    expect(result.refreshedAddresses).toContain(ws.device(0, 1));
  });
});
