// Local commit under Terraform's own lock: while a real `terraform apply` holds the state's lock, committing is a
// LOCK_CONFLICT naming terraform's lock (its ID and operation from the lock info file), and nothing is written.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitSubState } from '../../src/apply/commit-sub-state.js';
import { tfBinary, tfEnv } from '../support/terraform-env.js';
import { tfOk } from '../support/terraform-run.js';

describe.runIf(tfBinary)('commitSubState against a running terraform apply (skipped only without tofu/terraform)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'velocity-commit-lock-'));
    writeFileSync(join(dir, 'main.tf'), 'variable "v" {\n  default = "1"\n}\nresource "terraform_data" "a" {\n  input = var.v\n}\n');
    await tfOk(dir, ['init', '-input=false', '-no-color']);
    await tfOk(dir, ['apply', '-auto-approve', '-input=false', '-no-color']);
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is refused with the holder while terraform holds the lock', async () => {
    const statePath = join(dir, 'terraform.tfstate');
    const real = JSON.parse(readFileSync(statePath, 'utf8')) as { serial: number; lineage: string };
    const subState = join(dir, 'sub.tfstate');
    writeFileSync(subState, JSON.stringify({ ...real, serial: real.serial + 1 }, null, 2));
    // A slow apply: a provisioner that sleeps holds the lock for its whole run.
    writeFileSync(join(dir, 'slow.tf'), 'resource "terraform_data" "slow" {\n  provisioner "local-exec" {\n    command = "sleep 6"\n  }\n}\n');
    const apply = spawn(tfBinary as string, ['apply', '-auto-approve', '-input=false', '-no-color'], { cwd: dir, env: tfEnv(), stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => apply.on('close', resolve));
    try {
      const info = join(dir, '.terraform.tfstate.lock.info');
      for (let n = 0; n < 600 && !existsSync(info); n++) await new Promise((r) => setTimeout(r, 50));
      const holder = JSON.parse(readFileSync(info, 'utf8')) as { ID: string };
      const before = readFileSync(statePath);
      const error = await commitSubState({
        target: { kind: 'local', path: statePath, lock: true, lockTimeoutMs: 200 }, expected: { serial: real.serial, lineage: real.lineage }, subState, sliceSerial: real.serial,
        owned: { resources: [{ module: '', mode: 'managed', type: 'terraform_data', name: 'a' }], outputs: [] }, tmpDir: join(dir, 'tmp'),
      }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'LOCK_CONFLICT', holder: { ID: holder.ID, Operation: 'OperationTypeApply' } });
      expect(readFileSync(statePath).equals(before)).toBe(true);
    } finally {
      expect(await exited).toBe(0);
    }
  }, 90_000);
});
