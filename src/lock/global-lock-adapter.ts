// What a Terraform state backend's own lock must offer for velocity's global fallback: try once to take the one
// lock of the whole state (throwing LockConflictError with the holder's LockInfo), release it, and say who holds it.

import type { LockInfo } from './lock-info.js';

/** A held backend lock. */
export interface GlobalLease {
  /** Releases the lock if this lease still owns it; idempotent. */
  release(): Promise<void>;
  /** When the backend ends the lock by itself; undefined when it lives as long as this process/session. */
  readonly expiresAt: Date | undefined;
}

/** One Terraform backend's locking mechanism. */
export interface GlobalLockAdapter {
  /** 'local' | 'http' | 'pg': the Terraform backend type this speaks for. */
  readonly backend: string;
  /** What is locked (state path, URL, schema/workspace): goes into LockInfo.Path. */
  readonly path: string;
  /** One attempt. Throws LockConflictError (overlapping = []) when someone holds the lock, LockBackendError when unreachable. */
  tryAcquire(info: LockInfo): Promise<GlobalLease>;
  /** The current holder, if the backend can tell; undefined when the state is not locked. */
  inspect(): Promise<LockInfo | undefined>;
  /** Releases a lock by id on an operator's behalf. Throws LockNotHeldError when the backend cannot (or nothing matches). */
  forceRelease(id: string): Promise<void>;
  /** Releases connections. */
  close(): Promise<void>;
}
