// A sub-workspace apply that fails halfway (a provisioner exits 1): velocity exits as the binary did (1) and still
// merges what the binary persisted, as Terraform itself keeps a partial apply's state: the created instance and the
// failed one (tainted) are in the real state, the untouched one is unchanged, and the ledger is not recorded.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { captureApply } from '../support/apply-capture.js';
import { tempWorkspace, type TempWorkspace } from '../support/temp-workspace.js';
import { tfBinary, tfEnv } from '../support/terraform-env.js';

interface Doc { serial: number; resources: { name: string; instances: { status?: string; attributes: Record<string, unknown> }[] }[] }

describe.runIf(tfBinary)('a partial velocity apply (skipped only when no tofu/terraform is installed)', () => {
  let ws: TempWorkspace | undefined;
  afterEach(() => ws?.cleanup());

  it('merges what the failed apply wrote and exits 1', async () => {
    ws = tempWorkspace({ 'main.tf': 'resource "terraform_data" "keep" { input = "k" }\nresource "terraform_data" "base" { input = "b" }\n' });
    const run = (args: string[]): void => void execFileSync(tfBinary as string, args, { cwd: (ws as TempWorkspace).dir, env: tfEnv(), stdio: 'ignore' });
    run(['init', '-input=false', '-no-color']);
    run(['apply', '-auto-approve', '-input=false', '-no-color']);
    const before = JSON.parse(readFileSync(join(ws.dir, 'terraform.tfstate'), 'utf8')) as Doc;
    writeFileSync(join(ws.dir, 'main.tf'), [
      'resource "terraform_data" "keep" { input = "k" }',
      'resource "terraform_data" "base" { input = "b2" }',
      'resource "terraform_data" "bad" {',
      '  input = terraform_data.base.output',
      '  provisioner "local-exec" { command = "exit 1" }',
      '}',
      '',
    ].join('\n'));
    const { result, stdout, stderr } = await captureApply({ cwd: ws.dir, env: tfEnv(), mode: 'inject', planArgs: ['-auto-approve', '-no-color'] });
    expect(result.execution, stdout + stderr).toBe('inject');
    expect(result.exitCode).toBe(1);
    expect(result.merge?.kind).toBe('written');
    expect(result.ledger.recorded).toBe(false);
    const after = JSON.parse(readFileSync(join(ws.dir, 'terraform.tfstate'), 'utf8')) as Doc;
    expect(after.serial).toBe(before.serial + 1);
    const byName = new Map(after.resources.map((r) => [r.name, r]));
    expect(byName.get('base')?.instances[0]?.attributes['input']).toEqual({ value: 'b2', type: 'string' });
    expect(byName.get('bad')?.instances[0]?.status).toBe('tainted');
    expect(byName.get('keep')).toEqual(before.resources.find((r) => r.name === 'keep'));
  });
});
