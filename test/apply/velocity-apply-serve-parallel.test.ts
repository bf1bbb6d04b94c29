// Two `velocity apply` of disjoint customers of ONE state on a velocity server, started at the same time: each
// locks only its cone there and writes it as a subgraph, so both exit 0; the state then holds both changes and a
// full terraform plan of the combined configuration finds nothing to do.
import { describe, expect, it } from 'vitest';
import { applyCustomer, serveCustomers, useBuiltServeFixture } from '../support/serve-customers.js';
import { terraformAvailable } from '../support/sim/index.js';
import { tfOk, tfRun } from '../support/terraform-run.js';

interface Doc { serial: number; outputs: Record<string, { value: unknown }>; resources: { name: string; instances: { attributes: { input: { value: unknown } } }[] }[] }

describe.skipIf(!terraformAvailable())('velocity apply on a velocity server: disjoint applies in parallel (needs terraform)', () => {
  const server = useBuiltServeFixture();

  it('both exit 0 and the state holds both changes', async () => {
    const ws = await serveCustomers(server(), 3);
    const one = applyCustomer(ws, 1, 'b');
    const two = applyCustomer(ws, 2, 'b');
    const [r1, r2] = await Promise.all([one.done, two.done]);
    expect(r1.code, r1.stdout + r1.stderr).toBe(0);
    expect(r2.code, r2.stdout + r2.stderr).toBe(0);
    for (const r of [r1, r2]) {
      expect(r.stdout).toMatch(/Velocity: locked \d+ addresses on the velocity server http:\/\/127\.0\.0\.1:\d+ \(lock [0-9a-f-]{36}\)/);
      expect(r.stdout).toContain("Velocity: wrote the sub-workspace's subgraph to the velocity server");
    }
    const doc = JSON.parse(await tfOk(ws.dir, ['state', 'pull'], ws.env)) as Doc;
    const input = (name: string): unknown => doc.resources.find((x) => x.name === name)?.instances[0]?.attributes.input.value;
    expect([input('c1'), input('c2'), input('c3')]).toEqual(['b', 'b', 'a']);
    expect([doc.outputs['c1']?.value, doc.outputs['c2']?.value, doc.outputs['c3']?.value]).toEqual(['b', 'b', 'a']);
    const plan = await tfRun(ws.dir, ['plan', '-detailed-exitcode', '-input=false', '-no-color', '-var=c1=b', '-var=c2=b'], ws.env);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  }, 240_000);
});
