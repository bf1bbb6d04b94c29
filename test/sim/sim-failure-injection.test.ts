// Injected failures come back to terraform as error diagnostics: the plan or apply fails with the sim's message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planDiagnostics, startSimWorkspace, terraformAvailable, type SimSession } from '../support/sim/index.js';

describe.skipIf(!terraformAvailable())('sim: failure injection (needs terraform)', () => {
  let s: SimSession;
  beforeAll(async () => {
    s = await startSimWorkspace({
      workspace: { customers: 1, tunnelsPerCustomer: 2, devicesPerCustomer: 3, withState: true },
      sim: { inProcess: true },
    });
  });
  afterAll(async () => {
    await s?.stop();
  });

  it('a failing read makes plan exit 1 with the injected error', async () => {
    const site = s.workspace.site('c1');
    await s.sim.failOn({ read: [site.name] });
    const plan = await s.terraform(['plan', '-json']);
    expect(plan.code).toBe(1);
    const errors = planDiagnostics(plan.stdout).filter((d) => d.severity === 'error');
    expect(errors.map((d) => d.summary)).toEqual([`sim: injected read failure for ${site.name}`]);
  });

  it('a failing apply makes apply exit 1 and leaves the object unchanged', async () => {
    const device = s.workspace.device('c1', 'd2');
    await s.sim.failOn({ apply: [device.name] });
    await s.sim.injectDrift(device.name, 'drifted');
    const apply = await s.terraform(['apply', '-auto-approve', '-json']);
    expect(apply.code).toBe(1);
    const errors = planDiagnostics(apply.stdout).filter((d) => d.severity === 'error');
    expect(errors.map((d) => d.summary)).toEqual([`sim: injected apply failure for ${device.name}`]);
    expect((await s.sim.objects()).find((o) => o.name === device.name)?.value).toBe('drifted');
  });

  it('clearing the failures lets the apply through', async () => {
    await s.sim.failOn({});
    const apply = await s.terraform(['apply', '-auto-approve', '-no-color']);
    expect(apply.code).toBe(0);
    expect((await s.sim.objects()).find((o) => o.name === s.workspace.device('c1', 'd2').name)?.value).toBe('v1');
  });
});
