// Instances applied in a sub-workspace get the dependencies Terraform records in a full apply, also on resources the
// sub-workspace served as literals (read directly, through a local, or named in depends_on): velocity's next cone and
// Terraform's destroy order both read them from the state.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { captureApply } from '../support/apply-capture.js';
import { tempWorkspace, type TempWorkspace } from '../support/temp-workspace.js';
import { tfBinary, tfEnv } from '../support/terraform-env.js';

interface Doc { resources: { name: string; instances: { dependencies?: string[] }[] }[] }
const depsOf = (dir: string): Record<string, string[]> => {
  const doc = JSON.parse(readFileSync(join(dir, 'terraform.tfstate'), 'utf8')) as Doc;
  return Object.fromEntries(doc.resources.map((r) => [r.name, r.instances[0]?.dependencies ?? []]));
};

describe.runIf(tfBinary)('dependencies of merged instances (skipped only when no tofu/terraform is installed)', () => {
  let ws: TempWorkspace | undefined;
  let copy: string | undefined;
  afterEach(() => {
    ws?.cleanup();
    if (copy) rmSync(copy, { recursive: true, force: true });
  });

  it('equal those of a full terraform apply', async () => {
    const base = ['resource "terraform_data" "r0" { input = "a" }', 'resource "terraform_data" "r1" { input = terraform_data.r0.output }', 'locals { l = terraform_data.r1.output }'];
    ws = tempWorkspace({ 'main.tf': `${base.join('\n')}\n` });
    const run = (dir: string, args: string[]): void => void execFileSync(tfBinary as string, args, { cwd: dir, env: tfEnv(), stdio: 'ignore' });
    run(ws.dir, ['init', '-input=false', '-no-color']);
    run(ws.dir, ['apply', '-auto-approve', '-input=false', '-no-color']);
    const edited = [...base, 'resource "terraform_data" "reader" { input = local.l }', 'resource "terraform_data" "after" {\n  input = "x"\n  depends_on = [terraform_data.r0]\n}'];
    writeFileSync(join(ws.dir, 'main.tf'), `${edited.join('\n')}\n`);
    copy = mkdtempSync(join(tmpdir(), 'velocity-deps-full-'));
    cpSync(ws.dir, copy, { recursive: true });
    run(copy, ['apply', '-auto-approve', '-input=false', '-no-color']);
    const { result, stdout } = await captureApply({ cwd: ws.dir, env: tfEnv(), mode: 'inject', planArgs: ['-auto-approve', '-no-color'] });
    expect(result.execution, stdout).toBe('inject');
    expect(result.exitCode).toBe(0);
    const full = depsOf(copy);
    expect(full['reader']).toEqual(['terraform_data.r0', 'terraform_data.r1']);
    expect(depsOf(ws.dir)).toEqual(full);
  });
});
