// Issue 16 item 10: a Latin-1 `.tf` (or `.tfvars`) that `terraform validate` rejects is rejected too, with
// CONFIG_PARSE naming the file, instead of being read with replacement characters. Checked against the binary.

import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigChangeDetector } from '../../src/detect/config-change-detector.js';
import { fingerprintConfig } from '../../src/detect/fingerprint-config.js';
import { tempWorkspace, type TempWorkspace } from '../support/temp-workspace.js';
import { smallState } from '../support/small-state.js';
import { TERRAFORM } from '../support/terraform-probe.js';
import { tfEnv } from '../support/terraform-env.js';

const LATIN1 = Buffer.concat([Buffer.from('resource "terraform_data" "a" {\n  input = "caf'), Buffer.from([0xe9]), Buffer.from('"\n}\n')]);

let ws: TempWorkspace | undefined;
afterEach(() => ws?.cleanup());

describe('configuration text that is not UTF-8', () => {
  it('a Latin-1 .tf is CONFIG_PARSE naming the file', async () => {
    ws = tempWorkspace({ 'ok.tf': 'resource "terraform_data" "b" {\n  input = "é"\n}\n' });
    writeFileSync(join(ws.dir, 'main.tf'), LATIN1);
    await expect(new ConfigChangeDetector().detect({ workingDir: ws.dir, state: smallState(['terraform_data.a']), env: {}, cachePath: false })).rejects.toMatchObject({ code: 'CONFIG_PARSE', file: 'main.tf' });
  });

  it('a Latin-1 terraform.tfvars is CONFIG_PARSE naming the file', async () => {
    ws = tempWorkspace({ 'main.tf': 'variable "v" {\n  default = "x"\n}\n' });
    writeFileSync(join(ws.dir, 'terraform.tfvars'), Buffer.concat([Buffer.from('v = "caf'), Buffer.from([0xe9]), Buffer.from('"\n')]));
    await expect(fingerprintConfig({ workingDir: ws.dir, env: {}, cachePath: false })).rejects.toMatchObject({ code: 'CONFIG_PARSE', file: 'terraform.tfvars' });
  });

  it('a binary file read by filebase64() is fine (and its bytes, not a lossy decoding, are digested)', async () => {
    ws = tempWorkspace({ 'main.tf': 'resource "terraform_data" "a" {\n  input = filebase64("${path.module}/blob.bin")\n}\n' });
    writeFileSync(join(ws.dir, 'blob.bin'), Buffer.from([0xe9, 0x00, 0xff]));
    const before = await fingerprintConfig({ workingDir: ws.dir, env: {}, cachePath: false });
    writeFileSync(join(ws.dir, 'blob.bin'), Buffer.from([0xe8, 0x00, 0xff]));
    const after = await fingerprintConfig({ workingDir: ws.dir, env: {}, cachePath: false });
    expect(after.blocks.get('terraform_data.a')).not.toBe(before.blocks.get('terraform_data.a'));
  });

  it.runIf(TERRAFORM !== undefined)('terraform validate rejects the same file', () => {
    ws = tempWorkspace({});
    writeFileSync(join(ws.dir, 'main.tf'), LATIN1);
    expect(() => execFileSync(TERRAFORM as string, ['validate', '-no-color'], { cwd: ws?.dir, env: tfEnv(), stdio: 'pipe' })).toThrow();
  });
});
