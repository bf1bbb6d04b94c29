// withResourceLocks renews the lease while fn outlives it; a lease lost anyway aborts fn's signal and rejects LOCK_LOST.
// Time is vitest's fake clock (timers and Date.now, which the manager's injected clock reads): no real sleeps.
import { afterEach, beforeEach, describe, it, expect, vi } from 'vitest';
import { MemoryResourceLockManager } from '../../src/lock/memory-resource-lock-manager.js';
import { newLockInfo } from '../../src/lock/lock-info.js';
import { withResourceLocks } from '../../src/plan/with-resource-locks.js';

beforeEach(() => void vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] }));
afterEach(() => void vi.useRealTimers());

describe('withResourceLocks lease renewal', () => {
  it('keeps the lock through an operation three times longer than the lease', async () => {
    const m = new MemoryResourceLockManager({ leaseMs: 100, now: () => Date.now() });
    const info = newLockInfo();
    await withResourceLocks(m, { refresh: ['terraform_data.a'] }, info, async () => {
      await vi.advanceTimersByTimeAsync(300);
      const err = await m.lockResources(['terraform_data.a'], newLockInfo()).catch((e: unknown) => e);
      expect((err as { code: string }).code).toBe('LOCK_CONFLICT');
    });
    expect(await m.locks()).toEqual([]);
  });

  it('aborts fn and rejects with LOCK_LOST when another holder takes the resources', async () => {
    const m = new MemoryResourceLockManager({ leaseMs: 100, now: () => Date.now() });
    let thief: Awaited<ReturnType<typeof m.lockResources>> | undefined;
    const err = await withResourceLocks(
      m,
      { refresh: ['terraform_data.a'] },
      newLockInfo(),
      async ({ handle, signal }) => {
        await m.forceUnlock(handle.id);
        thief = await m.lockResources(['terraform_data.a'], newLockInfo());
        const aborted = new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
        await vi.advanceTimersByTimeAsync(40);
        await aborted;
        return 'finished unprotected';
      },
      { renewEveryMs: 20 },
    ).catch((e: unknown) => e);
    expect((err as { code: string }).code).toBe('LOCK_LOST');
    // The thief's lock survived the old holder's unlock.
    expect((await m.locks()).map((l) => l.id)).toEqual([thief?.id]);
  });
});
