// Drift injected behind terraform's back shows up as an in-place update of exactly that resource.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plannedChanges, startSimWorkspace, terraformAvailable, type SimSession } from '../support/sim/index.js';

describe.skipIf(!terraformAvailable())('sim: drift injection (needs terraform)', () => {
  let s: SimSession;
  beforeAll(async () => {
    s = await startSimWorkspace({
      workspace: { customers: 2, tunnelsPerCustomer: 3, devicesPerCustomer: 10, withState: true },
      sim: { inProcess: true },
    });
  });
  afterAll(async () => {
    await s?.stop();
  });

  it('a generated state plans clean before any drift', async () => {
    const plan = await s.terraform(['plan', '-json', '-detailed-exitcode']);
    expect(plan.code).toBe(0);
    expect(plannedChanges(plan.stdout)).toEqual([]);
  });

  it('plans an update for the drifted device and nothing else', async () => {
    const device = s.workspace.device('c1', 'd07');
    await s.sim.injectDrift(device.name, 'changed-in-the-console');
    await s.sim.resetCounters();
    const plan = await s.terraform(['plan', '-json', '-detailed-exitcode']);
    expect(plan.code).toBe(2);
    expect(plannedChanges(plan.stdout)).toEqual([{ address: device.address, action: 'update' }]);
    expect((await s.sim.counters()).reads[device.name]).toBe(1);
  });
});
