// The ledger after an apply: recorded when the apply covered every change (the detector's change, no --changed or
// -target), so the next `velocity plan` compares fingerprints and runs no probe; not recorded when the change was
// named by hand. A plan whose probe found no change records it too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appliedCustomersWorkspace, type AppliedWorkspace } from '../support/applied-workspace.js';
import { captureApply } from '../support/apply-capture.js';
import { capturePlan } from '../support/plan-capture.js';
import { tfBinary, tfEnv } from '../support/terraform-env.js';

describe.runIf(tfBinary)('the ledger after velocity apply (skipped only when no tofu/terraform is installed)', () => {
  let ws: AppliedWorkspace;
  beforeAll(() => {
    ws = appliedCustomersWorkspace(tfBinary as string, { customers: 2 });
  });
  afterAll(() => ws?.cleanup());

  it('a plan whose probe finds nothing records it; an apply found by the ledger records it again; --changed does not', async () => {
    const first = await capturePlan({ cwd: ws.dir, env: tfEnv(), planArgs: ['-no-color'] });
    expect(first.result.detection?.source).toBe('probe');
    expect(first.stdout).toContain('Velocity: ledger recorded at state serial');

    const v2 = ws.changeDeviceVar(0, 1, 'v2');
    const applied = await captureApply({ cwd: ws.dir, env: tfEnv(), planArgs: [v2, '-auto-approve', '-no-color'] });
    expect(applied.result.exitCode, applied.stdout).toBe(0);
    expect(applied.result.run?.detection?.source).toBe('config');
    expect(applied.result.ledger.recorded).toBe(true);

    const v3 = ws.changeDeviceVar(0, 1, 'v3');
    const next = await capturePlan({ cwd: ws.dir, env: tfEnv(), planArgs: [v3, '-no-color'] });
    expect(next.result.detection?.source).toBe('config');
    expect(next.result.detection?.changed).toContain(ws.device(0, 1)); // every block reading the variable

    const named = await captureApply({ cwd: ws.dir, env: tfEnv(), changed: [ws.device(0, 1)], planArgs: [v3, '-auto-approve', '-no-color'] });
    expect(named.result.exitCode, named.stdout).toBe(0);
    expect(named.result.ledger).toMatchObject({ recorded: false });
    expect(named.stdout).toContain('Velocity: ledger not recorded: the change was named with --changed');
    // The ledger is now stale (the apply moved the serial): the next plan falls back to the probe, as it must.
    const after = await capturePlan({ cwd: ws.dir, env: tfEnv(), planArgs: [v3, '-no-color'] });
    expect(after.result.detection?.source).toBe('probe');
  });
});
