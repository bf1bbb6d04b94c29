// A key added to a module call's for_each over a local set (a call velocity does not narrow key by key) creates a
// module instance no block fingerprint names: with a ledger, detection falls back to the probe (which sees the
// creates) instead of planning the existing instances only and printing "No changes" (a silently wrong plan).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { capturePlan } from '../support/plan-capture.js';
import { initAndApply } from '../support/terraform-probe.js';
import { tempWorkspace, type TempWorkspace } from '../support/temp-workspace.js';
import { tfBinary, tfEnv } from '../support/terraform-env.js';

const main = (keys: string[]): string => `locals {
  keys = toset([${keys.map((k) => JSON.stringify(k)).join(', ')}])
}
resource "terraform_data" "root" {
  input = "r"
}
module "m" {
  source   = "./m"
  for_each = local.keys
  name     = each.key
  root     = terraform_data.root.output
}
`;
const MODULE = 'variable "name" {}\nvariable "root" {}\nresource "terraform_data" "x" {\n  input = "${var.name}-${var.root}"\n}\n';

describe.runIf(tfBinary)('a new key of a for_each over a local (skipped only when no tofu/terraform is installed)', () => {
  let ws: TempWorkspace | undefined;
  afterEach(() => ws?.cleanup());

  it('is planned as the creates it is, in every mode', async () => {
    ws = tempWorkspace({ 'main.tf': main(['a', 'b']), 'm/main.tf': MODULE });
    await initAndApply(ws.dir);
    // The ledger: a plan whose probe finds nothing records it.
    const first = await capturePlan({ cwd: ws.dir, env: tfEnv(), planArgs: ['-no-color'] });
    expect(first.stdout).toContain('Velocity: ledger recorded');
    writeFileSync(join(ws.dir, 'main.tf'), main(['a', 'b', 'c']));
    for (const mode of ['inject', 'target'] as const) {
      const { result, stdout } = await capturePlan({ cwd: ws.dir, env: tfEnv(), mode, planArgs: ['-no-color', '-detailed-exitcode'] });
      expect(result.exitCode, stdout).toBe(2);
      expect(stdout).toContain('module.m["c"].terraform_data.x will be created');
      expect(result.detection?.note).toContain('the meta-arguments (for_each, count, depends_on, providers) of module.m changed');
    }
  });
});
