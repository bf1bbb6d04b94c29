// Who else holds a lock on a state: the first live row of resource_locks (namespace = the state's guid) of another
// lock id, a whole-state lock before resource locks. Guarantees: expired rows never count.

import type pg from 'pg';
import { lockInfoFromJson, type LockInfo } from '../lock/lock-info.js';

/** The holder of the first live lock row of `guid` not of `lockId` (any id when undefined). O(locks of the state). */
export async function liveHolder(client: pg.PoolClient | pg.Pool, schema: string, guid: string, lockId: string | undefined): Promise<LockInfo | undefined> {
  const r = await client.query<{ info: unknown }>(
    `SELECT info FROM ${schema}.resource_locks WHERE namespace = $1 AND expires_at > now() AND ($2::uuid IS NULL OR lock_id <> $2::uuid)
      ORDER BY (path = '') DESC, acquired_at LIMIT 1`,
    [guid, lockId ?? null],
  );
  return r.rows[0] === undefined ? undefined : lockInfoFromJson(r.rows[0].info);
}
