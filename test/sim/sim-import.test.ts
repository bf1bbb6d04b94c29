// ImportResourceState: an object removed from the state can be imported back by id, after which the plan is clean;
// importing an id the cloud does not have fails with the sim's error.
import { describe, expect, it } from 'vitest';
import { simId, useSimSession, terraformAvailable } from '../support/sim/index.js';

describe.skipIf(!terraformAvailable())('sim: import (needs terraform)', () => {
  const session = useSimSession({
      workspace: { customers: 1, tunnelsPerCustomer: 1, devicesPerCustomer: 2, withState: true },
      sim: { inProcess: true },
    });

  it('imports a forgotten object by id and then plans clean', async () => {
    const device = session().workspace.device('c1', 'd1');
    expect((await session().terraform(['plan', '-detailed-exitcode'])).code).toBe(0); // the cloud adopts every object
    expect((await session().terraform(['state', 'rm', device.address])).code).toBe(0);
    const imported = await session().terraform(['import', '-no-color', device.address, simId(device.name)]);
    expect(imported.code).toBe(0);
    expect((await session().sim.counters()).rpc.ImportResourceState).toBe(1);
    expect((await session().terraform(['plan', '-detailed-exitcode'])).code).toBe(0);
  });

  it('importing an unknown id fails with the sim error', async () => {
    const device = session().workspace.device('c1', 'd2');
    expect((await session().terraform(['state', 'rm', device.address])).code).toBe(0);
    const imported = await session().terraform(['import', '-no-color', device.address, 'sim-no-such-object']);
    expect(imported.code).toBe(1);
    expect(imported.stderr).toContain('sim: cannot import sim-no-such-object: no such object');
  });
});
