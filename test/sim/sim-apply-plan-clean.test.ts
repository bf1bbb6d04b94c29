// Applying a ~30-resource sim workspace with real terraform, then planning it: no changes, one read per resource.
import { describe, expect, it } from 'vitest';
import { useSimSession, terraformAvailable } from '../support/sim/index.js';

describe.skipIf(!terraformAvailable())('sim: apply then plan (needs terraform)', () => {
  const session = useSimSession({ workspace: { customers: 2, tunnelsPerCustomer: 3, devicesPerCustomer: 10 }, sim: { inProcess: true } });

  it('creates every resource through ApplyResourceChange', async () => {
    const apply = await session().terraform(['apply', '-auto-approve', '-no-color']);
    expect(apply.stderr).toBe('');
    expect(apply.code).toBe(0);
    const c = await session().sim.counters();
    const names = session().workspace.resources.map((r) => r.name).sort();
    expect(session().workspace.resourceCount).toBe(29);
    expect(Object.keys(c.applies)).toEqual(names);
    expect(Object.values(c.applies).every((n) => n === 1)).toBe(true);
    expect((await session().sim.objects()).map((o) => o.name).sort()).toEqual(names);
  });

  it('plans no changes and reads each resource exactly once', async () => {
    await session().sim.resetCounters();
    const plan = await session().terraform(['plan', '-detailed-exitcode', '-no-color']);
    expect(plan.stderr).toBe('');
    expect(plan.code).toBe(0);
    const c = await session().sim.counters();
    const expected = Object.fromEntries(session().workspace.resources.map((r) => [r.name, 1] as const).sort());
    expect(c.reads).toEqual(expected);
    expect(c.rpc.ReadResource).toBe(29);
    expect(c.rpc.ApplyResourceChange).toBeUndefined();
  });
});
