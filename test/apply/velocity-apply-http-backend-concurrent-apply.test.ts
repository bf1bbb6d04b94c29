// A plain `terraform apply` on an http backend while `velocity apply` applies in its sub-workspace (the sim holds one
// apply): velocity holds no lock on a remote backend, so the concurrent apply goes through; the merge's
// compare-and-swap then refuses with STATE_MOVED (exit 1, both serials named), nothing is pushed over what terraform
// wrote, and the sub-workspace is kept and named (`velocity merge DIR` keeps refusing while the state is moved).
// What the binary applied after the concurrent apply is then in the cloud and not in the real state (a known limit).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertFreshBuild } from '../support/built-package.js';
import { httpBackendWorkspace, type HttpBackendWorkspace } from '../support/http-backend-workspace.js';
import { startSim, terraformAvailable, terraformBin, type SimServer } from '../support/sim/index.js';
import { tfOk, tfRun } from '../support/terraform-run.js';
import { tfEnv } from '../support/terraform-env.js';
import { startVelocity, until } from '../support/velocity-child.js';

const BLOCKS = [
  'terraform {\n  required_providers {\n    sim = { source = "example/sim" }\n  }\n}',
  'variable "v" {\n  default = "a"\n}',
  'variable "w" {\n  default = "a"\n}',
  'resource "sim_resource" "base" {\n  name  = "base"\n  value = "base"\n}',
  'resource "sim_resource" "x" {\n  for_each = toset(["p", "q"])\n  name     = "x/${each.key}"\n  inputs   = { base = sim_resource.base.id }\n  value    = var.v\n}',
  'resource "sim_resource" "other" {\n  name  = "other"\n  value = var.w\n}',
];

interface Doc { serial: number; resources: { name: string; instances: { index_key?: string; attributes: { value: string } }[] }[] }
const serialOf = (text: string): number => (JSON.parse(text) as Doc).serial;

describe.skipIf(!terraformAvailable())('velocity apply on an http backend, a concurrent terraform apply mid-apply (needs terraform)', () => {
  let sim: SimServer;
  let ws: HttpBackendWorkspace;
  let tfenv: NodeJS.ProcessEnv;
  beforeAll(async () => {
    assertFreshBuild();
    sim = await startSim({ inProcess: true });
    tfenv = tfEnv(sim.reattachEnv());
    ws = await httpBackendWorkspace(BLOCKS, {}, tfenv);
  }, 120_000);
  afterAll(async () => {
    await sim?.releaseApplies().catch(() => {});
    await ws?.cleanup();
    await sim?.stop();
  });

  it('refuses the merge with STATE_MOVED and leaves what terraform pushed', async () => {
    const env = { ...tfenv, VELOCITY_TF_BINARY: terraformBin() };
    const planned = serialOf(await tfOk(ws.dir, ['state', 'pull'], tfenv));
    await sim.holdApplies(['x/q'], 60_000);
    const v = startVelocity(['apply', '--mode', 'inject', '-auto-approve', '-no-color', '-var=v=b'], { cwd: ws.dir, env });
    await until(async () => (await sim.heldApplies()) === 1, () => `x/q held mid-apply:\n${v.output()}`, 60_000);
    const sub = /applying in the sub-workspace (\S+) /.exec(v.output())?.[1] ?? '';
    expect(existsSync(join(sub, 'velocity-sub.json')), v.output()).toBe(true);

    // Nothing locks the remote state meanwhile: a plain apply of another change goes through.
    const concurrent = await tfRun(ws.dir, ['apply', '-auto-approve', '-input=false', '-no-color', '-lock-timeout=0s', '-var=w=z'], tfenv);
    expect(concurrent.code, concurrent.stderr).toBe(0);
    const moved = await tfOk(ws.dir, ['state', 'pull'], tfenv);
    expect(serialOf(moved)).toBeGreaterThan(planned);

    await sim.releaseApplies();
    const r = await v.done;
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toContain('Apply complete! Resources: 0 added, 2 changed, 0 destroyed.');
    expect(r.stderr).toContain('error[STATE_MOVED]');
    expect(r.stderr).toContain(`its serial is ${serialOf(moved)}, the plan was made at serial ${planned}; nothing was written`);
    expect(r.stderr).toContain(`the sub-workspace ${sub} is kept`);
    expect(await tfOk(ws.dir, ['state', 'pull'], tfenv)).toBe(moved);
    expect(existsSync(join(sub, 'terraform.tfstate'))).toBe(true);

    const merge = await startVelocity(['merge', sub], { cwd: ws.dir, env }).done;
    expect(merge.code).toBe(1);
    expect(merge.stderr).toContain('error[STATE_MOVED]');
    expect(await tfOk(ws.dir, ['state', 'pull'], tfenv)).toBe(moved);
    // x/q, applied by the binary after the concurrent apply had refreshed it, is in the cloud but not in the real
    // state (x/p the concurrent apply had put back to its own configuration).
    const stateValue = (JSON.parse(moved) as Doc).resources.find((res) => res.name === 'x')?.instances.find((i) => i.index_key === 'q')?.attributes.value;
    expect(stateValue).toBe('a');
    expect((await sim.objects()).find((o) => o.name === 'x/q')?.value).toBe('b');
  }, 120_000);
});
