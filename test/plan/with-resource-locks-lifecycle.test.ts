// withResourceLocks holds exactly the refresh set while fn runs, and releases it afterwards whether fn returns or throws.
import { describe, it, expect } from 'vitest';
import { MemoryResourceLockManager } from '../../src/lock/memory-resource-lock-manager.js';
import { newLockInfo } from '../../src/lock/lock-info.js';
import { LockConflictError } from '../../src/lock/lock-errors.js';
import { withResourceLocks } from '../../src/plan/with-resource-locks.js';

const scope = { refresh: ['terraform_data.b', 'terraform_data.a'], static: ['terraform_data.root'] };

describe('withResourceLocks', () => {
  it('locks the refresh set (not the static inputs) during fn and unlocks after', async () => {
    const m = new MemoryResourceLockManager();
    const info = newLockInfo({ operation: 'OperationTypePlan' });
    const out = await withResourceLocks(m, scope, info, async ({ handle }) => {
      expect(handle.resources).toEqual(['terraform_data.a', 'terraform_data.b']);
      const err = await m.lockResources(['terraform_data.a'], newLockInfo()).catch((e: unknown) => e);
      expect((err as LockConflictError).holder.ID).toBe(info.ID);
      const rootLock = await m.lockResources(['terraform_data.root'], newLockInfo());
      await rootLock.unlock();
      return 7;
    });
    expect(out).toBe(7);
    expect(await m.locks()).toEqual([]);
  });

  it('unlocks when fn throws and rethrows fn’s error', async () => {
    const m = new MemoryResourceLockManager();
    const boom = new Error('boom');
    await expect(withResourceLocks(m, scope, newLockInfo(), async () => Promise.reject(boom))).rejects.toBe(boom);
    expect(await m.locks()).toEqual([]);
  });

  it('rejects an empty refresh set with a typed error and runs nothing', async () => {
    const m = new MemoryResourceLockManager();
    let ran = false;
    const err = await withResourceLocks(m, { refresh: [] }, newLockInfo(), async () => {
      ran = true;
    }).catch((e: unknown) => e);
    expect((err as { code: string }).code).toBe('LOCK_NO_RESOURCES');
    expect(ran).toBe(false);
  });
});
