// The default (child-process) sim serves terraform exactly like the in-process one: a clean plan, one read each.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimWorkspace, terraformAvailable, type SimSession } from '../support/sim/index.js';

describe.skipIf(!terraformAvailable())('sim child process serves terraform (needs terraform)', () => {
  let s: SimSession;
  beforeAll(async () => {
    s = await startSimWorkspace({ workspace: { customers: 1, tunnelsPerCustomer: 2, devicesPerCustomer: 4, withState: true } });
  });
  afterAll(async () => {
    await s?.stop();
  });

  it('plans no changes and counts one read per resource', async () => {
    expect(s.sim.pid).not.toBe(process.pid);
    const plan = await s.terraform(['plan', '-detailed-exitcode', '-no-color']);
    expect(plan.code).toBe(0);
    const c = await s.sim.counters();
    expect(c.reads).toEqual(Object.fromEntries(s.workspace.resources.map((r) => [r.name, 1] as const).sort()));
    expect(c.rpc.ReadResource).toBe(s.workspace.resourceCount);
  });
});
