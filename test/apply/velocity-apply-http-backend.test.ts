// Inject mode on a remote backend (`http`): the sub-workspace's applied state is merged into a fresh `state pull` and
// written back with `<bin> state push` (the backend's own lock and serial checks); the backend then holds the change
// and every other instance as it was, and a full plan through the backend has nothing to do.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureApply } from '../support/apply-capture.js';
import { httpBackendWorkspace, type HttpBackendWorkspace } from '../support/http-backend-workspace.js';
import { tfOk as tf } from '../support/terraform-run.js';
import { tfBinary, tfEnv } from '../support/terraform-env.js';

interface Doc { serial: number; lineage: string; resources: { name: string; instances: { index_key?: string; attributes: { input: { value: string } } }[] }[] }

describe.runIf(tfBinary)('velocity apply in inject mode on an http backend (skipped only without tofu/terraform)', () => {
  let ws: HttpBackendWorkspace;
  let dir: string;
  beforeAll(async () => {
    ws = await httpBackendWorkspace([
      'variable "v" {\n  default = "a"\n}',
      'resource "terraform_data" "base" {\n  input = "base"\n}',
      'resource "terraform_data" "x" {\n  for_each = toset(["p", "q", "r"])\n  input    = "${terraform_data.base.output}/${each.key}/${each.key == "q" ? var.v : "a"}"\n}',
      'resource "terraform_data" "other" {\n  input = "other"\n}',
    ]);
    dir = ws.dir;
  }, 120_000);
  afterAll(async () => ws?.cleanup());

  it('pushes the merged state through the backend', async () => {
    const before = JSON.parse(await tf(dir, ['state', 'pull'])) as Doc;
    const { result, stdout } = await captureApply({ cwd: dir, env: tfEnv(), mode: 'inject', changed: ['terraform_data.x["q"]'], planArgs: ['-var=v=b', '-auto-approve', '-no-color'] });
    expect(result.execution, stdout).toBe('inject');
    expect(result.exitCode).toBe(0);
    expect(result.merge?.kind).toBe('written');
    const after = JSON.parse(await tf(dir, ['state', 'pull'])) as Doc;
    expect(after.lineage).toBe(before.lineage);
    // Terraform's `state push` bumps the serial it is given once more.
    expect(after.serial).toBeGreaterThan(before.serial);
    const x = after.resources.find((r) => r.name === 'x');
    expect(x?.instances.map((i) => [i.index_key, i.attributes.input.value])).toEqual([['p', 'base/p/a'], ['q', 'base/q/b'], ['r', 'base/r/a']]);
    expect(after.resources.filter((r) => r.name !== 'x')).toEqual(before.resources.filter((r) => r.name !== 'x'));
    const plan = await tf(dir, ['plan', '-detailed-exitcode', '-input=false', '-no-color', '-var=v=b']).then(() => 0, () => 1);
    expect(plan).toBe(0);
  });
});
