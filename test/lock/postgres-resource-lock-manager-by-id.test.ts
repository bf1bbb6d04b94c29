// Locks by id without their handle: a manager on another pool (another process, after the first one closed)
// renews a lock by id, reports what of the expected addresses is gone as LOCK_LOST, and force-unlocks it; managers
// from onPool/withNamespace share one pool across namespaces (locks of different namespaces never conflict), and
// their close() leaves the pool open.
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { LockConflictError, LockLostError } from '../../src/lock/lock-errors.js';
import { newLockInfo } from '../../src/lock/lock-info.js';
import { PostgresResourceLockManager } from '../../src/lock/postgres-resource-lock-manager.js';
import { dropSchema, freshSchema } from './helpers/pg-test-schema.js';

describe('PostgresResourceLockManager by id', () => {
  it('renews and unlocks by id from another pool, per namespace', async () => {
    const url = inject('pgUrl');
    const schema = freshSchema();
    const first = await PostgresResourceLockManager.open({ connectionString: url, schema, namespace: 'state-1', leaseMs: 60_000 });
    const info = newLockInfo({ who: 'worker@one' });
    const handle = await first.lockResources(['terraform_data.a', 'module.m["k"]'], info);
    await first.close();

    const pool = new pg.Pool({ connectionString: url, max: 2, options: '-c default_transaction_isolation=read\\ committed' });
    try {
      const shared = PostgresResourceLockManager.onPool(pool, { schema, namespace: 'state-1', leaseMs: 120_000 });
      const other = shared.withNamespace('state-2');
      expect([shared.namespace, other.namespace]).toEqual(['state-1', 'state-2']);
      // Another namespace: the same address is free; this one: taken.
      const elsewhere = await other.lockResources(['terraform_data.a'], newLockInfo());
      expect(await shared.lockResources(['module.m'], newLockInfo()).catch((e: unknown) => e)).toBeInstanceOf(LockConflictError);

      const expires = await shared.renewById(handle.id);
      expect(expires.getTime()).toBeGreaterThan((handle.expiresAt ?? new Date()).getTime());
      const lost = await shared.renewById(handle.id, ['terraform_data.a', 'terraform_data.b']).catch((e: unknown) => e);
      expect(lost).toBeInstanceOf(LockLostError);
      expect((lost as LockLostError).lost).toEqual(['terraform_data.b']);

      await shared.forceUnlock(handle.id);
      expect(await shared.renewById(handle.id).catch((e: unknown) => (e as { code: string }).code)).toBe('LOCK_LOST');
      expect((await shared.lockResources(['module.m'], newLockInfo())).resources).toEqual(['module.m']);

      await other.close();
      await shared.close();
      // The pool is the caller's: still open.
      expect((await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${schema}.resource_locks WHERE namespace = 'state-2' AND lock_id = $1`, [elsewhere.id])).rows[0]?.n).toBe(1);
    } finally {
      await pool.end();
      await dropSchema(url, schema);
    }
  });
});
