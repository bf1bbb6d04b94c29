// Runs an operation under resource locks taken on a velocity server (the state's own lock rows), through
// withResourceLocks: renewed while it runs, released after it, a lost lease aborts it. Guarantees: `fn` learns the
// lock id it writes with (a subgraph write names it); nothing runs when the locks are refused.

import type { LockInfo } from '../lock/lock-info.js';
import type { VelocityBackend } from '../serve/detect-velocity-backend.js';
import { ServeResourceLockManager } from '../serve/serve-resource-lock-manager.js';
import { withResourceLocks } from './with-resource-locks.js';

export interface ServeLockOptions {
  /** How long to wait for the locks (`-lock-timeout`). */
  readonly waitMs: number;
  readonly signal?: AbortSignal;
  /** Called once the locks are held, before `fn`. */
  readonly onLocked?: (count: number, lockId: string) => void;
}

/**
 * Locks `addresses` on `backend` (all or nothing), runs `fn(lockId, signal)`, unlocks. Cost: one request to lock,
 * one to unlock, one renewal per third of the server's lease.
 * @throws LockConflictError / LockTimeoutError (the holder's LockInfo), LockBackendError, LockLostError, `fn`'s errors
 */
export function withServeLocks<T>(
  backend: VelocityBackend, addresses: readonly string[], info: LockInfo, options: ServeLockOptions,
  fn: (lockId: string, signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const manager = new ServeResourceLockManager(backend);
  return withResourceLocks(
    manager, { refresh: addresses }, info,
    ({ handle, signal }) => {
      options.onLocked?.(handle.resources.length, handle.id);
      return fn(handle.id, options.signal ? AbortSignal.any([options.signal, signal]) : signal);
    },
    { waitMs: options.waitMs, ...(options.signal ? { signal: options.signal } : {}) },
  );
}
