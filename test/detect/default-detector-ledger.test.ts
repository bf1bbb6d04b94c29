// velocity plan's default detector: the configuration compared with the ledger (issue 7), with the real binary.
// After `velocity ledger record`, a one-resource edit is found without a probe plan and planned in scope; without
// a valid ledger the probe runs and velocity says why.

import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { varArgsOf } from '../../src/detect/default-detector.js';
import { capturePlan } from '../support/plan-capture.js';
import { runCli } from '../support/cli-harness.js';
import { initAndApply } from '../support/terraform-probe.js';
import { tempWorkspace, type TempWorkspace } from '../support/temp-workspace.js';
import { tfBinary, tfEnv } from '../support/terraform-env.js';

const MAIN = `variable "customers" {
  type = map(object({ tier = string }))
}

resource "terraform_data" "root" {
  input = "root"
}

resource "terraform_data" "static_a" {
  input = "a"
}

module "customer" {
  source   = "./customer"
  for_each = var.customers
  tier     = each.value.tier
  root     = terraform_data.root.id
}
`;
const MODULE = `variable "tier" {}
variable "root" {}

resource "terraform_data" "site" {
  input = "\${var.tier}-\${var.root}"
}

resource "terraform_data" "device" {
  count = 2
  input = "\${terraform_data.site.id}-\${count.index}"
}
`;

let ws: TempWorkspace | undefined;
afterEach(() => ws?.cleanup());

async function applied(): Promise<TempWorkspace> {
  const w = tempWorkspace({ 'main.tf': MAIN, 'customer/main.tf': MODULE, 'terraform.tfvars': 'customers = {\n  c1 = { tier = "gold" }\n  c2 = { tier = "silver" }\n}\n' });
  await initAndApply(w.dir);
  return w;
}

describe.runIf(tfBinary)('velocity plan with configuration change detection (real terraform)', () => {
  it('after `velocity ledger record`, finds a one-resource edit from the configuration and plans only its cone', async () => {
    ws = await applied();
    const rec = await runCli(['ledger', 'record', '--state', 'terraform.tfstate'], { cwd: ws.dir });
    expect(rec.code).toBe(0);
    writeFileSync(join(ws.dir, 'terraform.tfvars'), 'customers = {\n  c1 = { tier = "gold" }\n  c2 = { tier = "platinum" }\n}\n');
    const { result, stdout } = await capturePlan({ cwd: ws.dir, env: tfEnv(), planArgs: ['-no-color', '-input=false'] });
    expect(result.exitCode).toBe(0);
    expect(result.mode).toBe('optimized');
    expect(result.detection?.source).toBe('config');
    // The narrowed for_each call: only customer c2's site reads its element (the devices only read the site,
    // which the downstream cone covers); nothing of c1 or the root.
    expect(result.detection?.changed).toEqual(['module.customer["c2"].terraform_data.site']);
    expect(stdout).toContain('Velocity: configuration fingerprints compared with the ledger');
    expect(stdout).toContain('module.customer["c2"].terraform_data.site will be updated in-place');
    expect(stdout).toContain('Plan: 0 to add, 1 to change, 0 to destroy.');
    expect(result.refreshed).toBeLessThan(result.total);
  });

  it('without a ledger, runs the probe and says why', async () => {
    ws = await applied();
    writeFileSync(join(ws.dir, 'main.tf'), MAIN.replace('input = "a"', 'input = "a2"'));
    rmSync(join(ws.dir, '.velocity'), { recursive: true, force: true });
    const { result, stdout } = await capturePlan({ cwd: ws.dir, env: tfEnv(), planArgs: ['-no-color', '-input=false'] });
    expect(result.exitCode).toBe(0);
    expect(result.detection?.source).toBe('probe');
    expect(result.detection?.changed).toEqual(['terraform_data.static_a']);
    expect(stdout).toMatch(/Velocity: configuration change detection fell back to the probe: no ledger recorded for state lineage/);
  });

  it('reads -var and -var-file from the plan flags in order', () => {
    expect(varArgsOf(['-var=a=1', '-lock=false', '-var', 'b=2', '-var-file=x.tfvars', '--var-file', 'y.tfvars'])).toEqual([
      { kind: 'var', value: 'a=1' },
      { kind: 'var', value: 'b=2' },
      { kind: 'file', path: 'x.tfvars' },
      { kind: 'file', path: 'y.tfvars' },
    ]);
  });
});
