// An object deleted behind terraform's back reads as gone (null), so terraform plans to create it again.
import { describe, expect, it } from 'vitest';
import { plannedChanges, useSimSession, terraformAvailable } from '../support/sim/index.js';

describe.skipIf(!terraformAvailable())('sim: deletion behind terraform (needs terraform)', () => {
  const session = useSimSession({
      workspace: { customers: 1, tunnelsPerCustomer: 2, devicesPerCustomer: 4, withState: true },
      sim: { inProcess: true },
    });

  it('plans a create for the deleted tunnel', async () => {
    const tunnel = session().workspace.tunnel('c1', 't2');
    await session().sim.deleteObject(tunnel.name);
    const plan = await session().terraform(['plan', '-json', '-detailed-exitcode']);
    expect(plan.code).toBe(2);
    const changes = plannedChanges(plan.stdout);
    expect(changes).toContainEqual({ address: tunnel.address, action: 'create' });
    // Its devices reference the tunnel's id, which is unknown until it exists again: they update, nothing is deleted.
    expect(changes.every((c) => c.action === 'create' || c.action === 'update')).toBe(true);
    expect(changes.filter((c) => c.action === 'create')).toEqual([{ address: tunnel.address, action: 'create' }]);
  });
});
