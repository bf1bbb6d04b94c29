// Lock ids velocity hands out are UUIDs; anything else given to unlock/forceUnlock is rejected before touching a backend.

import { LockIdInvalidError } from './lock-errors.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Returns the id lower-cased; throws LockIdInvalidError (LOCK_ID_INVALID) when it is not a UUID. O(1). */
export function assertLockId(id: unknown): string {
  if (typeof id !== 'string' || !UUID.test(id)) throw new LockIdInvalidError(String(id));
  return id.toLowerCase();
}
