// The hold knob: an apply of a held name waits in ApplyResourceChange (terraform mid-apply, visible as heldApplies)
// until releaseApplies(), then completes; a hold that times out changes nothing in the cloud and fails the apply.
import { describe, expect, it } from 'vitest';
import { planDiagnostics, terraformAvailable, useSimSession } from '../support/sim/index.js';
import { until } from '../support/velocity-child.js';

describe.skipIf(!terraformAvailable())('sim: holding an apply (needs terraform)', () => {
  const session = useSimSession({ workspace: { customers: 1, tunnelsPerCustomer: 1, devicesPerCustomer: 2, withState: true }, sim: { inProcess: true } });

  it('holds the named apply until released', async () => {
    const s = session();
    const device = s.workspace.device('c1', 'd1');
    await s.sim.injectDrift(device.name, 'drifted');
    await s.sim.holdApplies([device.name], 30_000);
    const apply = s.terraform(['apply', '-auto-approve', '-no-color']);
    await until(async () => (await s.sim.heldApplies()) === 1, () => 'the held apply', 30_000);
    // Held: the cloud still has the drifted value while terraform waits.
    expect((await s.sim.objects()).find((o) => o.name === device.name)?.value).toBe('drifted');
    await s.sim.releaseApplies();
    const done = await apply;
    expect(done.code, done.stderr).toBe(0);
    expect(await s.sim.heldApplies()).toBe(0);
    expect((await s.sim.objects()).find((o) => o.name === device.name)?.value).toBe('v1');
  });

  it('a hold that times out fails the apply and changes nothing', async () => {
    const s = session();
    const device = s.workspace.device('c1', 'd2');
    await s.sim.injectDrift(device.name, 'drifted');
    await s.sim.holdApplies([device.name], 200);
    const done = await s.terraform(['apply', '-auto-approve', '-json']);
    expect(done.code).toBe(1);
    expect(planDiagnostics(done.stdout).filter((d) => d.severity === 'error').map((d) => d.summary)).toEqual([`sim: held apply of ${device.name} was not released, or its caller went away`]);
    expect((await s.sim.objects()).find((o) => o.name === device.name)?.value).toBe('drifted');
    await s.sim.releaseApplies();
  });
});
