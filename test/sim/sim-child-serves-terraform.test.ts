// The default (child-process) sim serves terraform exactly like the in-process one: a clean plan, one read each.
import { describe, expect, it } from 'vitest';
import { useSimSession, terraformAvailable } from '../support/sim/index.js';

describe.skipIf(!terraformAvailable())('sim child process serves terraform (needs terraform)', () => {
  const session = useSimSession({ workspace: { customers: 1, tunnelsPerCustomer: 2, devicesPerCustomer: 4, withState: true } });

  it('plans no changes and counts one read per resource', async () => {
    expect(session().sim.pid).not.toBe(process.pid);
    const plan = await session().terraform(['plan', '-detailed-exitcode', '-no-color']);
    expect(plan.code).toBe(0);
    const c = await session().sim.counters();
    expect(c.reads).toEqual(Object.fromEntries(session().workspace.resources.map((r) => [r.name, 1] as const).sort()));
    expect(c.rpc.ReadResource).toBe(session().workspace.resourceCount);
  });
});
