// A lock manager that locks nothing: for single-user runs and for callers that already serialise their work.
// It still validates requests (same typed errors as the real managers) and hands out handles with unique ids.

import { acquireWithRetry } from './acquire-with-retry.js';
import { assertLockId } from './assert-lock-id.js';
import { LockNotHeldError } from './lock-errors.js';
import type { LockInfo } from './lock-info.js';
import { normalizeResources } from './normalize-resources.js';
import type { HeldLock, LockHandle, LockOptions, ResourceLockManager } from './resource-lock-manager.js';

/** Never conflicts, never waits; `locks()` is always empty. */
export class NoOpLockManager implements ResourceLockManager {
  async lockResources(resources: readonly string[], info: LockInfo, options?: LockOptions): Promise<LockHandle> {
    const list = normalizeResources(resources);
    const id = assertLockId(info.ID);
    // Same option validation and abort behaviour as the real managers; the attempt itself never conflicts.
    return acquireWithRetry(async () => ({ id, resources: list, info, expiresAt: undefined, renew: async () => {}, unlock: async () => {} }), options);
  }
  granularity(): 'resource' {
    return 'resource';
  }
  supportsParallelOperations(): boolean {
    return true;
  }
  async locks(): Promise<readonly HeldLock[]> {
    return [];
  }
  async forceUnlock(id: string): Promise<void> {
    throw new LockNotHeldError(assertLockId(id), 'the no-op lock manager holds no locks');
  }
  async close(): Promise<void> {}
}
