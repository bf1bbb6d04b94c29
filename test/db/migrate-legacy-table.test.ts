// The one migration runner over a schema written before there were components: the lock manager's old
// `schema_migrations (version int PRIMARY KEY)` with its rows 1..3 becomes component `locks` without re-running a
// step (its lock rows survive), and the serve tables then migrate on top.
import { afterAll, describe, expect, inject, it } from 'vitest';
import pg from 'pg';
import { migrateUp, migrationStatus } from '../../src/db/migrate.js';
import { newLockInfo } from '../../src/lock/lock-info.js';
import { lockMigrations, PostgresResourceLockManager } from '../../src/lock/postgres-resource-lock-manager.js';
import { serveMigrations } from '../../src/serve/serve-migrations.js';
import { dropSchema, freshSchema, sql } from '../lock/helpers/pg-test-schema.js';

describe('migrations over the lock manager’s legacy table', () => {
  const url = inject('pgUrl');
  const schemas: string[] = [];
  afterAll(async () => {
    for (const s of schemas) await dropSchema(url, s);
  });

  it('adopts the old rows as component locks and runs nothing twice', async () => {
    const schema = freshSchema('legacy');
    schemas.push(schema);
    const m = await PostgresResourceLockManager.open({ connectionString: url, schema });
    const held = await m.lockResources(['terraform_data.a'], newLockInfo());
    await m.close();
    // Put the table back in the shape the lock manager wrote before the shared runner.
    await sql(url, `ALTER TABLE ${schema}.schema_migrations DROP CONSTRAINT schema_migrations_pkey`);
    await sql(url, `ALTER TABLE ${schema}.schema_migrations DROP COLUMN component`);
    await sql(url, `ALTER TABLE ${schema}.schema_migrations ADD PRIMARY KEY (version)`);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      expect((await migrationStatus(client, schema, [lockMigrations(schema)]))[0]?.applied.map((a) => a.version)).toEqual([1, 2, 3]);
      expect(await migrateUp(client, schema, lockMigrations(schema))).toEqual([]);
      expect(await migrateUp(client, schema, serveMigrations(schema))).toEqual([1, 2, 3, 4, 5]);
      const rows = await sql<{ component: string; version: number }>(url, `SELECT component, version FROM ${schema}.schema_migrations ORDER BY component, version`);
      expect(rows.map((r) => `${r.component}:${r.version}`)).toEqual(['locks:1', 'locks:2', 'locks:3', 'serve:1', 'serve:2', 'serve:3', 'serve:4', 'serve:5']);
    } finally {
      await client.end();
    }
    const again = await PostgresResourceLockManager.open({ connectionString: url, schema });
    try {
      expect((await again.locks()).map((l) => l.id)).toEqual([held.id]);
    } finally {
      await again.close();
    }
  });
});
