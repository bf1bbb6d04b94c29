// Instances applied in a sub-workspace get the dependencies Terraform records in a full apply, also on resources the
// sub-workspace served as literals (read directly, through a local, or named in depends_on) or left out (every block of
// a module referenced whole, count 0 too): velocity's next cone and Terraform's destroy order both read them.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { captureApply } from '../support/apply-capture.js';
import { tempWorkspace, type TempWorkspace } from '../support/temp-workspace.js';
import { tfBinary, tfEnv } from '../support/terraform-env.js';

interface Doc { resources: { module?: string; name: string; instances: { dependencies?: string[] }[] }[] }
const depsOf = (dir: string): Record<string, string[]> => {
  const doc = JSON.parse(readFileSync(join(dir, 'terraform.tfstate'), 'utf8')) as Doc;
  return Object.fromEntries(doc.resources.map((r) => [`${r.module ?? ''}.${r.name}`, r.instances[0]?.dependencies ?? []]));
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
    expect(full['.reader']).toEqual(['terraform_data.r0', 'terraform_data.r1']);
    expect(depsOf(ws.dir)).toEqual(full);
  });

  it('equal those of a full terraform apply for a module referenced whole or named in depends_on, left out of the sub-workspace', async () => {
    const root = (input: string): string =>
      [
        'module "m" {\n  source = "./m"\n}',
        `resource "terraform_data" "whole" {\n  input = { tag = "${input}", m = { for k, v in module.m : k => v } }\n}`,
        `resource "terraform_data" "after" {\n  input      = "${input}"\n  depends_on = [module.m]\n}`,
      ].join('\n');
    const child = [
      'resource "terraform_data" "a" {\n  input = "a"\n}',
      'resource "terraform_data" "none" {\n  count = 0\n  input = "z"\n}',
      'module "n" {\n  source = "./n"\n}',
      'output "out" {\n  value = terraform_data.a.output\n}',
    ].join('\n');
    ws = tempWorkspace({ 'main.tf': `${root('v1')}\n`, 'm/main.tf': `${child}\n`, 'm/n/main.tf': 'resource "terraform_data" "q" {\n  input = "q"\n}\n' });
    const run = (dir: string, args: string[]): void => void execFileSync(tfBinary as string, args, { cwd: dir, env: tfEnv(), stdio: 'ignore' });
    run(ws.dir, ['init', '-input=false', '-no-color']);
    run(ws.dir, ['apply', '-auto-approve', '-input=false', '-no-color']);
    writeFileSync(join(ws.dir, 'main.tf'), `${root('v2')}\n`);
    copy = mkdtempSync(join(tmpdir(), 'velocity-deps-full-'));
    cpSync(ws.dir, copy, { recursive: true });
    run(copy, ['apply', '-auto-approve', '-input=false', '-no-color']);
    const { result, stdout } = await captureApply({ cwd: ws.dir, env: tfEnv(), mode: 'inject', planArgs: ['-auto-approve', '-no-color'] });
    expect(result.execution, stdout).toBe('inject');
    expect(result.exitCode).toBe(0);
    const full = depsOf(copy);
    const tree = ['module.m.module.n.terraform_data.q', 'module.m.terraform_data.a', 'module.m.terraform_data.none'];
    expect(full['.after']).toEqual(tree);
    expect(full['.whole']).toEqual(tree);
    expect(depsOf(ws.dir)).toEqual(full);
  });
});
