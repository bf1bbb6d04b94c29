// ResourceLockManager over a velocity server's resource locks of one state (POST/GET /tfstate/{guid}/locks,
// .../{id}/renew, DELETE .../{id}): the same rows PostgresResourceLockManager writes, reached over HTTP.
// Guarantees: the typed errors of every manager (LockConflictError with the holder and the overlap, LockLostError,
// LockNotHeldError; LockBackendError when the server cannot be reached); bad requests are refused before a request.

import { acquireWithRetry } from '../lock/acquire-with-retry.js';
import { assertLockId } from '../lock/assert-lock-id.js';
import { LockBackendError, LockConflictError, LockLostError, LockNotHeldError, LockRequestError } from '../lock/lock-errors.js';
import { lockInfoFromJson, type LockInfo } from '../lock/lock-info.js';
import { normalizeResources } from '../lock/normalize-resources.js';
import type { HeldLock, LockHandle, LockOptions, ResourceLockManager } from '../lock/resource-lock-manager.js';
import type { VelocityBackend } from './detect-velocity-backend.js';
import { ServeClientError } from './serve-errors.js';
import { serveRequest, type ServeAnswer } from './serve-request.js';

/** The whole state: granted by the server as its whole-state lock. */
const WHOLE_STATE = '*';

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** Resource locks of one state of a velocity server. Every call is one HTTP request (a wait: one per attempt). */
export class ServeResourceLockManager implements ResourceLockManager {
  readonly #backend: VelocityBackend;
  readonly #timeoutMs: number;

  constructor(backend: VelocityBackend, options: { readonly timeoutMs?: number } = {}) {
    this.#backend = backend;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
  }

  get #base(): string {
    return `/tfstate/${this.#backend.guid}/locks`;
  }

  async #call(method: string, path: string, body?: unknown): Promise<ServeAnswer> {
    try {
      return await serveRequest(this.#backend, method, path, { ...(body === undefined ? {} : { body }), timeoutMs: this.#timeoutMs });
    } catch (error) {
      if (error instanceof ServeClientError) {
        throw new LockBackendError('velocity', error.message, { cause: error, ...(error.code === 'SERVE_BAD_ANSWER' ? { code: 'LOCK_BACKEND_PROTOCOL' as const } : {}) });
      }
      throw error;
    }
  }

  #unexpected(what: string, a: ServeAnswer): LockBackendError {
    const message = typeof a.body['message'] === 'string' ? a.body['message'] : JSON.stringify(a.body).slice(0, 200);
    return new LockBackendError('velocity', `${what} on ${this.#backend.origin} answered HTTP ${a.status} ${String(a.body['code'] ?? '')}: ${message}`, { code: 'LOCK_BACKEND_PROTOCOL' });
  }

  /** Takes all `resources` (`["*"]`: the whole state) or none. O(resources) per attempt. */
  async lockResources(resources: readonly string[], info: LockInfo, options: LockOptions = {}): Promise<LockHandle> {
    const wanted = resources.length === 1 && resources[0] === WHOLE_STATE ? [WHOLE_STATE] : normalizeResources(resources);
    const id = assertLockId(info.ID);
    const attempt = async (): Promise<LockHandle> => {
      const a = await this.#call('POST', this.#base, { info: { ...info, ID: id }, resources: wanted });
      if (a.status === 423) {
        const holders = Array.isArray(a.body['holders']) ? a.body['holders'].map(lockInfoFromJson) : [];
        const holder = holders[0] ?? lockInfoFromJson(a.body);
        throw new LockConflictError(holder, strings(a.body['overlapping']).sort(), { holders: holders.length > 0 ? holders : [holder], detail: `${this.#backend.origin}` });
      }
      if (a.status === 400) throw new LockRequestError('LOCK_BAD_RESOURCE', `${this.#backend.origin} refused the lock request: ${String(a.body['message'] ?? a.body['code'])}`);
      if (a.status !== 200) throw this.#unexpected('POST locks', a);
      return this.#handle(id, strings(a.body['resources']), lockInfoFromJson(a.body['info']), new Date(String(a.body['expiresAt'])));
    };
    return acquireWithRetry(attempt, { ...options, minDelayMs: 20, maxDelayMs: 1_000 });
  }

  #handle(id: string, resources: readonly string[], info: LockInfo, expiresAt: Date): LockHandle {
    let expires = expiresAt;
    let released = false;
    const path = `${this.#base}/${id}`;
    return {
      id,
      resources,
      info,
      get expiresAt() {
        return expires;
      },
      renew: async () => {
        // NOTE: what we hold is sent so a partial take-over is LOCK_LOST; the whole-state lock is renewed by id alone
        // (the server's renew refuses `["*"]` as the expected list).
        const a = await this.#call('POST', `${path}/renew`, resources[0] === WHOLE_STATE ? {} : { resources });
        if (a.status === 410 || a.status === 404) throw new LockLostError(id, a.status === 410 ? strings(a.body['lost']).sort() : [...resources]);
        if (a.status !== 200) throw this.#unexpected('renew', a);
        expires = new Date(String(a.body['expiresAt']));
      },
      unlock: async () => {
        if (released) return;
        const a = await this.#call('DELETE', path);
        // NOTE: 404: nothing live with this id (expired, or force-unlocked): nothing of ours is left to release.
        if (a.status !== 200 && a.status !== 404) throw this.#unexpected('unlock', a);
        released = true;
      },
    };
  }

  granularity(): 'resource' {
    return 'resource';
  }

  supportsParallelOperations(): boolean {
    return true;
  }

  /** Live locks of the state, sorted by id. One request. */
  async locks(): Promise<readonly HeldLock[]> {
    const a = await this.#call('GET', this.#base);
    if (a.status !== 200 || !Array.isArray(a.body['items'])) throw this.#unexpected('GET locks', a);
    return (a.body['items'] as Record<string, unknown>[])
      .map((l) => ({ id: String(l['id']), resources: strings(l['resources']).sort(), info: lockInfoFromJson(l['info']), expiresAt: l['expiresAt'] ? new Date(String(l['expiresAt'])) : undefined }))
      .sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  }

  /** Releases lock `id`, whoever holds it. One request. @throws LockIdInvalidError, LockNotHeldError */
  async forceUnlock(id: string): Promise<void> {
    const lockId = assertLockId(id);
    const a = await this.#call('DELETE', `${this.#base}/${lockId}`);
    if (a.status === 404) throw new LockNotHeldError(lockId);
    if (a.status !== 200) throw this.#unexpected('unlock', a);
  }

  async close(): Promise<void> {}
}
