import { afterEach, describe, expect, it } from 'vitest';
import { ConfigChangeDetector } from '../../src/detect/config-change-detector.js';
import { tempWorkspace, type TempWorkspace } from '../support/temp-workspace.js';
import { smallState } from '../support/small-state.js';

const MAIN = `
terraform {
  required_version = ">= 1.5"
}
provider "aws" {
  region = "eu-west-1"
}
resource "terraform_data" "a" {
  input = "a"
}
module "m" {
  source = "./m"
}
`;
const FILES = { 'main.tf': MAIN, 'm/main.tf': 'resource "terraform_data" "x" {\n  input = 1\n}\n' };
const STATE = smallState(['terraform_data.a', 'module.m.terraform_data.x']);

let ws: TempWorkspace | undefined;
afterEach(() => ws?.cleanup());

async function afterEdit(edit: (w: TempWorkspace) => void): Promise<Awaited<ReturnType<ConfigChangeDetector['detect']>>> {
  ws = tempWorkspace(FILES);
  const d = new ConfigChangeDetector();
  await d.record({ workingDir: ws.dir, state: STATE, env: {} });
  edit(ws);
  return d.detect({ workingDir: ws.dir, state: STATE, env: {} });
}

describe('what the detector cannot attribute', () => {
  it('a provider block change falls back to a full plan', async () => {
    const r = await afterEdit((w) => w.write('main.tf', MAIN.replace('eu-west-1', 'us-east-1')));
    expect(r.fallback?.to).toBe('full');
    expect(r.unattributed).toEqual(['provider:provider.aws: changed']);
  });

  it('a backend (terraform block) change falls back to a full plan', async () => {
    const r = await afterEdit((w) => w.write('main.tf', MAIN.replace('">= 1.5"', '">= 1.6"')));
    expect(r.fallback?.to).toBe('full');
  });

  it('a new moved, import, removed or check block falls back to the probe', async () => {
    for (const block of [
      'moved {\n  from = terraform_data.old\n  to   = terraform_data.a\n}\n',
      'import {\n  to = terraform_data.a\n  id = "x"\n}\n',
      'removed {\n  from = terraform_data.z\n  lifecycle {\n    destroy = false\n  }\n}\n',
      'check "ok" {\n  assert {\n    condition     = true\n    error_message = "no"\n  }\n}\n',
    ]) {
      const r = await afterEdit((w) => w.write('extra.tf', block));
      expect(r.fallback?.to, block).toBe('probe');
      ws?.cleanup();
    }
  });

  it('a module source change falls back to the probe', async () => {
    const r = await afterEdit((w) => {
      w.write('m2/main.tf', 'resource "terraform_data" "x" {\n  input = 1\n}\n');
      w.write('main.tf', MAIN.replace('"./m"', '"./m2"'));
    });
    expect(r.fallback?.to).toBe('probe');
    // The call's meta-arguments node carries its source too: both guards name the change.
    expect(r.unattributed).toEqual(['call:module.m: changed', 'source:module.m: changed']);
  });

  it('a file read through a computed path falls back to the probe', async () => {
    const r = await afterEdit((w) => w.write('f.tf', 'variable "p" {\n  default = "a.txt"\n}\nresource "terraform_data" "f" {\n  input = file(var.p)\n}\n'));
    expect(r.fallback?.to).toBe('probe');
    expect(r.unattributed).toEqual(['terraform_data.f: file() reads a path computed at plan time']);
  });

  it('an override file falls back to the probe', async () => {
    const r = await afterEdit((w) => w.write('main_override.tf', 'resource "terraform_data" "a" {\n  input = "b"\n}\n'));
    expect(r.fallback?.to).toBe('probe');
  });

  it('a remote module that is not installed falls back to the probe', async () => {
    const r = await afterEdit((w) => w.write('r.tf', 'module "r" {\n  source  = "terraform-aws-modules/vpc/aws"\n  version = "5.0.0"\n}\n'));
    expect(r.fallback?.to).toBe('probe');
    expect(r.unattributed.join('\n')).toMatch(/module\.r: module source .* not local and not installed/);
  });

  it('a syntax error is a CONFIG_PARSE error naming the file', async () => {
    ws = tempWorkspace({ 'main.tf': 'resource "terraform_data" "a" {\n  input = \n}\n' });
    await expect(new ConfigChangeDetector().detect({ workingDir: ws.dir, state: STATE, env: {}, cachePath: false })).rejects.toMatchObject({ code: 'CONFIG_PARSE', file: 'main.tf' });
  });
});
