// Reads a plain local backend's state as `terraform plan` does: under Terraform's own lock (fcntl + lock info,
// waiting up to `-lock-timeout`), so an apply rewriting it in place is never read half-written or half-applied.
// Guarantees: locked, no apply was writing the bytes read; with `-lock=false` a torn read is retried, never returned.

import { stat } from 'node:fs/promises';
import { StateParseError, VelocityError } from '../errors.js';
import { loadStateGraph, type LoadedStateGraph, type LoadStateGraphOptions } from '../graph/load-state-graph.js';
import { acquireWithRetry } from '../lock/acquire-with-retry.js';
import { LockBackendError, LockConflictError, LockTimeoutError } from '../lock/lock-errors.js';
import { newLockInfo, type LockInfo } from '../lock/lock-info.js';
import { LocalFileLockAdapter } from '../lock/local-file-lock-adapter.js';

export interface ReadLocalStateOptions {
  /** Take Terraform's lock for the read (`-lock`). @default true */
  readonly lock?: boolean;
  /** How long to wait for the lock (`-lock-timeout`). @default 0 (one attempt, as Terraform) */
  readonly lockTimeoutMs?: number;
  readonly signal?: AbortSignal;
  /** Torn reads retried before giving up (unlocked reads only). @default 8 */
  readonly retries?: number;
  /** The loader (injectable for tests). @default loadStateGraph with the snapshot cache */
  readonly load?: (path: string, options: LoadStateGraphOptions) => Promise<LoadedStateGraph>;
  readonly loadOptions?: LoadStateGraphOptions;
}

/** What the read found. `locked`: someone (an apply) holds the lock past the timeout; nothing was read. */
export type LocalStateRead =
  | { readonly kind: 'read'; readonly loaded: LoadedStateGraph; readonly underLock: boolean; readonly attempts: number }
  | { readonly kind: 'locked'; readonly holder: LockInfo };

/** Parse errors a concurrent in-place rewrite produces. */
const TORN = new Set(['STATE_TRUNCATED', 'STATE_EMPTY', 'STATE_NOT_JSON']);

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms).unref());

async function statKey(path: string): Promise<string> {
  const s = await stat(path, { bigint: true }).catch(() => undefined);
  return s === undefined ? 'missing' : `${s.size}:${s.mtimeNs}:${s.ino}`;
}

/**
 * Reads `path` (a plain local backend's terraform.tfstate). Cost: one lock round trip (fcntl) plus one load (a
 * snapshot hit when the file is unchanged); unlocked, each retry is one more load.
 * @throws StateParseError and the loader's other errors (a state that is broken, not torn), LockAbortedError
 */
export async function readLocalState(path: string, options: ReadLocalStateOptions = {}): Promise<LocalStateRead> {
  const load = options.load ?? loadStateGraph;
  const loadOptions = options.loadOptions ?? {};
  if (options.lock ?? true) {
    const adapter = new LocalFileLockAdapter(path);
    let lease;
    try {
      const info = newLockInfo({ operation: 'OperationTypePlan', info: 'velocity: reading the state for a scoped plan', path });
      lease = await acquireWithRetry(() => adapter.tryAcquire(info), { waitMs: options.lockTimeoutMs ?? 0, ...(options.signal ? { signal: options.signal } : {}) });
    } catch (error) {
      if (error instanceof LockConflictError) return { kind: 'locked', holder: error.holder };
      if (error instanceof LockTimeoutError) return { kind: 'locked', holder: error.lastConflict.holder };
      // NOTE: no fcntl module, or a directory velocity cannot write the lock info into: read unlocked, with retries.
      if (!(error instanceof LockBackendError)) throw error;
    }
    if (lease !== undefined) {
      try {
        // NOTE: closing any descriptor of the state drops this process's fcntl lock (POSIX). The loader opens the
        // state at most once (a snapshot hit opens it not at all) and closes it after the last byte is read, so
        // the lock covers the whole read; release() then removes only our own lock info file.
        // hashFirst false: the state is opened exactly once, so the lock holds for the whole read.
        return { kind: 'read', loaded: await load(path, { ...loadOptions, hashFirst: false }), underLock: true, attempts: 1 };
      } finally {
        await lease.release();
      }
    }
  }
  const retries = options.retries ?? 8;
  for (let attempt = 1; ; attempt++) {
    const before = await statKey(path);
    try {
      const loaded = await load(path, loadOptions);
      if ((await statKey(path)) === before) return { kind: 'read', loaded, underLock: false, attempts: attempt };
      if (attempt > retries) throw new StateParseError('STATE_TRUNCATED', `${path} kept changing while it was read (${attempt} attempts): another process is writing it`);
    } catch (error) {
      if (!(error instanceof VelocityError) || !TORN.has(error.code) || attempt > retries) throw error;
    }
    await sleep(Math.min(1000, 20 * 2 ** attempt));
  }
}
