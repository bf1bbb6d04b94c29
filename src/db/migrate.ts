// The ONE schema migration runner of velocity's PostgreSQL schema: every component (the resource locks, the state
// backend) brings an ordered list of steps, recorded per component in `<schema>.schema_migrations`. Guarantees: each
// run is one transaction under an advisory lock (concurrent first starts serialise, a failed step leaves nothing);
// a step runs once per schema; `down` undoes the newest steps of one component, in reverse order, when they can be.

import type pg from 'pg';
import { VelocityError } from '../errors.js';

/** SQL text, or a step that needs the client (it runs in the migration's transaction). */
export type MigrationStep = string | ((client: pg.PoolClient | pg.Client) => Promise<void>);

/** One migration: `up`, and `down` when it can be undone. */
export interface Migration {
  readonly up: MigrationStep;
  readonly down?: MigrationStep;
  /** One line for `velocity db migrate status`. */
  readonly summary?: string;
}

/** A component's migrations, version = position + 1. */
export interface MigrationSet {
  /** Stable name recorded in schema_migrations (`locks`, `serve`). */
  readonly component: string;
  readonly migrations: readonly Migration[];
}

/** Why a migration could not run: MIGRATE_BAD_SCHEMA, MIGRATE_NO_DOWN, MIGRATE_TOO_NEW. */
export class MigrationError extends VelocityError {}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Throws MigrationError (MIGRATE_BAD_SCHEMA) unless `schema` is a plain lower-case SQL identifier. O(1). */
export function assertSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) throw new MigrationError('MIGRATE_BAD_SCHEMA', `schema must match ${SCHEMA_NAME}, got ${JSON.stringify(schema)}`);
  return schema;
}

type Client = pg.PoolClient | pg.Client;

async function runStep(client: Client, step: MigrationStep): Promise<void> {
  if (typeof step === 'string') await client.query(step);
  else await step(client);
}

/**
 * Creates the schema and the migrations table (or upgrades the table velocity's lock manager wrote before there were
 * components: its rows become component `locks`). Runs inside the caller's transaction and advisory lock.
 */
async function prepare(client: Client, schema: string): Promise<void> {
  await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  await client.query(`CREATE TABLE IF NOT EXISTS ${schema}.schema_migrations (
       component  text        NOT NULL DEFAULT 'locks',
       version    int         NOT NULL,
       applied_at timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (component, version))`);
  const cols = await client.query<{ n: string }>(
    `SELECT count(*) AS n FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'schema_migrations' AND column_name = 'component'`,
    [schema],
  );
  if (Number(cols.rows[0]?.n ?? 0) === 0) {
    // The table of the lock manager's migrations 1..3 (version int PRIMARY KEY): every row is a `locks` step.
    await client.query(`ALTER TABLE ${schema}.schema_migrations ADD COLUMN component text NOT NULL DEFAULT 'locks'`);
    await client.query(`ALTER TABLE ${schema}.schema_migrations DROP CONSTRAINT IF EXISTS schema_migrations_pkey`);
    await client.query(`ALTER TABLE ${schema}.schema_migrations ADD PRIMARY KEY (component, version)`);
  }
}

async function inTransaction<T>(client: Client, schema: string, body: () => Promise<T>): Promise<T> {
  const ignore = (): void => {};
  // A client whose connection drops emits 'error' on itself: the query rejects anyway.
  client.on('error', ignore);
  try {
    await client.query('BEGIN');
    await client.query("SELECT pg_advisory_xact_lock(hashtext('velocity.migrate.' || $1))", [schema]);
    await prepare(client, schema);
    const out = await body();
    await client.query('COMMIT');
    return out;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.removeListener('error', ignore);
  }
}

async function appliedVersion(client: Client, schema: string, component: string): Promise<number> {
  const r = await client.query<{ v: number | null }>(`SELECT max(version) AS v FROM ${schema}.schema_migrations WHERE component = $1`, [component]);
  return r.rows[0]?.v ?? 0;
}

/**
 * Brings `set` up to its newest version (or `to`) in `schema`. Returns the versions applied. O(steps).
 * @throws MigrationError MIGRATE_TOO_NEW when the database has versions this code does not know
 */
export async function migrateUp(client: Client, schema: string, set: MigrationSet, to = set.migrations.length): Promise<number[]> {
  assertSchemaName(schema);
  return inTransaction(client, schema, async () => {
    const done = await appliedVersion(client, schema, set.component);
    if (done > set.migrations.length) {
      throw new MigrationError('MIGRATE_TOO_NEW', `schema ${schema} has ${set.component} migration ${done}, newer than this velocity knows (${set.migrations.length}): upgrade velocity`);
    }
    const applied: number[] = [];
    for (let v = done + 1; v <= Math.min(to, set.migrations.length); v++) {
      await runStep(client, (set.migrations[v - 1] as Migration).up);
      await client.query(`INSERT INTO ${schema}.schema_migrations (component, version) VALUES ($1, $2)`, [set.component, v]);
      applied.push(v);
    }
    return applied;
  });
}

/**
 * Undoes `set`'s newest `steps` migrations (default 1), newest first. Returns the versions undone. O(steps).
 * @throws MigrationError MIGRATE_NO_DOWN when one of them cannot be undone (nothing is undone then)
 */
export async function migrateDown(client: Client, schema: string, set: MigrationSet, steps = 1): Promise<number[]> {
  assertSchemaName(schema);
  return inTransaction(client, schema, async () => {
    const done = await appliedVersion(client, schema, set.component);
    const undone: number[] = [];
    for (let v = done; v > Math.max(0, done - steps); v--) {
      const m = set.migrations[v - 1];
      if (m?.down === undefined) throw new MigrationError('MIGRATE_NO_DOWN', `${set.component} migration ${v} cannot be undone`);
      await runStep(client, m.down);
      await client.query(`DELETE FROM ${schema}.schema_migrations WHERE component = $1 AND version = $2`, [set.component, v]);
      undone.push(v);
    }
    return undone;
  });
}

/** One component's place: applied versions (with when) and how many are known. */
export interface MigrationStatus {
  readonly component: string;
  readonly applied: readonly { readonly version: number; readonly appliedAt: Date }[];
  readonly known: number;
}

/** What is applied of each set in `schema` (creates nothing when the schema is absent). O(rows). */
export async function migrationStatus(client: Client, schema: string, sets: readonly MigrationSet[]): Promise<MigrationStatus[]> {
  assertSchemaName(schema);
  const exists = await client.query(`SELECT 1 FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'schema_migrations' AND column_name = 'component'`, [schema]);
  const legacy = await client.query(`SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'schema_migrations'`, [schema]);
  const rows =
    exists.rowCount !== 0
      ? (await client.query<{ component: string; version: number; applied_at: Date }>(`SELECT component, version, applied_at FROM ${schema}.schema_migrations ORDER BY component, version`)).rows
      : legacy.rowCount !== 0
        ? (await client.query<{ version: number; applied_at: Date }>(`SELECT version, applied_at FROM ${schema}.schema_migrations ORDER BY version`)).rows.map((r) => ({ ...r, component: 'locks' }))
        : [];
  return sets.map((s) => ({
    component: s.component,
    known: s.migrations.length,
    applied: rows.filter((r) => r.component === s.component).map((r) => ({ version: r.version, appliedAt: r.applied_at })),
  }));
}
