// A `terraform apply -lock-timeout=...` waiting on the lock while velocity commits loses nothing: it opened the
// state file before velocity replaced it, so it waits on the old file; that file is retired, and terraform refuses to
// run ("Failed to load state") instead of writing its result into a file nobody reads. The merged state and the
// backup of the previous one stay as velocity wrote them.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitSubState, lockLocalState } from '../../src/apply/commit-sub-state.js';
import { mergeSubState } from '../../src/inject/merge-sub-state.js';
import { tfBinary, tfEnv } from '../support/terraform-env.js';
import { tfOk } from '../support/terraform-run.js';

interface Doc { serial: number; lineage: string; resources: { name: string; instances: { attributes: Record<string, unknown> }[] }[] }

describe.runIf(tfBinary)('commitSubState while terraform waits on the lock (skipped only without tofu/terraform)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'velocity-commit-waiting-'));
    writeFileSync(join(dir, 'main.tf'), 'variable "v" {\n  default = "1"\n}\nresource "terraform_data" "a" {\n  input = var.v\n}\nresource "terraform_data" "b" {\n  input = "b"\n}\n');
    await tfOk(dir, ['init', '-input=false', '-no-color']);
    await tfOk(dir, ['apply', '-auto-approve', '-input=false', '-no-color']);
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('makes the waiting terraform refuse instead of losing its apply', async () => {
    const path = join(dir, 'terraform.tfstate');
    const old = readFileSync(path);
    const real = JSON.parse(old.toString('utf8')) as Doc;
    const subState = join(dir, 'sub.tfstate');
    const b = real.resources.filter((r) => r.name === 'b').map((r) => ({ ...r, instances: r.instances.map((i) => ({ ...i, attributes: { ...i.attributes, input: { value: 'b2', type: 'string' } } })) }));
    writeFileSync(subState, JSON.stringify({ ...real, serial: real.serial + 1, resources: b }, null, 2));
    const owned = { resources: [{ module: '', mode: 'managed' as const, type: 'terraform_data', name: 'b' }], outputs: [] };
    await mergeSubState({ real: { path }, sub: subState, owned, serial: real.serial + 1, out: join(dir, 'expected.json') });
    const merged = readFileSync(join(dir, 'expected.json'));
    rmSync(join(dir, 'expected.json'));

    const lease = await lockLocalState(path, { lockTimeoutMs: 0 });
    const apply = spawn(tfBinary as string, ['apply', '-auto-approve', '-input=false', '-no-color', '-lock-timeout=60s', '-var=v=2'], { cwd: dir, env: tfEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    apply.stdout.on('data', (c: Buffer) => (out += c.toString()));
    apply.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((resolve) => apply.on('close', resolve));
    try {
      // Terraform says so once it has waited on the lock for a moment: it holds the state file open by then.
      for (let n = 0; n < 600 && !out.includes('Acquiring state lock'); n++) await new Promise((r) => setTimeout(r, 50));
      expect(out).toContain('Acquiring state lock');
      const result = await commitSubState({ target: { kind: 'local', path, lock: true, lockTimeoutMs: 0, lease }, expected: { serial: real.serial, lineage: real.lineage }, subState, sliceSerial: real.serial, owned, tmpDir: join(dir, 'tmp') });
      expect(result.kind).toBe('written');
    } finally {
      await lease.release();
    }
    expect(await exited).not.toBe(0);
    expect(readFileSync(path).equals(merged)).toBe(true);
    expect(readFileSync(`${path}.backup`).equals(old)).toBe(true);
  }, 120_000);
});
