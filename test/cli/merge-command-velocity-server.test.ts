// `velocity merge DIR` for a sub-workspace of a state on a velocity server (a run that applied there and died before
// its write): the sub-workspace's addresses are locked on the server again and its state is written as a subgraph;
// and `velocity apply FILE` of a saved inject-mode plan does the same in one run.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runVelocityBin } from '../support/built-package.js';
import { savedPlan, type ServeCustomers, serveCustomers, useBuiltServeFixture } from '../support/serve-customers.js';
import { terraformAvailable, terraformBin } from '../support/sim/index.js';
import { tfOk } from '../support/terraform-run.js';

interface Doc { resources: { name: string; instances: { attributes: { input: { value: unknown } } }[] }[] }

async function inputs(ws: ServeCustomers): Promise<unknown[]> {
  const doc = JSON.parse(await tfOk(ws.dir, ['state', 'pull'], ws.env)) as Doc;
  return ['c1', 'c2'].map((n) => doc.resources.find((r) => r.name === n)?.instances[0]?.attributes.input.value);
}

describe.skipIf(!terraformAvailable())('velocity merge and velocity apply FILE on a velocity server (needs terraform)', () => {
  const server = useBuiltServeFixture();

  it('velocity merge re-takes the locks and writes the subgraph', async () => {
    const ws = await serveCustomers(server(), 2);
    const env = { ...ws.env, VELOCITY_TF_BINARY: terraformBin() };
    const sub = await savedPlan(ws, 'b');
    // The run "died" after its binary applied in the sub-workspace.
    await tfOk(sub, ['apply', '-input=false', '-no-color', `${ws.dir}/p.tfplan`], ws.env);
    const r = await runVelocityBin(['merge', sub], { cwd: ws.dir, env });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Velocity: locked \d+ addresses on the velocity server/);
    expect(r.stdout).toContain("Velocity: wrote the sub-workspace's subgraph to the velocity server");
    expect(await inputs(ws)).toEqual(['b', 'a']);
    expect(existsSync(sub)).toBe(false);
  }, 240_000);

  it('velocity apply FILE applies the saved plan and writes the subgraph', async () => {
    const ws = await serveCustomers(server(), 2);
    const env = { ...ws.env, VELOCITY_TF_BINARY: terraformBin() };
    await savedPlan(ws, 'c');
    const r = await runVelocityBin(['apply', '-no-color', '-input=false', 'p.tfplan'], { cwd: ws.dir, env });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain("Velocity: wrote the sub-workspace's subgraph to the velocity server");
    expect(await inputs(ws)).toEqual(['c', 'a']);
  }, 240_000);
});
