// `velocity plan` records the ledger after its probe: everything the probe found unchanged is what was applied at
// this serial, so the next plan compares fingerprints (no probe) and still finds what the probe found changed (left
// out of the entry) plus anything edited since.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appliedCustomersWorkspace, type AppliedWorkspace } from '../support/applied-workspace.js';
import { capturePlan } from '../support/plan-capture.js';
import { tfBinary, tfEnv } from '../support/terraform-env.js';

describe.runIf(tfBinary)('the ledger recorded by a plan whose probe found changes (skipped only when no tofu/terraform is installed)', () => {
  let ws: AppliedWorkspace;
  beforeAll(() => {
    ws = appliedCustomersWorkspace(tfBinary as string, { customers: 3 });
  });
  afterAll(() => ws?.cleanup());

  it('leaves out what the probe found changed, so the next plan needs no probe and misses nothing', async () => {
    const change = ws.changeDeviceVar(2, 4, 'v6');
    const first = await capturePlan({ cwd: ws.dir, env: tfEnv(), planArgs: [change, '-no-color', '-detailed-exitcode'] });
    expect(first.result.detection?.source).toBe('probe');
    expect(first.result.detection?.changed).toEqual([ws.device(2, 4)]);
    expect(first.result.exitCode).toBe(2);
    expect(first.stdout).toContain('Velocity: ledger recorded at state serial');
    const again = await capturePlan({ cwd: ws.dir, env: tfEnv(), planArgs: [change, '-no-color', '-detailed-exitcode'] });
    expect(again.result.detection?.source).toBe('config');
    expect(again.result.detection?.changed).toContain(ws.device(2, 4));
    expect(again.result.exitCode).toBe(2);
    expect(again.stdout).toContain(`${ws.device(2, 4)} will be updated in-place`);
  });
});
