// One lock for the whole state, through the same mechanism Terraform uses for that backend, so velocity and a plain
// `terraform`/`tofu` run exclude each other. Any request, whatever its resources, takes the state's one lock:
// correct for every caller, parallel for none (granularity 'global').

import { acquireWithRetry } from './acquire-with-retry.js';
import { assertLockId } from './assert-lock-id.js';
import { LockConflictError } from './lock-errors.js';
import type { GlobalLockAdapter } from './global-lock-adapter.js';
import type { LockInfo } from './lock-info.js';
import { normalizeResources } from './normalize-resources.js';
import type { HeldLock, LockHandle, LockOptions, ResourceLockManager } from './resource-lock-manager.js';

/** The global fallback over one backend adapter (local file, HTTP, PostgreSQL advisory lock). */
export class GlobalFallbackLockManager implements ResourceLockManager {
  readonly #adapter: GlobalLockAdapter;
  readonly #mine = new Map<string, string[]>();

  constructor(adapter: GlobalLockAdapter) {
    this.#adapter = adapter;
  }

  granularity(): 'global' {
    return 'global';
  }
  supportsParallelOperations(): boolean {
    return false;
  }

  /** Takes the state's lock. O(k log k) for k addresses plus one backend round trip per attempt. */
  async lockResources(resources: readonly string[], info: LockInfo, options: LockOptions = {}): Promise<LockHandle> {
    const list = normalizeResources(resources);
    const id = assertLockId(info.ID);
    const stamped: LockInfo = { ...info, ID: id, Path: info.Path || this.#adapter.path };
    const lease = await acquireWithRetry(async () => {
      try {
        return await this.#adapter.tryAcquire(stamped);
      } catch (error) {
        // The whole state is locked, so every requested address overlaps.
        if (error instanceof LockConflictError) {
          throw new LockConflictError(error.holder, list, { holders: error.holders, detail: `${this.#adapter.backend} backend lock on ${this.#adapter.path}`, cause: error.cause });
        }
        throw error;
      }
    }, options);
    this.#mine.set(id, list);
    const mine = this.#mine;
    return {
      id,
      resources: list,
      info: stamped,
      expiresAt: lease.expiresAt,
      async renew() {},
      async unlock() {
        await lease.release();
        mine.delete(id);
      },
    };
  }

  async locks(): Promise<readonly HeldLock[]> {
    const holder = await this.#adapter.inspect();
    if (!holder) return [];
    return [{ id: holder.ID, resources: this.#mine.get(holder.ID) ?? [], info: holder, expiresAt: undefined }];
  }

  async forceUnlock(id: string): Promise<void> {
    const key = assertLockId(id);
    await this.#adapter.forceRelease(key);
    this.#mine.delete(key);
  }

  async close(): Promise<void> {
    await this.#adapter.close();
  }
}
