// A plain `terraform apply` between `velocity plan -out=F` and `velocity apply F` (the built CLI): the apply is refused
// with STATE_MOVED naming both serials, before anything is applied; the real state keeps the bytes terraform wrote and
// the sub-workspace is kept and named. `velocity merge DIR` writes nothing while the state is moved, whether the
// sub-workspace was applied (STATE_MOVED) or not (unchanged). Local backend, and an http backend (the push path).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appliedCustomersWorkspace, type AppliedWorkspace } from '../support/applied-workspace.js';
import { assertFreshBuild, runVelocityBin } from '../support/built-package.js';
import { httpBackendWorkspace, type HttpBackendWorkspace } from '../support/http-backend-workspace.js';
import { tfOk } from '../support/terraform-run.js';
import { tfBinary, tfEnv } from '../support/terraform-env.js';

const serialOf = (text: string | Buffer): number => (JSON.parse(text.toString()) as { serial: number }).serial;
/** The sub-workspace a saved inject-mode plan belongs to, from `velocity plan`'s own line. */
const subOf = (stdout: string): string => /-chdir=(\S+) show/.exec(stdout)?.[1] ?? '';

describe.runIf(tfBinary)('velocity apply PLANFILE after the state moved, local backend (skipped only without tofu/terraform)', () => {
  let ws: AppliedWorkspace;
  let env: NodeJS.ProcessEnv;
  beforeAll(() => {
    assertFreshBuild();
    ws = appliedCustomersWorkspace(tfBinary as string, { customers: 2 });
    env = tfEnv({ VELOCITY_TF_BINARY: tfBinary as string });
  });
  afterAll(() => ws?.cleanup());

  it('refuses with STATE_MOVED, writes nothing, keeps and names the sub-workspace', async () => {
    const statePath = join(ws.dir, 'terraform.tfstate');
    const planned = serialOf(readFileSync(statePath));
    const plan = await runVelocityBin(['plan', '--mode', 'inject', ws.changeDeviceVar(0, 2, 'v7'), '-out=saved.tfplan', '-no-color'], { cwd: ws.dir, env });
    expect(plan.code, plan.stderr).toBe(0);
    const sub = subOf(plan.stdout);
    expect(existsSync(join(sub, 'velocity-sub.json')), plan.stdout).toBe(true);

    // Someone applies another change with plain terraform meanwhile.
    execFileSync(tfBinary as string, ['apply', '-auto-approve', '-input=false', '-no-color', ws.changeDeviceVar(1, 4, 'v9')], { cwd: ws.dir, env: tfEnv(), stdio: 'ignore', timeout: 120_000 });
    const moved = readFileSync(statePath);
    const movedSerial = serialOf(moved);
    expect(movedSerial).toBeGreaterThan(planned);

    const apply = await runVelocityBin(['apply', '-no-color', 'saved.tfplan'], { cwd: ws.dir, env });
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain('error[STATE_MOVED]');
    expect(apply.stderr).toContain(`its serial is ${movedSerial}, the plan was made at serial ${planned}; nothing was written`);
    expect(apply.stderr).toContain(`the sub-workspace ${sub} is kept`);
    expect(apply.stdout).not.toContain('Apply complete');
    expect(readFileSync(statePath).equals(moved)).toBe(true);
    expect(existsSync(join(sub, 'velocity-sub.json'))).toBe(true);
    // Still registered: the refused plan file is not forgotten.
    expect(readdirSync(join(ws.dir, '.velocity', 'plans'))).toHaveLength(1);

    // Nothing was applied there, so `velocity merge` has nothing to write (and keeps DIR: it holds a saved plan).
    const unapplied = await runVelocityBin(['merge', sub], { cwd: ws.dir, env });
    expect(unapplied.code, unapplied.stderr).toBe(0);
    expect(unapplied.stdout).toContain('the real state was not written');
    expect(existsSync(sub)).toBe(true);
    expect(readFileSync(statePath).equals(moved)).toBe(true);

    // Had the binary applied there (as a killed `velocity apply` leaves it), the merge is refused the same way.
    execFileSync(tfBinary as string, [`-chdir=${sub}`, 'apply', '-input=false', '-no-color', join(ws.dir, 'saved.tfplan')], { env: tfEnv(), stdio: 'ignore', timeout: 120_000 });
    const applied = await runVelocityBin(['merge', sub], { cwd: ws.dir, env });
    expect(applied.code).toBe(1);
    expect(applied.stderr).toContain('error[STATE_MOVED]');
    expect(applied.stderr).toContain(`its serial is ${movedSerial}, the plan was made at serial ${planned}; nothing was written`);
    expect(existsSync(join(sub, 'terraform.tfstate'))).toBe(true);
    expect(readFileSync(statePath).equals(moved)).toBe(true);
  }, 120_000);
});

describe.runIf(tfBinary)('velocity apply PLANFILE after the state moved, http backend (skipped only without tofu/terraform)', () => {
  let ws: HttpBackendWorkspace;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    assertFreshBuild();
    ws = await httpBackendWorkspace([
      'variable "v" {\n  default = "a"\n}',
      'variable "w" {\n  default = "a"\n}',
      'resource "terraform_data" "base" {\n  input = "base"\n}',
      'resource "terraform_data" "x" {\n  for_each = toset(["p", "q", "r"])\n  input    = "${terraform_data.base.output}/${each.key}/${each.key == "q" ? var.v : "a"}"\n}',
      'resource "terraform_data" "other" {\n  input = var.w\n}',
    ]);
    env = tfEnv({ VELOCITY_TF_BINARY: tfBinary as string });
  }, 120_000);
  afterAll(async () => ws?.cleanup());

  it('refuses with STATE_MOVED before applying; the backend keeps what terraform pushed', async () => {
    const planned = serialOf(await tfOk(ws.dir, ['state', 'pull']));
    const plan = await runVelocityBin(['plan', '--mode', 'inject', '--changed', 'terraform_data.x["q"]', '-var=v=b', '-out=saved.tfplan', '-no-color'], { cwd: ws.dir, env });
    expect(plan.code, plan.stderr).toBe(0);
    const sub = subOf(plan.stdout);
    expect(existsSync(join(sub, 'velocity-sub.json')), plan.stdout).toBe(true);
    await tfOk(ws.dir, ['apply', '-auto-approve', '-input=false', '-no-color', '-var=w=z']);
    const moved = await tfOk(ws.dir, ['state', 'pull']);
    const movedSerial = serialOf(moved);
    expect(movedSerial).toBeGreaterThan(planned);
    const posts = ws.server.log.filter((l) => l.startsWith('POST')).length;

    const apply = await runVelocityBin(['apply', '-no-color', 'saved.tfplan'], { cwd: ws.dir, env });
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain('error[STATE_MOVED]');
    expect(apply.stderr).toContain(`its serial is ${movedSerial}, the plan was made at serial ${planned}; nothing was written`);
    expect(apply.stderr).toContain(`the sub-workspace ${sub} is kept`);
    expect(apply.stdout).not.toContain('Apply complete');
    expect(ws.server.log.filter((l) => l.startsWith('POST')).length).toBe(posts);
    expect(await tfOk(ws.dir, ['state', 'pull'])).toBe(moved);
    expect(ws.server.lock()).toBeUndefined();
    expect(existsSync(join(sub, 'velocity-sub.json'))).toBe(true);
  }, 120_000);
});
