// Applying a ~30-resource sim workspace with real terraform, then planning it: no changes, one read per resource.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimWorkspace, terraformAvailable, type SimSession } from '../support/sim/index.js';

describe.skipIf(!terraformAvailable())('sim: apply then plan (needs terraform)', () => {
  let s: SimSession;
  beforeAll(async () => {
    s = await startSimWorkspace({ workspace: { customers: 2, tunnelsPerCustomer: 3, devicesPerCustomer: 10 }, sim: { inProcess: true } });
  });
  afterAll(async () => {
    await s?.stop();
  });

  it('creates every resource through ApplyResourceChange', async () => {
    const apply = await s.terraform(['apply', '-auto-approve', '-no-color']);
    expect(apply.stderr).toBe('');
    expect(apply.code).toBe(0);
    const c = await s.sim.counters();
    const names = s.workspace.resources.map((r) => r.name).sort();
    expect(s.workspace.resourceCount).toBe(29);
    expect(Object.keys(c.applies)).toEqual(names);
    expect(Object.values(c.applies).every((n) => n === 1)).toBe(true);
    expect((await s.sim.objects()).map((o) => o.name).sort()).toEqual(names);
  });

  it('plans no changes and reads each resource exactly once', async () => {
    await s.sim.resetCounters();
    const plan = await s.terraform(['plan', '-detailed-exitcode', '-no-color']);
    expect(plan.stderr).toBe('');
    expect(plan.code).toBe(0);
    const c = await s.sim.counters();
    const expected = Object.fromEntries(s.workspace.resources.map((r) => [r.name, 1] as const).sort());
    expect(c.reads).toEqual(expected);
    expect(c.rpc.ReadResource).toBe(29);
    expect(c.rpc.ApplyResourceChange).toBeUndefined();
  });
});
