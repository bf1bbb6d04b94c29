// Issue 16 items 12 and 13 under `--changed-since`: variable files git does not track (ignored or untracked,
// `-var-file` included) are never taken as unchanged, and a working directory that did not exist at the ref is
// a stated fallback, not `CONFIG_PARSE: no .tf files`.

import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { ConfigChangeDetector } from '../../src/detect/config-change-detector.js';
import { tempWorkspace, type TempWorkspace } from '../support/temp-workspace.js';
import { smallState } from '../support/small-state.js';

const MAIN = `variable "extra_tag" {
  default = "a"
}
resource "terraform_data" "tagged" {
  input = { Extra = var.extra_tag }
}
resource "terraform_data" "plain" {
  input = "p"
}
`;
const STATE = smallState(['terraform_data.tagged', 'terraform_data.plain']);

let ws: TempWorkspace | undefined;
afterEach(() => ws?.cleanup());

function git(dir: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: dir, stdio: 'pipe' });
}

function repo(files: Record<string, string>): TempWorkspace {
  ws = tempWorkspace(files);
  git(ws.dir, 'init', '-q');
  git(ws.dir, 'add', '-A');
  git(ws.dir, 'commit', '-qm', 'base');
  return ws;
}

const since = (dir: string, varArgs: { kind: 'file'; path: string }[] = []) =>
  new ConfigChangeDetector().detect({ workingDir: dir, state: STATE, env: {}, changedSince: 'HEAD', cachePath: false, varArgs });

describe('--changed-since and files git does not track', () => {
  it('a git-ignored terraform.tfvars: the blocks reading its variables are changed', async () => {
    const w = repo({ '.gitignore': '*.tfvars\n', 'main.tf': MAIN });
    w.write('terraform.tfvars', 'extra_tag = "b"\n');
    const r = await since(w.dir);
    expect(r.fallback).toBeUndefined();
    expect(r.changed).toEqual(['terraform_data.tagged']);
  });

  it('an ignored *.auto.tfvars and an untracked -var-file: read (not an error) and counted as changed', async () => {
    const w = repo({ '.gitignore': '*.auto.tfvars\n', 'main.tf': MAIN });
    w.write('x.auto.tfvars', 'extra_tag = "a"\n');
    expect((await since(w.dir)).changed).toEqual(['terraform_data.tagged']);
    w.write('x.auto.tfvars', '');
    w.write('ci.tfvars', 'extra_tag = "c"\n');
    const r = await since(w.dir, [{ kind: 'file', path: 'ci.tfvars' }]);
    expect(r.changed).toEqual(['terraform_data.tagged']);
  });

  it('a tracked, unchanged terraform.tfvars: nothing changed', async () => {
    const w = repo({ 'main.tf': MAIN, 'terraform.tfvars': 'extra_tag = "b"\n' });
    const r = await since(w.dir);
    expect(r.fallback).toBeUndefined();
    expect(r.changed).toEqual([]);
  });

  it('a working directory with no configuration at the ref: a stated probe fallback, not CONFIG_PARSE', async () => {
    const w = repo({ 'README.md': 'x\n' });
    w.write('live/main.tf', MAIN);
    const r = await since(`${w.dir}/live`);
    expect(r.fallback?.to).toBe('probe');
  });
});
