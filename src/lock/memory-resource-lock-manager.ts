// Row-level locks for one process: a map from address to holder. All-or-nothing by construction (check every
// address, then take every address, with no await in between); optional lease so a forgotten handle expires.

import { acquireWithRetry } from './acquire-with-retry.js';
import { assertLockId } from './assert-lock-id.js';
import { LockConflictError, LockLostError, LockNotHeldError, LockRequestError } from './lock-errors.js';
import type { LockInfo } from './lock-info.js';
import { normalizeResources } from './normalize-resources.js';
import type { HeldLock, LockHandle, LockOptions, ResourceLockManager } from './resource-lock-manager.js';

/** Options of the in-memory manager. */
export interface MemoryResourceLockManagerOptions {
  /** Lease length; a lock not renewed for this long can be taken over. `undefined`: locks never expire. @default undefined */
  readonly leaseMs?: number;
  /** Clock, injectable for tests. @default Date.now */
  readonly now?: () => number;
}

interface Entry {
  readonly id: string;
  readonly info: LockInfo;
  readonly resources: string[];
  expiresAt: number | undefined;
}

/** In-process row-level locks. lockResources is O(k) for k addresses; locks() is O(total held). */
export class MemoryResourceLockManager implements ResourceLockManager {
  readonly #byAddress = new Map<string, Entry>();
  readonly #byId = new Map<string, Entry>();
  readonly #leaseMs: number | undefined;
  readonly #now: () => number;

  constructor(options: MemoryResourceLockManagerOptions = {}) {
    if (options.leaseMs !== undefined && !(Number.isFinite(options.leaseMs) && options.leaseMs > 0)) {
      throw new LockRequestError('LOCK_BAD_OPTION', `leaseMs must be a positive number, got ${options.leaseMs}`);
    }
    this.#leaseMs = options.leaseMs;
    this.#now = options.now ?? Date.now;
  }

  granularity(): 'resource' {
    return 'resource';
  }
  supportsParallelOperations(): boolean {
    return true;
  }

  #live(e: Entry | undefined): e is Entry {
    return e !== undefined && (e.expiresAt === undefined || e.expiresAt > this.#now());
  }

  #tryLock(resources: string[], info: LockInfo, id: string): LockHandle {
    if (this.#byId.has(id)) throw new LockRequestError('LOCK_BAD_OPTION', `lock id ${id} is already in use`);
    const overlapping: string[] = [];
    const holders = new Map<string, LockInfo>();
    for (const r of resources) {
      const e = this.#byAddress.get(r);
      if (this.#live(e)) {
        overlapping.push(r);
        holders.set(e.id, e.info);
      }
    }
    if (overlapping.length > 0) {
      const all = [...holders.values()];
      throw new LockConflictError(all[0] as LockInfo, overlapping, { holders: all });
    }
    const entry: Entry = {
      id,
      info,
      resources,
      expiresAt: this.#leaseMs === undefined ? undefined : this.#now() + this.#leaseMs,
    };
    for (const r of resources) {
      const old = this.#byAddress.get(r);
      if (old) this.#drop(old, r); // expired: taken over
      this.#byAddress.set(r, entry);
    }
    this.#byId.set(id, entry);
    return this.#handle(entry);
  }

  #drop(old: Entry, address: string): void {
    const i = old.resources.indexOf(address);
    if (i >= 0) old.resources.splice(i, 1);
    if (old.resources.length === 0) this.#byId.delete(old.id);
  }

  #handle(entry: Entry): LockHandle {
    const manager = this;
    const all = [...entry.resources];
    return {
      id: entry.id,
      resources: all,
      info: entry.info,
      get expiresAt() {
        return entry.expiresAt === undefined ? undefined : new Date(entry.expiresAt);
      },
      async renew() {
        const lost = all.filter((r) => manager.#byAddress.get(r) !== entry);
        if (lost.length > 0) throw new LockLostError(entry.id, lost);
        if (manager.#leaseMs !== undefined) entry.expiresAt = manager.#now() + manager.#leaseMs;
      },
      async unlock() {
        manager.#release(entry);
      },
    };
  }

  #release(entry: Entry): void {
    for (const r of entry.resources) if (this.#byAddress.get(r) === entry) this.#byAddress.delete(r);
    entry.resources.length = 0;
    if (this.#byId.get(entry.id) === entry) this.#byId.delete(entry.id);
  }

  async lockResources(resources: readonly string[], info: LockInfo, options: LockOptions = {}): Promise<LockHandle> {
    const list = normalizeResources(resources);
    const id = assertLockId(info.ID);
    return acquireWithRetry(async () => this.#tryLock([...list], info, id), options);
  }

  async locks(): Promise<readonly HeldLock[]> {
    const out: HeldLock[] = [];
    for (const e of this.#byId.values()) {
      const live = e.resources.filter((r) => this.#live(this.#byAddress.get(r)) && this.#byAddress.get(r) === e);
      if (live.length === 0) continue;
      out.push({ id: e.id, resources: live, info: e.info, expiresAt: e.expiresAt === undefined ? undefined : new Date(e.expiresAt) });
    }
    return out.sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  async forceUnlock(id: string): Promise<void> {
    const key = assertLockId(id);
    const e = this.#byId.get(key);
    if (!e || !e.resources.some((r) => this.#live(this.#byAddress.get(r)))) throw new LockNotHeldError(key);
    this.#release(e);
  }

  async close(): Promise<void> {}
}
