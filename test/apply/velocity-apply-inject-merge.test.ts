// An inject-mode `velocity apply` on a terraform_data customers workspace: the sub-workspace applies only the cone,
// its state is merged into the real one (serial + 1, same lineage and terraform_version, every other entry and output
// unchanged, the previous state in terraform.tfstate.backup), the sub-workspace is removed, and a full plan of the
// real workspace afterwards has nothing to do.
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appliedCustomersWorkspace, type AppliedWorkspace } from '../support/applied-workspace.js';
import { captureApply } from '../support/apply-capture.js';
import { tfBinary, tfEnv } from '../support/terraform-env.js';

interface Entry { module?: string; mode: string; type: string; name: string; instances: { index_key?: unknown; attributes: Record<string, unknown> }[] }
interface Doc { serial: number; lineage: string; terraform_version: string; outputs: Record<string, unknown>; resources: Entry[] }
const key = (e: Entry): string => JSON.stringify([e.module ?? '', e.mode, e.type, e.name]);

describe.runIf(tfBinary)('velocity apply in inject mode (skipped only when no tofu/terraform is installed)', () => {
  let ws: AppliedWorkspace;
  beforeAll(() => {
    ws = appliedCustomersWorkspace(tfBinary as string, { customers: 3 });
  });
  afterAll(() => ws?.cleanup());

  it('merges the cone into the real state and leaves nothing for a full plan', async () => {
    const statePath = join(ws.dir, 'terraform.tfstate');
    const beforeText = readFileSync(statePath, 'utf8');
    const before = JSON.parse(beforeText) as Doc;
    const change = ws.changeDeviceVar(1, 3, 'v9');
    const { result, stdout } = await captureApply({ cwd: ws.dir, env: tfEnv(), mode: 'inject', planArgs: [change, '-auto-approve', '-no-color'] });
    expect(result.exitCode, stdout).toBe(0);
    expect(result.execution).toBe('inject');
    expect(result.merge?.kind).toBe('written');
    expect(stdout).toContain(`Velocity: merged the sub-workspace into the state: serial ${before.serial} -> ${before.serial + 1}`);
    const after = JSON.parse(readFileSync(statePath, 'utf8')) as Doc;
    expect(after.serial).toBe(before.serial + 1);
    expect(after.lineage).toBe(before.lineage);
    expect(after.terraform_version).toBe(before.terraform_version);
    expect(readFileSync(join(ws.dir, 'terraform.tfstate.backup'), 'utf8')).toBe(beforeText);
    // Only the device's entry changed (and what reads it); every other entry is exactly as it was.
    const beforeBy = new Map(before.resources.map((e) => [key(e), e]));
    const changedEntries = after.resources.filter((e) => JSON.stringify(e) !== JSON.stringify(beforeBy.get(key(e))));
    const changed = changedEntries.map(key);
    expect(after.resources.map(key).sort()).toEqual(before.resources.map(key).sort());
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.length).toBeLessThan(before.resources.length / 10);
    expect(changedEntries.every((e) => e.module === `module.customer["${ws.customer(1)}"]`), changed.join('\n')).toBe(true);
    expect(readdirSync(join(ws.dir, '.velocity', 'work'))).toEqual([]);
    const plan = spawnSync(tfBinary as string, ['plan', '-detailed-exitcode', '-input=false', '-no-color', '-lock=false', change], { cwd: ws.dir, env: tfEnv(), encoding: 'utf8' });
    expect(plan.status, plan.stdout + plan.stderr).toBe(0);
    // The binary's own view of the merged state: it reads it.
    expect(() => execFileSync(tfBinary as string, ['state', 'list'], { cwd: ws.dir, env: tfEnv(), stdio: 'ignore' })).not.toThrow();
  });
});
