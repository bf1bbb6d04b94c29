// The real binary accepts a merged state: a sub-workspace applies a change of one resource and a new one, its
// state is merged into the real state, and `terraform show -json` reads it and a full `terraform plan` of the
// changed configuration has nothing left to do.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeSubState } from '../../src/inject/merge-sub-state.js';
import { tfBinary } from '../support/terraform-env.js';
import { tfOk, tfRun } from '../support/terraform-run.js';

const block = (name: string, input: string): string => `resource "terraform_data" "${name}" {\n  input = "${input}"\n}\n`;

describe.runIf(tfBinary)('a merged state with the real terraform (skipped only without tofu/terraform)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'velocity-merge-tf-'));
    mkdirSync(join(dir, 'real'));
    writeFileSync(join(dir, 'real', 'main.tf'), ['a', 'b', 'c'].map((n) => block(n, n)).join('\n') + 'output "b" {\n  value = terraform_data.b.output\n}\n');
    await tfOk(join(dir, 'real'), ['init', '-input=false', '-no-color']);
    await tfOk(join(dir, 'real'), ['apply', '-auto-approve', '-input=false', '-no-color']);
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is read by show -json and leaves a full plan of the changed configuration empty', async () => {
    const realPath = join(dir, 'real', 'terraform.tfstate');
    const real = JSON.parse(readFileSync(realPath, 'utf8')) as { serial: number; resources: { name: string }[]; outputs: Record<string, unknown> };
    // The sub-workspace: terraform_data.b changed, terraform_data.d new, the output b; its slice holds b only.
    const sub = join(dir, 'sub');
    mkdirSync(sub);
    writeFileSync(join(sub, 'main.tf'), block('b', 'b2') + block('d', 'd') + 'output "b" {\n  value = terraform_data.b.output\n}\n');
    writeFileSync(join(sub, 'terraform.tfstate'), JSON.stringify({ ...real, outputs: { b: real.outputs['b'] }, resources: real.resources.filter((r) => r.name === 'b') }, null, 2));
    await tfOk(sub, ['init', '-input=false', '-no-color']);
    await tfOk(sub, ['apply', '-auto-approve', '-input=false', '-no-color']);
    const out = join(dir, 'merged.tfstate');
    const summary = await mergeSubState({
      real: { path: realPath }, sub: join(sub, 'terraform.tfstate'), serial: real.serial + 1, out,
      owned: { resources: [{ module: '', mode: 'managed', type: 'terraform_data', name: 'b' }], outputs: ['b'] },
    });
    expect(summary.resources).toEqual({ replaced: 1, added: 1, removed: 0 });
    copyFileSync(out, realPath);
    writeFileSync(join(dir, 'real', 'main.tf'), block('a', 'a') + block('b', 'b2') + block('c', 'c') + block('d', 'd') + 'output "b" {\n  value = terraform_data.b.output\n}\n');
    const shown = JSON.parse(await tfOk(join(dir, 'real'), ['show', '-json', '-no-color'])) as { values: { outputs: Record<string, { value: unknown }>; root_module: { resources: { address: string; values: { input: unknown } }[] } } };
    expect(shown.values.root_module.resources.map((r) => [r.address, r.values.input])).toEqual([
      ['terraform_data.a', 'a'], ['terraform_data.b', 'b2'], ['terraform_data.c', 'c'], ['terraform_data.d', 'd'],
    ]);
    expect(shown.values.outputs['b']?.value).toBe('b2');
    const plan = await tfRun(join(dir, 'real'), ['plan', '-detailed-exitcode', '-input=false', '-no-color']);
    expect(plan.stderr).toBe('');
    expect(plan.code).toBe(0);
  });
});
