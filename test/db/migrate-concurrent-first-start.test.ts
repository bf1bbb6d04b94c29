// The one migration runner under concurrent first starts: four clients migrating the same fresh schema at once
// (locks, then serve) apply each step exactly once between them, and none fails.
import { afterAll, describe, expect, inject, it } from 'vitest';
import pg from 'pg';
import { migrateUp } from '../../src/db/migrate.js';
import { lockMigrations } from '../../src/lock/postgres-resource-lock-manager.js';
import { serveMigrations } from '../../src/serve/serve-migrations.js';
import { dropSchema, freshSchema } from '../lock/helpers/pg-test-schema.js';

describe('concurrent first migrations', () => {
  const url = inject('pgUrl');
  const schemas: string[] = [];
  afterAll(async () => {
    for (const s of schemas) await dropSchema(url, s);
  });

  it('serialises concurrent first starts', async () => {
    const schema = freshSchema('race');
    schemas.push(schema);
    const clients = await Promise.all([0, 1, 2, 3].map(async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      return c;
    }));
    try {
      const results = await Promise.all(clients.map(async (c) => [await migrateUp(c, schema, lockMigrations(schema)), await migrateUp(c, schema, serveMigrations(schema))]));
      expect(results.map(([l]) => l?.length ?? 0).reduce((a, b) => a + b, 0)).toBe(3);
      expect(results.map(([, s]) => s?.length ?? 0).reduce((a, b) => a + b, 0)).toBe(5);
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
  });
});
