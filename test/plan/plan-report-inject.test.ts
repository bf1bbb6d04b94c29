// `velocity plan --mode inject --report FILE` with the real binary: mode inject, the kept sub-workspace for -out
// (null without -out, where it is removed), the synthesize step timed, and refreshed = what the binary printed.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appliedCustomersWorkspace, type AppliedWorkspace } from '../support/applied-workspace.js';
import { runCli } from '../support/cli-harness.js';
import { printedRefreshes, readReport, REPORT_KEYS } from '../support/plan-report-file.js';
import { tfBinary, tfEnv } from '../support/terraform-env.js';

describe.runIf(tfBinary)('velocity plan --mode inject --report (skipped only without tofu/terraform)', () => {
  let ws: AppliedWorkspace;
  beforeAll(() => {
    ws = appliedCustomersWorkspace(tfBinary as string, { customers: 2, devices: 4 });
  });
  afterAll(() => ws?.cleanup());

  it('writes mode inject and the kept sub-workspace with -out', async () => {
    const r = await runCli(['plan', '--mode', 'inject', '--report', 'inject.json', ws.changeDeviceVar(1, 3, 'v4'), '-out=p.tfplan', '-no-color', '-input=false'], { cwd: ws.dir, env: tfEnv() });
    expect(r.code, r.stderr).toBe(0);
    const report = readReport(join(ws.dir, 'inject.json'));
    expect(Object.keys(report)).toEqual(REPORT_KEYS);
    const printed = printedRefreshes(r.stdout);
    expect(report).toMatchObject({ mode: 'inject', refreshed: printed.length, refreshedAddresses: printed, fallbackReason: null });
    expect(report.refreshedAddresses).toContain(ws.device(1, 3));
    expect(report.subWorkspace?.startsWith(join(ws.dir, '.velocity', 'work'))).toBe(true);
    expect(existsSync(join(report.subWorkspace as string, 'terraform.tfstate'))).toBe(true);
    expect(report.durationsMs['synthesize']).toBeGreaterThan(0);
    expect(report.durationsMs['binary']).toBeGreaterThan(0);
  });

  it('writes subWorkspace null without -out', async () => {
    const r = await runCli(['plan', '--mode', 'inject', '--report', 'inject.json', ws.changeDeviceVar(0, 2, 'v4'), '-no-color', '-input=false'], { cwd: ws.dir, env: tfEnv() });
    expect(r.code, r.stderr).toBe(0);
    expect(readReport(join(ws.dir, 'inject.json'))).toMatchObject({ mode: 'inject', subWorkspace: null, fallbackReason: null });
  });
});
