// Injected failures come back to terraform as error diagnostics: the plan or apply fails with the sim's message.
import { describe, expect, it } from 'vitest';
import { planDiagnostics, useSimSession, terraformAvailable } from '../support/sim/index.js';

describe.skipIf(!terraformAvailable())('sim: failure injection (needs terraform)', () => {
  const session = useSimSession({
      workspace: { customers: 1, tunnelsPerCustomer: 2, devicesPerCustomer: 3, withState: true },
      sim: { inProcess: true },
    });

  it('a failing read makes plan exit 1 with the injected error', async () => {
    const site = session().workspace.site('c1');
    await session().sim.failOn({ read: [site.name] });
    const plan = await session().terraform(['plan', '-json']);
    expect(plan.code).toBe(1);
    const errors = planDiagnostics(plan.stdout).filter((d) => d.severity === 'error');
    expect(errors.map((d) => d.summary)).toEqual([`sim: injected read failure for ${site.name}`]);
  });

  it('a failing apply makes apply exit 1 and leaves the object unchanged', async () => {
    const device = session().workspace.device('c1', 'd2');
    await session().sim.failOn({ apply: [device.name] });
    await session().sim.injectDrift(device.name, 'drifted');
    const apply = await session().terraform(['apply', '-auto-approve', '-json']);
    expect(apply.code).toBe(1);
    const errors = planDiagnostics(apply.stdout).filter((d) => d.severity === 'error');
    expect(errors.map((d) => d.summary)).toEqual([`sim: injected apply failure for ${device.name}`]);
    expect((await session().sim.objects()).find((o) => o.name === device.name)?.value).toBe('drifted');
  });

  it('clearing the failures lets the apply through', async () => {
    await session().sim.failOn({});
    const apply = await session().terraform(['apply', '-auto-approve', '-no-color']);
    expect(apply.code).toBe(0);
    expect((await session().sim.objects()).find((o) => o.name === session().workspace.device('c1', 'd2').name)?.value).toBe('v1');
  });
});
