// The orchestrator API: lock exactly the refresh set of a change, run the operation, unlock, even when it throws.
// While the operation runs the lease is renewed; if it is lost anyway (another holder took over), the operation's
// signal aborts and the call rejects with LockLostError: an operation that ran unprotected never looks successful.

import { LockLostError } from '../lock/lock-errors.js';
import type { LockInfo } from '../lock/lock-info.js';
import type { LockHandle, LockOptions, ResourceLockManager } from '../lock/resource-lock-manager.js';

/** Anything with a refresh set: the engine's RefreshScope, or a caller's own `{ refresh: [...] }`. */
export interface LockScope {
  readonly refresh: readonly string[];
}

/** What the operation receives. */
export interface LockedContext {
  readonly handle: LockHandle;
  /** Aborts when the lock is lost (lease taken over); pass it to whatever the operation runs. */
  readonly signal: AbortSignal;
}

/** Options of `withResourceLocks`. */
export interface WithResourceLocksOptions extends LockOptions {
  /** How often to renew the lease. @default a third of the lease the handle was granted (minimum 10 ms) */
  readonly renewEveryMs?: number;
}

/**
 * Locks `scope.refresh` (all-or-nothing, waiting per `options.waitMs`), runs `fn`, then unlocks. Renews the lease
 * every `renewEveryMs` while `fn` runs. Errors: whatever lockResources throws; then `fn`'s own error; then
 * LockLostError if the lease was lost during `fn`; then an unlock failure. Cost: one acquisition, one release and
 * one renewal per interval.
 */
export async function withResourceLocks<T>(
  manager: ResourceLockManager,
  scope: LockScope,
  info: LockInfo,
  fn: (context: LockedContext) => Promise<T>,
  options: WithResourceLocksOptions = {},
): Promise<T> {
  const handle = await manager.lockResources(scope.refresh, info, options);
  const controller = new AbortController();
  let lost: unknown;
  let timer: NodeJS.Timeout | undefined;
  let renewing: Promise<void> = Promise.resolve();
  const first = handle.expiresAt;
  if (first !== undefined) {
    const every = options.renewEveryMs ?? Math.max(10, Math.floor((first.getTime() - Date.now()) / 3));
    timer = setInterval(() => {
      renewing = renewing.then(() =>
        handle.renew().catch((error: unknown) => {
          // A transient backend error is retried on the next tick; a lost lease is final.
          if (error instanceof LockLostError) {
            lost = error;
            clearInterval(timer);
            controller.abort(error);
          }
        }),
      );
    }, every);
    timer.unref();
  }
  let result: T;
  try {
    result = await fn({ handle, signal: controller.signal });
  } catch (error) {
    clearInterval(timer);
    await renewing;
    await handle.unlock().catch(() => {});
    throw error;
  }
  clearInterval(timer);
  await renewing;
  if (lost !== undefined) {
    await handle.unlock().catch(() => {});
    throw lost;
  }
  await handle.unlock();
  return result;
}
