import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { ConfigChangeDetector } from '../../src/detect/config-change-detector.js';
import { tempWorkspace, type TempWorkspace } from '../support/temp-workspace.js';
import { smallState } from '../support/small-state.js';

const MAIN = `
locals {
  env = "prod"
}
resource "terraform_data" "a" {
  input = local.env
}
resource "terraform_data" "b" {
  input = "b"
}
module "m" {
  source = "../modules/m"
}
`;
const STATE = smallState(['terraform_data.a', 'terraform_data.b', 'module.m.terraform_data.x']);

let ws: TempWorkspace | undefined;
afterEach(() => ws?.cleanup());

function git(dir: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: dir, stdio: 'pipe' });
}

describe('--changed-since REF', () => {
  it('compares with the configuration at the ref: edited, added, deleted and untracked files, modules outside the root', async () => {
    ws = tempWorkspace({
      'live/main.tf': MAIN,
      'live/other.tf': 'resource "terraform_data" "old" {\n  input = 1\n}\n',
      'modules/m/main.tf': 'resource "terraform_data" "x" {\n  input = 1\n}\n',
    });
    git(ws.dir, 'init', '-q');
    git(ws.dir, 'add', '-A');
    git(ws.dir, 'commit', '-qm', 'base');
    ws.write('live/main.tf', MAIN.replace('"prod"', '"staging"'));
    ws.write('modules/m/main.tf', 'resource "terraform_data" "x" {\n  input = 2\n}\n');
    git(ws.dir, 'rm', '-q', 'live/other.tf');
    ws.write('live/new.tf', 'resource "terraform_data" "n" {\n  input = 1\n}\n');
    const state = smallState([...STATE.instances.map((i) => `${i.module === '' ? '' : `${i.module}.`}terraform_data.${i.name}`), 'terraform_data.old']);
    const r = await new ConfigChangeDetector().detect({ workingDir: `${ws.dir}/live`, state, env: {}, changedSince: 'HEAD', cachePath: false });
    expect(r.basis).toBe('git');
    expect(r.fallback).toBeUndefined();
    expect(r.changedBlocks).toEqual(['module.m.terraform_data.x', 'terraform_data.a', 'terraform_data.n']);
    expect(r.removedBlocks).toEqual(['terraform_data.old']);
    expect(r.changed).toEqual(['module.m.terraform_data.x', 'terraform_data.a', 'terraform_data.old']);
  });

  it('an unknown ref is a GIT_REF error', async () => {
    ws = tempWorkspace({ 'main.tf': MAIN });
    git(ws.dir, 'init', '-q');
    await expect(new ConfigChangeDetector().detect({ workingDir: ws.dir, state: STATE, env: {}, changedSince: 'nope', cachePath: false })).rejects.toMatchObject({ code: 'GIT_REF' });
  });
});
