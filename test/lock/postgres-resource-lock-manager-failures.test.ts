// A database that is down, or whose session dies in the middle of an acquisition, gives typed errors and leaves
// no lock half-taken; the manager recovers once the database answers again.
import { describe, it, expect, inject } from 'vitest';
import pg from 'pg';
import { PostgresResourceLockManager } from '../../src/lock/postgres-resource-lock-manager.js';
import { newLockInfo } from '../../src/lock/lock-info.js';
import { lockPath } from '../../src/lock/lock-path.js';
import { dropSchema, freshSchema, sql } from './helpers/pg-test-schema.js';
import { waitFor } from './helpers/terraform-workspace.js';

describe('PostgresResourceLockManager failures', () => {
  it('a database that is down → LOCK_BACKEND_UNAVAILABLE from open()', async () => {
    const err = await PostgresResourceLockManager.open({ connectionString: 'postgres://postgres:x@127.0.0.1:9/postgres', connectTimeoutMs: 2000 }).catch((e: unknown) => e);
    expect((err as { code: string }).code).toBe('LOCK_BACKEND_UNAVAILABLE');
  });

  it('rejects bad options with LOCK_BAD_OPTION', async () => {
    const url = inject('pgUrl');
    for (const o of [{ schema: 'x; DROP TABLE y' }, { leaseMs: 0 }, { namespace: '' }]) {
      const err = await PostgresResourceLockManager.open({ connectionString: url, ...o }).catch((e: unknown) => e);
      expect((err as { code: string }).code).toBe('LOCK_BAD_OPTION');
    }
  });

  it('a session killed mid-acquisition → LOCK_BACKEND_UNAVAILABLE, no row left behind, and the next call works', async () => {
    const url = inject('pgUrl');
    const schema = freshSchema();
    const m = await PostgresResourceLockManager.open({ connectionString: url, schema, maxConnections: 1 });
    // Another transaction inserts (uncommitted) a row our request needs: our INSERT takes `a` then waits on `m`.
    const blocker = new pg.Client({ connectionString: url });
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query(`INSERT INTO ${schema}.resource_locks (namespace, address, path, lock_id, info, expires_at) VALUES ('default', 'terraform_data.m', $1, gen_random_uuid(), '{}', now() + interval '1 hour')`, [lockPath('terraform_data.m').encoded]);
    const waiting = "SELECT pid FROM pg_stat_activity WHERE application_name = 'velocity' AND wait_event_type = 'Lock' AND query LIKE $1";
    const pending = m.lockResources(['terraform_data.m', 'terraform_data.a'], newLockInfo()).catch((e: unknown) => e);
    await waitFor(
      async () => (await sql(url, waiting, [`%${schema}.lock_resources%`])).length > 0,
      10_000,
      'the acquisition to block',
    );
    // Only this test's session: other test files share the server.
    await sql(url, `SELECT pg_terminate_backend(pid) FROM (${waiting}) w`, [`%${schema}.lock_resources%`]);
    const err = await pending;
    expect((err as { code: string }).code).toBe('LOCK_BACKEND_UNAVAILABLE');
    await blocker.query('ROLLBACK');
    await blocker.end();
    expect(await sql(url, `SELECT address FROM ${schema}.resource_locks`)).toEqual([]);
    const h = await m.lockResources(['terraform_data.m', 'terraform_data.a'], newLockInfo());
    expect((await m.locks()).map((l) => l.resources)).toEqual([['terraform_data.a', 'terraform_data.m']]);
    await h.unlock();
    await m.close();
    await dropSchema(url, schema);
  });

  it('shows lock rows to plain SQL, one per resource with id, info and lease', async () => {
    const url = inject('pgUrl');
    const schema = freshSchema();
    const m = await PostgresResourceLockManager.open({ connectionString: url, schema, leaseMs: 30_000, namespace: 'customers' });
    const info = newLockInfo({ operation: 'OperationTypeApply', info: 'plain sql' });
    const h = await m.lockResources(['terraform_data.b', 'terraform_data.a'], info);
    const rows = await sql<{ namespace: string; address: string; lock_id: string; op: string; lease_s: number }>(
      url,
      `SELECT namespace, address, lock_id::text, info->>'Operation' AS op, round(extract(epoch FROM expires_at - acquired_at))::int AS lease_s
         FROM ${schema}.resource_locks ORDER BY address`,
    );
    expect(rows).toEqual([
      { namespace: 'customers', address: 'terraform_data.a', lock_id: info.ID, op: 'OperationTypeApply', lease_s: 30 },
      { namespace: 'customers', address: 'terraform_data.b', lock_id: info.ID, op: 'OperationTypeApply', lease_s: 30 },
    ]);
    expect(h.expiresAt?.getTime()).toBeGreaterThan(Date.now() + 20_000);
    await h.unlock();
    expect(await sql(url, `SELECT * FROM ${schema}.resource_locks`)).toEqual([]);
    // Re-opening an existing schema migrates nothing twice.
    const again = await PostgresResourceLockManager.open({ connectionString: url, schema });
    expect(await sql(url, `SELECT version FROM ${schema}.schema_migrations ORDER BY version`)).toEqual([{ version: 1 }, { version: 2 }, { version: 3 }]);
    await again.close();
    await m.close();
    await dropSchema(url, schema);
  });
});
