// ImportResourceState: an object removed from the state can be imported back by id, after which the plan is clean;
// importing an id the cloud does not have fails with the sim's error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simId, startSimWorkspace, terraformAvailable, type SimSession } from '../support/sim/index.js';

describe.skipIf(!terraformAvailable())('sim: import (needs terraform)', () => {
  let s: SimSession;
  beforeAll(async () => {
    s = await startSimWorkspace({
      workspace: { customers: 1, tunnelsPerCustomer: 1, devicesPerCustomer: 2, withState: true },
      sim: { inProcess: true },
    });
  });
  afterAll(async () => {
    await s?.stop();
  });

  it('imports a forgotten object by id and then plans clean', async () => {
    const device = s.workspace.device('c1', 'd1');
    expect((await s.terraform(['plan', '-detailed-exitcode'])).code).toBe(0); // the cloud adopts every object
    expect((await s.terraform(['state', 'rm', device.address])).code).toBe(0);
    const imported = await s.terraform(['import', '-no-color', device.address, simId(device.name)]);
    expect(imported.code).toBe(0);
    expect((await s.sim.counters()).rpc.ImportResourceState).toBe(1);
    expect((await s.terraform(['plan', '-detailed-exitcode'])).code).toBe(0);
  });

  it('importing an unknown id fails with the sim error', async () => {
    const device = s.workspace.device('c1', 'd2');
    expect((await s.terraform(['state', 'rm', device.address])).code).toBe(0);
    const imported = await s.terraform(['import', '-no-color', device.address, 'sim-no-such-object']);
    expect(imported.code).toBe(1);
    expect(imported.stderr).toContain('sim: cannot import sim-no-such-object: no such object');
  });
});
