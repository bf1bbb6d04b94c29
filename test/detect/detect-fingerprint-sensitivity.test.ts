import { afterEach, describe, expect, it } from 'vitest';
import { fingerprintConfig } from '../../src/detect/fingerprint-config.js';
import { tempWorkspace, type TempWorkspace } from '../support/temp-workspace.js';

const BASE: Record<string, string> = {
  'main.tf': `
variable "region" {
  default = "eu"
}
variable "unused" {
  default = 1
}
locals {
  prefix = "p-\${var.region}"
  other  = "o"
}
resource "terraform_data" "uses_local" {
  input = local.prefix
}
resource "terraform_data" "literal" {
  input = "static"
}
resource "terraform_data" "reads_file" {
  input = file("\${path.module}/cfg.txt")
}
resource "terraform_data" "refs_other" {
  input = terraform_data.literal.output
}
module "m" {
  source = "./m"
  tier   = local.other
}
`,
  'cfg.txt': 'v1\n',
  'm/main.tf': `
variable "tier" {}
variable "fixed" {
  default = "x"
}
resource "terraform_data" "uses_tier" {
  input = var.tier
}
resource "terraform_data" "uses_fixed" {
  input = var.fixed
}
`,
};

const made: TempWorkspace[] = [];
afterEach(() => made.splice(0).forEach((w) => w.cleanup()));

async function changedBlocks(edit: (w: TempWorkspace) => void, vars: { env?: Record<string, string>; varArgs?: { kind: 'var'; value: string }[] } = {}): Promise<string[]> {
  const ws = tempWorkspace(BASE);
  made.push(ws);
  const before = await fingerprintConfig({ workingDir: ws.dir, cachePath: false, env: {} });
  edit(ws);
  const after = await fingerprintConfig({ workingDir: ws.dir, cachePath: false, env: vars.env ?? {}, varArgs: vars.varArgs ?? [] });
  return [...after.blocks].filter(([k, v]) => before.blocks.get(k) !== v).map(([k]) => k).sort();
}

describe('block fingerprints', () => {
  it('change exactly for the block whose literal changed, not for blocks referencing it', async () => {
    expect(await changedBlocks((w) => w.write('main.tf', (BASE['main.tf'] as string).replace('"static"', '"static2"')))).toEqual(['terraform_data.literal']);
  });

  it('follow locals to the variables they read, whether set by tfvars, -var or TF_VAR_', async () => {
    expect(await changedBlocks((w) => w.write('terraform.tfvars', 'region = "us"\n'))).toEqual(['terraform_data.uses_local']);
    expect(await changedBlocks(() => undefined, { varArgs: [{ kind: 'var', value: 'region=us' }] })).toEqual(['terraform_data.uses_local']);
    expect(await changedBlocks(() => undefined, { env: { TF_VAR_region: 'us' } })).toEqual(['terraform_data.uses_local']);
    expect(await changedBlocks(() => undefined, { env: { TF_VAR_unused: '2' } })).toEqual([]);
  });

  it('follow module inputs into the module, and only to the resources reading that input', async () => {
    expect(await changedBlocks((w) => w.write('main.tf', (BASE['main.tf'] as string).replace('other  = "o"', 'other  = "o2"')))).toEqual(['module.m.terraform_data.uses_tier']);
    expect(await changedBlocks((w) => w.write('m/main.tf', (BASE['m/main.tf'] as string).replace('default = "x"', 'default = "y"')))).toEqual(['module.m.terraform_data.uses_fixed']);
  });

  it('change when a file read with a static path changes content', async () => {
    expect(await changedBlocks((w) => w.write('cfg.txt', 'v2\n'))).toEqual(['terraform_data.reads_file']);
  });

  it('ignore formatting and comments', async () => {
    expect(await changedBlocks((w) => w.write('main.tf', `# a comment\n${(BASE['main.tf'] as string).replace(/\n/g, '\n\n')}`))).toEqual([]);
  });
});
