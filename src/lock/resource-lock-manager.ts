// The lock interface every implementation honours (see DESIGN.md, Locks): all-or-nothing acquisition, typed conflicts
// carrying the holder's LockInfo, optional waiting with backoff, ownership-checked idempotent unlock, leases that expire.

import type { LockInfo } from './lock-info.js';

/** Options for one acquisition. */
export interface LockOptions {
  /** Abort the wait; the call then rejects with LockAbortedError and holds nothing. */
  readonly signal?: AbortSignal;
  /**
   * How long to keep retrying (with exponential backoff and jitter) while the resources are held by someone else.
   * 0 = try once and throw LockConflictError. After the deadline: LockTimeoutError.
   * @default 0
   */
  readonly waitMs?: number;
}

/** A held lock. */
export interface LockHandle {
  /** The lock id (= `info.ID`). */
  readonly id: string;
  /** The locked addresses: canonical, sorted, without duplicates. */
  readonly resources: readonly string[];
  /** The LockInfo stored with the lock (what a conflicting caller sees). */
  readonly info: LockInfo;
  /**
   * When the lease ends unless renewed. `undefined`: the lock lives exactly as long as its holder (its process,
   * file descriptor or database session) and needs no renewal.
   */
  readonly expiresAt: Date | undefined;
  /** Extends the lease by the manager's lease length. Throws LockLostError if another holder took over. No-op without a lease. */
  renew(): Promise<void>;
  /** Releases what this handle still owns; never releases someone else's lock. Idempotent. */
  unlock(): Promise<void>;
}

/** A lock as listed by `locks()`. */
export interface HeldLock {
  readonly id: string;
  readonly resources: readonly string[];
  readonly info: LockInfo;
  readonly expiresAt: Date | undefined;
}

/** What `velocity` needs from a lock backend. */
export interface ResourceLockManager {
  /** Takes all `resources` or none. Throws LockConflictError / LockTimeoutError / LockAbortedError / LockRequestError / LockBackendError. */
  lockResources(resources: readonly string[], info: LockInfo, options?: LockOptions): Promise<LockHandle>;
  /** 'global': any lock excludes every other; 'resource': only overlapping sets exclude each other. */
  granularity(): 'global' | 'resource';
  /** True when disjoint operations can hold locks at the same time. */
  supportsParallelOperations(): boolean;
  /** Live (unexpired) locks, sorted by id, resources sorted. */
  locks(): Promise<readonly HeldLock[]>;
  /** Releases a lock by id, whoever holds it (an operator's `velocity unlock`). Throws LockIdInvalidError / LockNotHeldError. */
  forceUnlock(id: string): Promise<void>;
  /** Releases connections and timers (not the locks of other handles). Idempotent. */
  close(): Promise<void>;
}
