// `velocity plan` records the ledger after its probe: everything the probe found unchanged is what was applied at
// this serial, so the next plan compares fingerprints (no probe) and still finds what the probe found changed (its
// blocks are left out of the entry) plus anything edited since. Left-out blocks whose instances and their dependents
// would be more than a tenth of the state are not worth it: nothing is recorded and the next plan probes again.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { capturePlan } from '../support/plan-capture.js';
import { initAndApply } from '../support/terraform-probe.js';
import { tempWorkspace, type TempWorkspace } from '../support/temp-workspace.js';
import { tfBinary, tfEnv } from '../support/terraform-env.js';

const main = (small: string, many: string, other: string): string => `resource "terraform_data" "small" {
  input = "${small}"
}
resource "terraform_data" "many" {
  for_each = toset([for i in range(30) : tostring(i)])
  input    = "${many}-\${each.key}"
}
resource "terraform_data" "other" {
  input = "${other}"
}
`;

describe.runIf(tfBinary)('the ledger recorded by a plan whose probe found changes (skipped only when no tofu/terraform is installed)', () => {
  let ws: TempWorkspace | undefined;
  afterEach(() => ws?.cleanup());

  it('leaves out what the probe found changed, so the next plan needs no probe and misses nothing', async () => {
    ws = tempWorkspace({ 'main.tf': main('s1', 'm1', 'o1') });
    await initAndApply(ws.dir);
    writeFileSync(join(ws.dir, 'main.tf'), main('s2', 'm1', 'o1'));
    const first = await capturePlan({ cwd: ws.dir, env: tfEnv(), planArgs: ['-no-color', '-detailed-exitcode'] });
    expect(first.result.detection?.source).toBe('probe');
    expect(first.result.detection?.changed).toEqual(['terraform_data.small']);
    expect(first.stdout).toContain('Velocity: ledger recorded at state serial');
    // Another edit since: both are found without a probe.
    writeFileSync(join(ws.dir, 'main.tf'), main('s2', 'm1', 'o2'));
    const again = await capturePlan({ cwd: ws.dir, env: tfEnv(), planArgs: ['-no-color', '-detailed-exitcode'] });
    expect(again.result.detection?.source).toBe('config');
    expect(again.result.detection?.changed).toEqual(['terraform_data.other', 'terraform_data.small']);
    expect(again.result.exitCode).toBe(2);
    expect(again.stdout).toContain('terraform_data.small will be updated in-place');
    expect(again.stdout).toContain('terraform_data.other will be updated in-place');
  });

  it('records nothing when the blocks it would leave out reach more than a tenth of the state', async () => {
    ws = tempWorkspace({ 'main.tf': main('s1', 'm1', 'o1') });
    await initAndApply(ws.dir);
    writeFileSync(join(ws.dir, 'main.tf'), main('s1', 'm2', 'o1'));
    const first = await capturePlan({ cwd: ws.dir, env: tfEnv(), planArgs: ['-no-color'] });
    expect(first.result.detection?.source).toBe('probe');
    expect(first.stdout).toContain('Velocity: ledger not recorded: the blocks the probe found changed reach 30 of 32 instances');
    const again = await capturePlan({ cwd: ws.dir, env: tfEnv(), planArgs: ['-no-color'] });
    expect(again.result.detection?.source).toBe('probe');
  });
});
