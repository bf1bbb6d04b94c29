// `velocity plan --report FILE` after a target-mode plan with the real binary: the file holds exactly the report's
// keys, and its counts and addresses are what the binary itself printed.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appliedCustomersWorkspace, type AppliedWorkspace } from '../support/applied-workspace.js';
import { runCli } from '../support/cli-harness.js';
import { DURATION_KEYS, printedRefreshes, readReport, REPORT_KEYS } from '../support/plan-report-file.js';
import { tfBinary, tfEnv } from '../support/terraform-env.js';

describe.runIf(tfBinary)('velocity plan --report after a target-mode plan (skipped only without tofu/terraform)', () => {
  let ws: AppliedWorkspace;
  beforeAll(() => {
    ws = appliedCustomersWorkspace(tfBinary as string, { customers: 2, devices: 4 });
  });
  afterAll(() => ws?.cleanup());

  it('writes mode target, the cone, and what the binary refreshed', async () => {
    const device = ws.device(1, 2);
    const r = await runCli(['plan', '--mode', 'target', '--report', 'report.json', '--changed', device, ws.changeDeviceVar(1, 2), '-no-color', '-input=false'], { cwd: ws.dir, env: tfEnv() });
    expect(r.code, r.stderr).toBe(0);
    const report = readReport(join(ws.dir, 'report.json'));
    expect(Object.keys(report)).toEqual(REPORT_KEYS);
    expect(Object.keys(report.durationsMs)).toEqual(DURATION_KEYS);
    const printed = printedRefreshes(r.stdout);
    const line = /Refreshing state\.\.\. \[Velocity: (\d+)\/(\d+) resources/.exec(r.stdout);
    expect(line).not.toBeNull();
    expect(report).toMatchObject({
      mode: 'target', refreshed: printed.length, refreshedAddresses: printed, total: Number(line?.[2]), fallbackReason: null, subWorkspace: null,
    });
    expect(report.refreshed).toBe(Number(line?.[1]));
    expect(report.refreshedAddresses).toContain(device);
    expect(report.cone).toBeGreaterThanOrEqual(1);
    expect(report.cone).toBeLessThan(report.total);
    expect(report.targets).toEqual([...report.targets].sort());
    expect(report.targets.some((t) => device.startsWith(t))).toBe(true);
    for (const k of DURATION_KEYS) expect(report.durationsMs[k], k).toBeGreaterThanOrEqual(0);
    expect(report.durationsMs['binary']).toBeGreaterThan(0); // the binary ran
    expect(report.durationsMs['load']).toBeGreaterThan(0); // the state was read
    expect(report.durationsMs['synthesize']).toBe(0); // no sub-workspace in target mode
  });
});
