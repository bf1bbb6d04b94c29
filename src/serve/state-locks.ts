// The resource locks of a state over HTTP (`/tfstate/{guid}/locks[...]`, see README.md): grant, renew, release and
// list, on the rows PostgresResourceLockManager keeps (namespace = the state's guid), by lock id over the table, so
// they work after a server restart. `["*"]` is the whole-state lock of lock_state(). Guarantees: every refusal is a
// ServeError with a stable code (STATE_LOCKED 423 with the holders, LOCK_REQUEST_INVALID, LOCK_LOST, LOCK_NOT_HELD).

import { LockConflictError, LockIdInvalidError, LockLostError, LockNotHeldError, LockRequestError } from '../lock/lock-errors.js';
import { lockInfoFromJson, type LockInfo } from '../lock/lock-info.js';
import { ServeError } from './serve-errors.js';
import type { StateStore } from './state-store.js';

/** A lock as the API answers it. */
export interface StateLockView {
  readonly id: string;
  readonly resources: readonly string[];
  readonly info: LockInfo;
  readonly expiresAt: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function requestInvalid(message: string, cause?: unknown): ServeError {
  return new ServeError('LOCK_REQUEST_INVALID', 400, message, cause === undefined ? undefined : { cause });
}

function lockedBy(holders: readonly LockInfo[], overlapping: readonly string[]): ServeError {
  const first = holders[0] ?? lockInfoFromJson({});
  return new ServeError('STATE_LOCKED', 423, `${overlapping.join(', ') || 'the state'} locked by ${first.Who || 'someone'} (lock ${first.ID})`, { holder: first, detail: { holders, overlapping } });
}

/** Parses a JSON body, or `undefined` for an empty one. @throws ServeError LOCK_REQUEST_INVALID */
function jsonBody(body: Buffer): unknown {
  const text = body.toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw requestInvalid(`the body is not JSON (${(error as Error).message})`, error);
  }
}

/** The lock API of one server: leases of `leaseMs`. */
export class StateLocks {
  readonly #store: StateStore;
  readonly #leaseMs: number;

  constructor(store: StateStore, leaseMs: number) {
    this.#store = store;
    this.#leaseMs = leaseMs;
  }

  /**
   * Takes the lock of body `{info, resources}` on state `guid`, all or nothing. One acquisition round trip.
   * O(k·d·log n) as PostgresResourceLockManager. @throws ServeError STATE_NOT_FOUND, LOCK_REQUEST_INVALID, STATE_LOCKED (423)
   */
  async grant(guid: string, body: Buffer): Promise<StateLockView> {
    const o = jsonBody(body);
    if (!isObject(o) || !isObject(o['info']) || !Array.isArray(o['resources'])) throw requestInvalid('the body must be {"info": LockInfo, "resources": [address, ...]}');
    const info = lockInfoFromJson(o['info']);
    if (!UUID.test(info.ID)) throw requestInvalid(`info.ID is not a UUID: ${JSON.stringify(info.ID)}`);
    const lockInfo = { ...info, ID: info.ID.toLowerCase() };
    const resources = o['resources'] as unknown[];
    await this.#store.get(guid);
    if (resources.includes('*')) {
      if (resources.length !== 1) throw requestInvalid('"*" (the whole state) is a lock on its own: it cannot be listed with other addresses');
      const r = await this.#store.lock(guid, lockInfo, this.#leaseMs);
      if (!r.granted) throw lockedBy([r.holder], ['*']);
      return { id: lockInfo.ID, resources: ['*'], info: lockInfo, expiresAt: r.expiresAt.toISOString() };
    }
    const manager = this.#store.resourceLocks(guid, this.#leaseMs);
    try {
      const handle = await manager.lockResources(resources as string[], lockInfo);
      await this.#store.lockGranted(guid, handle.id, handle.info);
      return { id: handle.id, resources: handle.resources, info: handle.info, expiresAt: (handle.expiresAt ?? new Date()).toISOString() };
    } catch (error) {
      if (error instanceof LockConflictError) throw lockedBy(error.holders, error.overlapping);
      if (error instanceof LockRequestError) throw requestInvalid(error.message, error);
      throw error;
    } finally {
      await manager.close();
    }
  }

  /**
   * Renews every row of lock `id` (body: optional `{"resources": [...]}`, what the caller believes it holds).
   * O(locks of the state). @throws ServeError LOCK_LOST (410) with `lost`, LOCK_REQUEST_INVALID
   */
  async renew(guid: string, id: string, body: Buffer): Promise<{ expiresAt: string }> {
    const o = jsonBody(body);
    let expected: string[] | undefined;
    if (o !== undefined) {
      if (!isObject(o) || (o['resources'] !== undefined && !(Array.isArray(o['resources']) && o['resources'].every((a) => typeof a === 'string')))) throw requestInvalid('the body must be empty or {"resources": [address, ...]}');
      expected = o['resources'] as string[] | undefined;
    }
    await this.#store.get(guid);
    const manager = this.#store.resourceLocks(guid, this.#leaseMs);
    try {
      return { expiresAt: (await manager.renewById(id, expected)).toISOString() };
    } catch (error) {
      if (error instanceof LockLostError) throw new ServeError('LOCK_LOST', 410, error.message, { detail: { lost: error.lost } });
      if (error instanceof LockIdInvalidError || error instanceof LockRequestError) throw requestInvalid(error.message, error);
      throw error;
    } finally {
      await manager.close();
    }
  }

  /** Releases lock `id`, whoever holds it. O(locks of the state). @throws ServeError LOCK_NOT_HELD (404), LOCK_REQUEST_INVALID */
  async release(guid: string, id: string): Promise<{ released: true }> {
    await this.#store.get(guid);
    const manager = this.#store.resourceLocks(guid, this.#leaseMs);
    try {
      await manager.forceUnlock(id);
      await this.#store.lockReleased(id);
      return { released: true };
    } catch (error) {
      if (error instanceof LockNotHeldError) throw new ServeError('LOCK_NOT_HELD', 404, `no live lock ${id} on state ${guid}`);
      if (error instanceof LockIdInvalidError) throw requestInvalid(error.message, error);
      throw error;
    } finally {
      await manager.close();
    }
  }

  /** The live locks of state `guid`, sorted by id (the whole-state lock with resources ["*"]). O(locks of the state). */
  async list(guid: string): Promise<StateLockView[]> {
    await this.#store.get(guid);
    const manager = this.#store.resourceLocks(guid, this.#leaseMs);
    try {
      const locks = await manager.locks();
      return locks.map((l) => ({ id: l.id, resources: l.resources, info: l.info, expiresAt: (l.expiresAt ?? new Date()).toISOString() }));
    } finally {
      await manager.close();
    }
  }
}
