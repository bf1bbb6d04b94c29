// `velocity plan --mode full --report FILE` with the real binary: mode full, every instance in the cone and
// refreshed (as the binary printed), the user's own targets (none), no fallback reason.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appliedCustomersWorkspace, type AppliedWorkspace } from '../support/applied-workspace.js';
import { runCli } from '../support/cli-harness.js';
import { printedRefreshes, readReport, REPORT_KEYS } from '../support/plan-report-file.js';
import { tfBinary, tfEnv } from '../support/terraform-env.js';

describe.runIf(tfBinary)('velocity plan --mode full --report (skipped only without tofu/terraform)', () => {
  let ws: AppliedWorkspace;
  beforeAll(() => {
    ws = appliedCustomersWorkspace(tfBinary as string, { customers: 2, devices: 4 });
  });
  afterAll(() => ws?.cleanup());

  it('writes mode full with cone = total = refreshed, and what the binary refreshed', async () => {
    const r = await runCli(['plan', '--mode=full', '--report', 'out/../full.json', ws.changeDeviceVar(0, 1), '-no-color', '-input=false'], { cwd: ws.dir, env: tfEnv() });
    expect(r.code, r.stderr).toBe(0);
    const report = readReport(join(ws.dir, 'full.json'));
    expect(Object.keys(report)).toEqual(REPORT_KEYS);
    const printed = printedRefreshes(r.stdout);
    expect(report).toMatchObject({ mode: 'full', refreshed: printed.length, refreshedAddresses: printed, targets: [], fallbackReason: null, subWorkspace: null });
    expect(report.total).toBeGreaterThan(0);
    expect(report.cone).toBe(report.total);
    expect(report.refreshed).toBe(report.total);
    expect(report.durationsMs['detect']).toBe(0); // a full plan detects nothing
    expect(report.durationsMs['binary']).toBeGreaterThan(0);
  });
});
