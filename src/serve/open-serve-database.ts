// Opens the state backend's database: a `postgres://` URL (else DATABASE_URL), or the embedded server keeping its
// cluster in `dataDir`; and migrates velocity's schema (the lock tables, then the serve tables) through the one
// runner of src/db/migrate.ts. Guarantees: the pool runs READ COMMITTED (the lock functions require it); an embedded
// server this call started is stopped by `close()`, one it attached to is left running.

import { resolve } from 'node:path';
import pg from 'pg';
import { VelocityError } from '../errors.js';
import { assertSchemaName, migrateDown, migrateUp, migrationStatus, type MigrationSet, type MigrationStatus } from '../db/migrate.js';
import { lockMigrations } from '../lock/postgres-resource-lock-manager.js';
import { startEmbeddedPostgres } from '../lock/start-embedded-postgres.js';
import { serveMigrations } from './serve-migrations.js';

export interface ServeDatabaseOptions {
  /** @default process.env.DATABASE_URL, else the embedded server in `dataDir` */
  readonly databaseUrl?: string;
  /** @default '.velocity/server' (relative to `cwd`) */
  readonly dataDir?: string;
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** @default 'velocity' */
  readonly schema?: string;
  /** @default 10 */
  readonly maxConnections?: number;
}

export interface ServeDatabase {
  readonly pool: pg.Pool;
  readonly schema: string;
  /** Where the data is: the URL without its password, or the embedded cluster directory. */
  readonly where: string;
  close(): Promise<void>;
}

/** Every migration set of the schema, in the order they apply. */
export function schemaMigrationSets(schema: string): MigrationSet[] {
  return [lockMigrations(schema), serveMigrations(schema)];
}

/** Connects (starting the embedded server if needed). O(1) round trips; the first embedded start ~1-3 s (initdb). */
export async function openServeDatabase(options: ServeDatabaseOptions = {}): Promise<ServeDatabase> {
  const schema = assertSchemaName(options.schema ?? 'velocity');
  const env = options.env ?? process.env;
  let url = options.databaseUrl ?? env['DATABASE_URL'];
  let where: string;
  let stop = async (): Promise<void> => {};
  if (url === undefined || url === '') {
    const dataDir = resolve(options.cwd ?? process.cwd(), options.dataDir ?? '.velocity/server');
    const server = await startEmbeddedPostgres({ dataDir });
    url = server.url;
    where = `embedded PostgreSQL in ${server.dataDir}`;
    stop = () => server.stop();
  } else {
    const u = new URL(url);
    u.password = '';
    where = u.toString();
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: 5000,
    application_name: 'velocity serve',
    options: '-c default_transaction_isolation=read\\ committed',
  });
  // An idle client whose server went away emits 'error' on the pool; without a listener Node would crash.
  pool.on('error', () => {});
  return {
    pool,
    schema,
    where,
    close: async () => {
      await pool.end().catch(() => {});
      await stop();
    },
  };
}

/** The database could not be reached or refused a migration (DATABASE_ERROR); the message says where. */
export class ServeDatabaseError extends VelocityError {}

async function withClient<T>(db: ServeDatabase, body: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  let client: pg.PoolClient;
  try {
    client = await db.pool.connect();
  } catch (error) {
    throw new ServeDatabaseError('DATABASE_ERROR', `cannot connect to ${db.where}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  try {
    const out = await body(client);
    client.release();
    return out;
  } catch (error) {
    client.release(true);
    if (error instanceof VelocityError) throw error;
    throw new ServeDatabaseError('DATABASE_ERROR', `migrating ${db.schema} in ${db.where} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

/** Applies every pending migration (locks, then serve). Returns what was applied per component. O(steps). */
export async function migrateServeUp(db: ServeDatabase): Promise<{ component: string; applied: number[] }[]> {
  return withClient(db, async (c) => {
    const out: { component: string; applied: number[] }[] = [];
    for (const set of schemaMigrationSets(db.schema)) out.push({ component: set.component, applied: await migrateUp(c, db.schema, set) });
    return out;
  });
}

/** Undoes the newest `steps` serve migrations (the lock tables have no down: other tools share them). O(steps). */
export async function migrateServeDown(db: ServeDatabase, steps = 1): Promise<number[]> {
  return withClient(db, (c) => migrateDown(c, db.schema, serveMigrations(db.schema), steps));
}

/** Applied and known migrations of every component. O(rows). */
export async function serveMigrationStatus(db: ServeDatabase): Promise<MigrationStatus[]> {
  return withClient(db, (c) => migrationStatus(c, db.schema, schemaMigrationSets(db.schema)));
}
