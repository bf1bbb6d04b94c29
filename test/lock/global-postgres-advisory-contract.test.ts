// The global fallback over Terraform's pg-backend advisory lock passes the shared contract, both before the
// workspace row exists (creation lock -1) and after (lock on the row id).
import { afterAll, beforeAll, inject } from 'vitest';
import { GlobalFallbackLockManager } from '../../src/lock/global-fallback-lock-manager.js';
import { PostgresAdvisoryLockAdapter } from '../../src/lock/postgres-advisory-lock-adapter.js';
import { lockManagerContract } from './helpers/lock-manager-contract.js';
import { dropSchema, freshDatabase, freshSchema, sql } from './helpers/pg-test-schema.js';

// Own database: the pg backend's creation lock (-1) is database-wide.
let db: { url: string; drop(): Promise<void> };
beforeAll(async () => {
  db = await freshDatabase(inject('pgUrl'));
});
afterAll(async () => {
  await db.drop();
});

for (const withRow of [false, true]) {
  lockManagerContract({
    name: `GlobalFallbackLockManager(pg advisory, ${withRow ? 'workspace row exists' : 'no workspace yet'})`,
    excludes: true,
    propertyRuns: 10,
    make: async () => {
      const url = db.url;
      const schema = freshSchema('tfpg');
      if (withRow) {
        // The table exactly as Terraform's pg backend creates it.
        await sql(url, `CREATE SCHEMA ${schema}`);
        await sql(url, `CREATE TABLE ${schema}.states (id bigserial primary key, name text, data text)`);
        await sql(url, `CREATE UNIQUE INDEX ON ${schema}.states (name)`);
        await sql(url, `INSERT INTO ${schema}.states (name, data) VALUES ('default', '{}')`);
      }
      const a = new GlobalFallbackLockManager(new PostgresAdvisoryLockAdapter({ connectionString: url, schemaName: schema }));
      const b = new GlobalFallbackLockManager(new PostgresAdvisoryLockAdapter({ connectionString: url, schemaName: schema }));
      return { a, b, cleanup: async () => { await a.close(); await b.close(); await dropSchema(url, schema); } };
    },
  });
}
