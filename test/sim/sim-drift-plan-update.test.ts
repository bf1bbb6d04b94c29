// Drift injected behind terraform's back shows up as an in-place update of exactly that resource.
import { describe, expect, it } from 'vitest';
import { plannedChanges, useSimSession, terraformAvailable } from '../support/sim/index.js';

describe.skipIf(!terraformAvailable())('sim: drift injection (needs terraform)', () => {
  const session = useSimSession({
      workspace: { customers: 2, tunnelsPerCustomer: 3, devicesPerCustomer: 10, withState: true },
      sim: { inProcess: true },
    });

  it('a generated state plans clean before any drift', async () => {
    const plan = await session().terraform(['plan', '-json', '-detailed-exitcode']);
    expect(plan.code).toBe(0);
    expect(plannedChanges(plan.stdout)).toEqual([]);
  });

  it('plans an update for the drifted device and nothing else', async () => {
    const device = session().workspace.device('c1', 'd07');
    await session().sim.injectDrift(device.name, 'changed-in-the-console');
    await session().sim.resetCounters();
    const plan = await session().terraform(['plan', '-json', '-detailed-exitcode']);
    expect(plan.code).toBe(2);
    expect(plannedChanges(plan.stdout)).toEqual([{ address: device.address, action: 'update' }]);
    expect((await session().sim.counters()).reads[device.name]).toBe(1);
  });
});
