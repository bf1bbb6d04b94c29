// Issue 16 item 12: fingerprints include the values path.cwd, path.root, path.module and terraform.workspace
// evaluate to, so renaming the directory (or switching workspace) changes exactly the blocks that read them.

import { afterEach, describe, expect, it } from 'vitest';
import { cpSync } from 'node:fs';
import { fingerprintConfig } from '../../src/detect/fingerprint-config.js';
import { tempWorkspace, type TempWorkspace } from '../support/temp-workspace.js';

const FILES = {
  'main.tf': `resource "terraform_data" "cwd" {
  input = "ex-\${basename(path.cwd)}"
}
resource "terraform_data" "ws" {
  input = terraform.workspace
}
resource "terraform_data" "root" {
  input = path.root
}
resource "terraform_data" "plain" {
  input = "p"
}
module "m" {
  source = "./modules/m"
}
`,
  'modules/m/main.tf': 'resource "terraform_data" "mod" {\n  input = path.module\n}\nresource "terraform_data" "other" {\n  input = 1\n}\n',
};

const made: TempWorkspace[] = [];
afterEach(() => made.splice(0).forEach((w) => w.cleanup()));

const diff = (a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): string[] => [...a].filter(([k, v]) => b.get(k) !== v).map(([k]) => k).sort();

describe('path and workspace values in fingerprints', () => {
  it('path.cwd: the same configuration in another directory changes only the block reading it', async () => {
    const a = tempWorkspace(FILES);
    const b = tempWorkspace();
    made.push(a, b);
    cpSync(a.dir, `${b.dir}/renamed`, { recursive: true });
    const before = await fingerprintConfig({ workingDir: a.dir, env: {}, cachePath: false });
    const after = await fingerprintConfig({ workingDir: `${b.dir}/renamed`, env: {}, cachePath: false });
    expect(diff(after.blocks, before.blocks)).toEqual(['terraform_data.cwd']);
  });

  it('terraform.workspace: a workspace switch changes only the block reading it', async () => {
    const a = tempWorkspace(FILES);
    made.push(a);
    const before = await fingerprintConfig({ workingDir: a.dir, env: {}, cachePath: false });
    const after = await fingerprintConfig({ workingDir: a.dir, env: { TF_WORKSPACE: 'staging' }, cachePath: false });
    expect(diff(after.blocks, before.blocks)).toEqual(['terraform_data.ws']);
  });

  it('path.module: a module moved to another directory changes the blocks reading it', async () => {
    const a = tempWorkspace(FILES);
    made.push(a);
    const before = await fingerprintConfig({ workingDir: a.dir, env: {}, cachePath: false });
    a.write('modules/n/main.tf', FILES['modules/m/main.tf']);
    a.write('main.tf', FILES['main.tf'].replace('./modules/m', './modules/n'));
    const after = await fingerprintConfig({ workingDir: a.dir, env: {}, cachePath: false });
    expect(diff(after.blocks, before.blocks)).toContain('module.m.terraform_data.mod');
  });
});
