// `-target` of one device reads only its dependency set as terraform resolves it: the device, the controller, and
// the site and tunnels of EVERY customer (terraform resolves module dependencies per configuration block).
import { describe, expect, it } from 'vitest';
import { refreshedAddresses, useSimSession, terraformAvailable } from '../support/sim/index.js';

describe.skipIf(!terraformAvailable())('sim: -target reads (needs terraform)', () => {
  const session = useSimSession({
      workspace: { customers: 2, tunnelsPerCustomer: 3, devicesPerCustomer: 10, withState: true },
      sim: { inProcess: true },
    });

  it('reads the targeted device and its dependency set once each, nothing else', async () => {
    const ws = session().workspace;
    const device = ws.device('c2', 'd05');
    await session().sim.resetCounters();
    const plan = await session().terraform(['plan', '-json', '-detailed-exitcode', `-target=${device.address}`]);
    expect(plan.code).toBe(0);
    const expected = [device, ws.controller, ...ws.customers.flatMap((c) => [ws.site(c), ...ws.tunnels.map((t) => ws.tunnel(c, t))])];
    const c = await session().sim.counters();
    expect(c.reads).toEqual(Object.fromEntries(expected.map((r) => [r.name, 1] as const).sort()));
    const refreshed = refreshedAddresses(plan.stdout);
    expect(refreshed).toEqual(expected.map((r) => r.address).sort());
    expect(refreshed.map((a) => ws.byAddress(a)?.name).sort()).toEqual(Object.keys(c.reads));
  });
});
