// `--report FILE` names the detector that found the change: `explicit` for --changed, `probe` without a ledger,
// `config` once a ledger is recorded (here by the probe plan before it), for `velocity plan` and `velocity apply`.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli-harness.js';
import { readReport, REPORT_KEYS } from '../support/plan-report-file.js';
import { initAndApply } from '../support/terraform-probe.js';
import { tempWorkspace, type TempWorkspace } from '../support/temp-workspace.js';
import { tfBinary, tfEnv } from '../support/terraform-env.js';

const main = (a: string, b: string): string => `resource "terraform_data" "a" {
  input = "${a}"
}
resource "terraform_data" "b" {
  input = "${b}"
}
resource "terraform_data" "many" {
  for_each = toset([for i in range(30) : tostring(i)])
  input    = "m-\${each.key}"
}
`;

describe.runIf(tfBinary)('the report names the change detector (skipped only without tofu/terraform)', () => {
  let ws: TempWorkspace | undefined;
  afterEach(() => ws?.cleanup());

  it('says explicit, then probe, then config', async () => {
    ws = tempWorkspace({ 'main.tf': main('a1', 'b1') });
    await initAndApply(ws.dir);
    const env = tfEnv();
    writeFileSync(join(ws.dir, 'main.tf'), main('a2', 'b1'));
    const named = await runCli(['plan', '--report', 'r.json', '--changed', 'terraform_data.a', '-no-color', '-input=false'], { cwd: ws.dir, env });
    expect(named.code, named.stderr).toBe(0);
    const explicit = readReport(join(ws.dir, 'r.json'));
    expect(Object.keys(explicit)).toEqual(REPORT_KEYS);
    expect(explicit.detection).toBe('explicit');
    const probed = await runCli(['plan', '--report', 'r.json', '-no-color', '-input=false'], { cwd: ws.dir, env });
    expect(probed.code, probed.stderr).toBe(0);
    expect(readReport(join(ws.dir, 'r.json')).detection).toBe('probe');
    expect(probed.stdout).toContain('Velocity: ledger recorded at state serial');
    writeFileSync(join(ws.dir, 'main.tf'), main('a2', 'b2'));
    const applied = await runCli(['apply', '--report', 'r.json', '-auto-approve', '-no-color', '-input=false'], { cwd: ws.dir, env });
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain('Apply complete! Resources: 0 added, 2 changed, 0 destroyed.');
    expect(readReport(join(ws.dir, 'r.json'))).toMatchObject({ detection: 'config', mode: 'inject' });
  });
});
