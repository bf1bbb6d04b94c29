// A plain client's whole-state lock and velocity's resource locks share one table (resource_locks, namespace = the
// state's guid): a whole-state LOCK conflicts with any live resource lock of the state (423 with its holder), a
// resource lock conflicts with a live whole-state lock (LockConflictError with Terraform's holder), a write without
// the lock id is refused while a resource lock is live, locks of another state never conflict, and leases expire.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LockConflictError } from '../../src/lock/lock-errors.js';
import { newLockInfo } from '../../src/lock/lock-info.js';
import { PostgresResourceLockManager } from '../../src/lock/postgres-resource-lock-manager.js';
import { foreignLockInfo, raw, useServeFixture } from './helpers/serve-fixture.js';

describe('whole-state and resource locks on velocity serve', () => {
  const fx = useServeFixture({ leaseMs: 1500 });

  it('conflict both ways, per state, until the lease ends', async () => {
    const guid = await fx().newState('mixed');
    const other = await fx().newState('other');
    const manager = await PostgresResourceLockManager.open({ connectionString: fx().pgUrl, schema: fx().schema, namespace: guid, leaseMs: 60_000 });
    const otherManager = await PostgresResourceLockManager.open({ connectionString: fx().pgUrl, schema: fx().schema, namespace: other, leaseMs: 60_000 });
    try {
      // A resource lock first: the whole-state LOCK is refused with its holder, and so is a lock-less write.
      const held = await manager.lockResources(['module.customer["c1"]'], newLockInfo({ operation: 'velocity apply', who: 'velocity@worker-1' }));
      const refused = await raw(fx(), 'LOCK', `/tfstate/${guid}/lock`, JSON.stringify(foreignLockInfo(randomUUID())));
      expect(refused.status).toBe(423);
      expect(refused.json).toMatchObject({ ID: held.id, Who: 'velocity@worker-1', code: 'STATE_LOCKED' });
      const doc = { version: 4, terraform_version: '1.11.4', serial: 1, lineage: randomUUID(), outputs: {}, resources: [] };
      expect((await raw(fx(), 'POST', `/tfstate/${guid}`, JSON.stringify(doc))).json).toMatchObject({ code: 'STATE_LOCKED', ID: held.id });
      // Another state is free.
      expect((await raw(fx(), 'LOCK', `/tfstate/${other}/lock`, JSON.stringify(foreignLockInfo(randomUUID())))).status).toBe(200);
      await held.unlock();

      // A whole-state lock first: every resource lock of the state is refused with Terraform's holder.
      const tf = foreignLockInfo(randomUUID(), 'terraform@ci');
      expect((await raw(fx(), 'LOCK', `/tfstate/${guid}/lock`, JSON.stringify(tf))).status).toBe(200);
      for (const address of ['terraform_data.a', 'module.customer["c2"].terraform_data.x[0]', 'module.customer']) {
        const error = await manager.lockResources([address], newLockInfo()).catch((e: unknown) => e);
        expect(error, address).toBeInstanceOf(LockConflictError);
        expect((error as LockConflictError).holder).toMatchObject({ ID: tf.ID, Who: 'terraform@ci' });
      }
      // The other state's own whole-state lock (taken above) refuses its resource locks as well.
      const elsewhere = await otherManager.lockResources(['terraform_data.a'], newLockInfo()).catch((e: unknown) => e);
      expect(elsewhere).toBeInstanceOf(LockConflictError);
      // The whole-state lease (1.5 s here) ends: a resource lock takes over.
      await new Promise((r) => setTimeout(r, 1700));
      const after = await manager.lockResources(['terraform_data.a'], newLockInfo());
      expect(after.resources).toEqual(['terraform_data.a']);
      await after.unlock();
    } finally {
      await manager.close();
      await otherManager.close();
    }
  });
});
