// Row-level locks for one process: a map from lock path (lock-path.ts) to holder, plus an index of what is held
// below every path, so a lock conflicts with every lock it contains or is contained by. All-or-nothing by
// construction (check every address, then take every address, with no await in between); optional lease.

import { acquireWithRetry } from './acquire-with-retry.js';
import { assertLockId } from './assert-lock-id.js';
import { LockConflictError, LockLostError, LockNotHeldError, LockRequestError } from './lock-errors.js';
import type { LockInfo } from './lock-info.js';
import { lockPath, type LockPath } from './lock-path.js';
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
  /** The addresses this entry still holds (an expired one taken over by an overlapping lock is dropped). */
  readonly resources: string[];
  expiresAt: number | undefined;
}

interface Slot {
  readonly entry: Entry;
  readonly address: string;
  readonly path: LockPath;
}

/**
 * In-process row-level locks, hierarchical: a lock on a resource or module excludes locks on everything inside it
 * and around it. lockResources is O(k·d + h) for k addresses of depth d and h held locks inside them; locks() is
 * O(total held).
 */
export class MemoryResourceLockManager implements ResourceLockManager {
  /** Held addresses by encoded lock path. */
  readonly #byPath = new Map<string, Slot>();
  /** Encoded path of every proper ancestor of a held address → the encoded paths held below it. */
  readonly #below = new Map<string, Set<string>>();
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

  #live(e: Entry): boolean {
    return e.expiresAt === undefined || e.expiresAt > this.#now();
  }

  /** Held slots overlapping `p`: the same path, an ancestor, or anything below it. */
  *#overlapping(p: LockPath): Generator<Slot> {
    const same = this.#byPath.get(p.encoded);
    if (same) yield same;
    for (const a of p.ancestors) {
      const s = this.#byPath.get(a);
      if (s) yield s;
    }
    // NOTE: O(held locks below p): a lock on a whole module call meets every held lock inside it.
    for (const b of this.#below.get(p.encoded) ?? []) {
      const s = this.#byPath.get(b);
      if (s) yield s;
    }
  }

  #tryLock(resources: string[], info: LockInfo, id: string): LockHandle {
    if (this.#byId.has(id)) throw new LockRequestError('LOCK_BAD_OPTION', `lock id ${id} is already in use`);
    const paths = resources.map((r) => lockPath(r));
    const overlapping: string[] = [];
    const held = new Set<string>();
    const holders = new Map<string, LockInfo>();
    const expired: Slot[] = [];
    resources.forEach((r, i) => {
      let hit = false;
      for (const slot of this.#overlapping(paths[i] as LockPath)) {
        if (!this.#live(slot.entry)) {
          expired.push(slot);
          continue;
        }
        hit = true;
        held.add(slot.address);
        if (!holders.has(slot.entry.id)) holders.set(slot.entry.id, slot.entry.info);
      }
      if (hit) overlapping.push(r);
    });
    if (overlapping.length > 0) {
      const all = [...holders.values()];
      const inside = [...held].sort();
      const detail = inside.join('\n') === overlapping.join('\n') ? undefined : `held as ${inside.slice(0, 5).join(', ')}${inside.length > 5 ? ', ...' : ''}`;
      throw new LockConflictError(all[0] as LockInfo, overlapping, { holders: all, ...(detail ? { detail } : {}) });
    }
    // Expired overlapping locks are taken over: they lose those addresses, so their renew() reports LOCK_LOST.
    for (const slot of expired) this.#drop(slot);
    const entry: Entry = {
      id,
      info,
      resources: [...resources],
      expiresAt: this.#leaseMs === undefined ? undefined : this.#now() + this.#leaseMs,
    };
    resources.forEach((address, i) => {
      const path = paths[i] as LockPath;
      this.#byPath.set(path.encoded, { entry, address, path });
      for (const a of path.ancestors) {
        let set = this.#below.get(a);
        if (!set) this.#below.set(a, (set = new Set()));
        set.add(path.encoded);
      }
    });
    this.#byId.set(id, entry);
    return this.#handle(entry, paths);
  }

  #drop(slot: Slot): void {
    if (this.#byPath.get(slot.path.encoded) !== slot) return;
    this.#byPath.delete(slot.path.encoded);
    for (const a of slot.path.ancestors) {
      const set = this.#below.get(a);
      set?.delete(slot.path.encoded);
      if (set?.size === 0) this.#below.delete(a);
    }
    const { entry } = slot;
    const i = entry.resources.indexOf(slot.address);
    if (i >= 0) entry.resources.splice(i, 1);
    if (entry.resources.length === 0 && this.#byId.get(entry.id) === entry) this.#byId.delete(entry.id);
  }

  #handle(entry: Entry, paths: readonly LockPath[]): LockHandle {
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
        const lost = all.filter((_, i) => manager.#byPath.get((paths[i] as LockPath).encoded)?.entry !== entry);
        if (lost.length > 0) throw new LockLostError(entry.id, lost);
        if (manager.#leaseMs !== undefined) entry.expiresAt = manager.#now() + manager.#leaseMs;
      },
      async unlock() {
        manager.#release(entry);
      },
    };
  }

  #release(entry: Entry): void {
    for (const address of [...entry.resources]) {
      const slot = this.#byPath.get(lockPath(address).encoded);
      if (slot?.entry === entry) this.#drop(slot);
    }
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
      if (!this.#live(e) || e.resources.length === 0) continue;
      out.push({ id: e.id, resources: [...e.resources], info: e.info, expiresAt: e.expiresAt === undefined ? undefined : new Date(e.expiresAt) });
    }
    return out.sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  async forceUnlock(id: string): Promise<void> {
    const key = assertLockId(id);
    const e = this.#byId.get(key);
    if (!e || !this.#live(e) || e.resources.length === 0) throw new LockNotHeldError(key);
    this.#release(e);
  }

  async close(): Promise<void> {}
}
