// Row-level locks shared by many processes and hosts through PostgreSQL: one row per locked resource holding the
// lock id, its LockInfo (jsonb) and a lease. Acquisition is ONE statement in ONE transaction: rows are inserted in
// sorted address order (so two clients always meet in the same order and cannot deadlock), expired rows are taken
// over, and if any row is live under another lock the whole insert rolls back, leaving nothing behind. It runs as
// one server-side function call (one round trip, one synchronous commit); the holders come back in the same answer.
// Lock rows are plain SQL: `SELECT * FROM velocity.resource_locks`.

import { homedir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { acquireWithRetry } from './acquire-with-retry.js';
import { assertLockId } from './assert-lock-id.js';
import { LockBackendError, LockConflictError, LockLostError, LockNotHeldError, LockRequestError } from './lock-errors.js';
import { lockInfoFromJson, type LockInfo } from './lock-info.js';
import { normalizeResources } from './normalize-resources.js';
import type { HeldLock, LockHandle, LockOptions, ResourceLockManager } from './resource-lock-manager.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './start-embedded-postgres.js';

/** Options of `PostgresResourceLockManager.open`. */
export interface PostgresResourceLockManagerOptions {
  /** `postgres://` URL. @default process.env.DATABASE_URL, else an embedded server in `embeddedDataDir` */
  readonly connectionString?: string;
  /** Where the embedded server keeps its cluster when no URL is given. @default ~/.velocity/postgres */
  readonly embeddedDataDir?: string;
  /** Schema holding velocity's tables; created and migrated on open. @default 'velocity' */
  readonly schema?: string;
  /** Which state these locks belong to: locks in different namespaces never conflict. @default 'default' */
  readonly namespace?: string;
  /** Lease length: a lock not renewed (LockHandle.renew, or withResourceLocks) for this long can be taken over. @default 60000 */
  readonly leaseMs?: number;
  /** Pool size: how many acquisitions can be in flight at once from this manager. @default 10 */
  readonly maxConnections?: number;
  /**
   * Wait for an acquisition's commit to reach disk before granting it. `false` trades safety for throughput: if the
   * database server crashes, acquisitions from its last ~0.6 s can be lost while their holders believe they hold them
   * (until their next renewal reports LOCK_LOST), so another client may take the same resources in that window.
   * @default true
   */
  readonly synchronousCommit?: boolean;
  /** Give up connecting after this long. @default 5000 */
  readonly connectTimeoutMs?: number;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const BACKEND = 'postgres';

/** The migrations, in order; each runs once per schema, recorded in `schema_migrations`. */
function migrations(s: string): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS ${s}.resource_locks (
       namespace   text        NOT NULL,
       address     text        NOT NULL,
       lock_id     uuid        NOT NULL,
       info        jsonb       NOT NULL,
       acquired_at timestamptz NOT NULL DEFAULT now(),
       expires_at  timestamptz NOT NULL,
       PRIMARY KEY (namespace, address)
     );`,
    // One round trip per acquisition: the INSERT runs in a sub-transaction that is rolled back whole when any row
    // is live under another lock; the holders are then returned instead of the grant.
    `CREATE OR REPLACE FUNCTION ${s}.lock_resources(p_ns text, p_addrs text[], p_id uuid, p_info jsonb, p_lease_ms double precision, p_sync boolean)
       RETURNS TABLE (granted boolean, held_address text, held_lock_id uuid, held_info jsonb, held_expires timestamptz)
       LANGUAGE plpgsql AS $fn$
     DECLARE
       n integer;
       v_expires timestamptz := now() + p_lease_ms * interval '1 millisecond';
     BEGIN
       IF NOT p_sync THEN
         PERFORM set_config('synchronous_commit', 'off', true);
       END IF;
       BEGIN
         INSERT INTO ${s}.resource_locks AS l (namespace, address, lock_id, info, acquired_at, expires_at)
         SELECT p_ns, t.a, p_id, p_info, now(), v_expires
           FROM unnest(p_addrs) WITH ORDINALITY AS t(a, o) ORDER BY t.o
         ON CONFLICT (namespace, address) DO UPDATE
           SET lock_id = EXCLUDED.lock_id, info = EXCLUDED.info, acquired_at = EXCLUDED.acquired_at, expires_at = EXCLUDED.expires_at
           WHERE l.expires_at <= now();
         GET DIAGNOSTICS n = ROW_COUNT;
         IF n < cardinality(p_addrs) THEN
           RAISE EXCEPTION USING ERRCODE = 'VL001';
         END IF;
       EXCEPTION WHEN SQLSTATE 'VL001' THEN
         RETURN QUERY SELECT false, r.address, r.lock_id, r.info, r.expires_at FROM ${s}.resource_locks r
           WHERE r.namespace = p_ns AND r.address = ANY(p_addrs) AND r.expires_at > now() AND r.lock_id <> p_id
           ORDER BY r.address;
         RETURN;
       END;
       RETURN QUERY SELECT true, NULL::text, p_id, NULL::jsonb, v_expires;
     END
     $fn$;
     CREATE OR REPLACE FUNCTION ${s}.unlock_resources(p_ns text, p_addrs text[], p_id uuid) RETURNS integer LANGUAGE plpgsql AS $fn$
     DECLARE n integer;
     BEGIN
       -- NOTE: an unlock may commit asynchronously: if the server crashes before flushing it, the lock only lives
       -- on until its lease ends. Acquisitions always commit synchronously.
       PERFORM set_config('synchronous_commit', 'off', true);
       -- NOTE: by primary key (the handle knows its addresses); the lock id only guards against deleting a new holder's row.
       DELETE FROM ${s}.resource_locks WHERE namespace = p_ns AND address = ANY(p_addrs) AND lock_id = p_id;
       GET DIAGNOSTICS n = ROW_COUNT;
       RETURN n;
     END
     $fn$;`,
  ];
}

function isPgConnectionError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  // Node socket errors, and SQLSTATE classes 08 (connection), 57P (admin shutdown / cannot connect now), 53 (resources).
  return (
    typeof code === 'string' &&
    (code.startsWith('E') || code.startsWith('08') || code.startsWith('57P') || code.startsWith('53'))
  ) || (error instanceof Error && /Connection terminated|connection timeout|timeout exceeded|Client has encountered a connection error/i.test(error.message));
}

function backendError(error: unknown, doing: string): unknown {
  if (error instanceof LockConflictError || error instanceof LockRequestError || error instanceof LockLostError || error instanceof LockNotHeldError) return error;
  if (error instanceof LockBackendError) return error;
  const msg = error instanceof Error ? error.message : String(error);
  return new LockBackendError(BACKEND, `${doing} failed: ${msg}`, {
    cause: error,
    code: isPgConnectionError(error) ? 'LOCK_BACKEND_UNAVAILABLE' : 'LOCK_BACKEND_PROTOCOL',
  });
}

/** Row-level locks in PostgreSQL. Acquire and release: one round trip each, O(k log n) in the server for k addresses over n locked rows. */
export class PostgresResourceLockManager implements ResourceLockManager {
  readonly #pool: pg.Pool;
  readonly #table: string;
  readonly #schema: string;
  readonly #synchronousCommit: boolean;
  readonly #namespace: string;
  readonly #leaseMs: number;
  readonly #server: EmbeddedPostgres | undefined;
  #closed = false;

  private constructor(pool: pg.Pool, schema: string, namespace: string, leaseMs: number, server: EmbeddedPostgres | undefined, synchronousCommit: boolean) {
    this.#synchronousCommit = synchronousCommit;
    this.#pool = pool;
    this.#table = `${schema}.resource_locks`;
    this.#schema = schema;
    this.#namespace = namespace;
    this.#leaseMs = leaseMs;
    this.#server = server;
  }

  /** Connects (starting the embedded server if needed), creates/migrates the schema, and returns a ready manager. */
  static async open(options: PostgresResourceLockManagerOptions = {}): Promise<PostgresResourceLockManager> {
    const schema = options.schema ?? 'velocity';
    if (!SCHEMA_NAME.test(schema)) throw new LockRequestError('LOCK_BAD_OPTION', `schema must match ${SCHEMA_NAME}, got ${JSON.stringify(schema)}`);
    const namespace = options.namespace ?? 'default';
    if (typeof namespace !== 'string' || namespace === '') throw new LockRequestError('LOCK_BAD_OPTION', 'namespace must be a non-empty string');
    const leaseMs = options.leaseMs ?? 60_000;
    if (!Number.isFinite(leaseMs) || leaseMs < 1) throw new LockRequestError('LOCK_BAD_OPTION', `leaseMs must be >= 1, got ${leaseMs}`);
    let url = options.connectionString ?? process.env['DATABASE_URL'];
    let server: EmbeddedPostgres | undefined;
    if (url === undefined || url === '') {
      server = await startEmbeddedPostgres({ dataDir: options.embeddedDataDir ?? join(homedir(), '.velocity', 'postgres') });
      url = server.url;
    }
    const { default: pgModule } = await import('pg');
    const pool = new pgModule.Pool({
      connectionString: url,
      max: options.maxConnections ?? 10,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
      application_name: 'velocity',
    });
    // An idle client whose server went away emits 'error' on the pool; without a listener Node would crash.
    pool.on('error', () => {});
    const manager = new PostgresResourceLockManager(pool, schema, namespace, leaseMs, server, options.synchronousCommit ?? true);
    try {
      await manager.#migrate(schema);
    } catch (error) {
      await pool.end().catch(() => {});
      if (server?.owned) await server.stop().catch(() => {});
      throw backendError(error, 'connecting and migrating the lock schema');
    }
    return manager;
  }

  async #migrate(schema: string): Promise<void> {
    const client = await this.#pool.connect();
    try {
      await client.query('BEGIN');
      // Serialise concurrent first starts: CREATE SCHEMA IF NOT EXISTS races on the catalog otherwise.
      await client.query("SELECT pg_advisory_xact_lock(hashtext('velocity.migrate.' || $1))", [schema]);
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      await client.query(`CREATE TABLE IF NOT EXISTS ${schema}.schema_migrations (version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
      const done = await client.query<{ v: number | null }>(`SELECT max(version) AS v FROM ${schema}.schema_migrations`);
      const steps = migrations(schema);
      for (let v = (done.rows[0]?.v ?? 0) + 1; v <= steps.length; v++) {
        await client.query(steps[v - 1] as string);
        await client.query(`INSERT INTO ${schema}.schema_migrations (version) VALUES ($1)`, [v]);
      }
      await client.query('COMMIT');
      client.release();
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      client.release(true);
      throw error;
    }
  }

  granularity(): 'resource' {
    return 'resource';
  }
  supportsParallelOperations(): boolean {
    return true;
  }
  /** The lease length this manager grants, in ms. */
  get leaseMs(): number {
    return this.#leaseMs;
  }

  async #tryLock(resources: readonly string[], info: LockInfo, id: string): Promise<LockHandle> {
    // NOTE: a conflict whose holder released between the failed insert and the holder query returns no holder
    // rows; the lock is then free, so try again at once (bounded: a busy resource will show a holder).
    for (let attempt = 0; ; attempt++) {
      let rows: { granted: boolean; held_address: string | null; held_lock_id: string; held_info: unknown; held_expires: Date }[];
      try {
        rows = (
          await this.#pool.query<(typeof rows)[number]>({
            name: `velocity-lock-${this.#schema}`,
            text: `SELECT * FROM ${this.#schema}.lock_resources($1, $2::text[], $3::uuid, $4::jsonb, $5::float8, $6::boolean)`,
            values: [this.#namespace, resources, id, info, this.#leaseMs, this.#synchronousCommit],
          })
        ).rows;
      } catch (error) {
        throw backendError(error, 'acquiring');
      }
      const first = rows[0];
      if (first?.granted) return this.#handle(id, resources, info, first.held_expires);
      if (rows.length === 0 && attempt < 3) continue;
      const holders = new Map<string, LockInfo>();
      for (const row of rows) if (!holders.has(row.held_lock_id)) holders.set(row.held_lock_id, lockInfoFromJson(row.held_info));
      const all = [...holders.values()];
      throw new LockConflictError(all[0] ?? lockInfoFromJson({}), rows.map((r) => r.held_address ?? ''), { holders: all });
    }
  }

  #handle(id: string, resources: readonly string[], info: LockInfo, expiresAt: Date): LockHandle {
    const manager = this;
    let expiry = expiresAt;
    let released = false;
    return {
      id,
      resources,
      info,
      get expiresAt() {
        return expiry;
      },
      async renew() {
        if (released) throw new LockNotHeldError(id, 'already unlocked');
        let rows: { address: string; expires_at: Date }[];
        try {
          rows = (
            await manager.#pool.query<{ address: string; expires_at: Date }>({
              name: `velocity-renew-${manager.#table}`,
              text: `UPDATE ${manager.#table} SET expires_at = now() + $3 * interval '1 millisecond'
                      WHERE namespace = $1 AND address = ANY($4::text[]) AND lock_id = $2 RETURNING address, expires_at`,
              values: [manager.#namespace, id, manager.#leaseMs, resources],
            })
          ).rows;
        } catch (error) {
          throw backendError(error, 'renewing');
        }
        if (rows.length < resources.length) {
          const kept = new Set(rows.map((r) => r.address));
          throw new LockLostError(id, resources.filter((r) => !kept.has(r)));
        }
        expiry = rows[0]?.expires_at ?? expiry;
      },
      async unlock() {
        if (released) return;
        try {
          await manager.#pool.query({
            name: `velocity-unlock-${manager.#schema}`,
            text: `SELECT ${manager.#schema}.unlock_resources($1, $2::text[], $3::uuid)`,
            values: [manager.#namespace, resources, id],
          });
        } catch (error) {
          throw backendError(error, 'unlocking');
        }
        released = true;
      },
    };
  }

  async lockResources(resources: readonly string[], info: LockInfo, options: LockOptions = {}): Promise<LockHandle> {
    const list = normalizeResources(resources);
    const id = assertLockId(info.ID);
    if (this.#closed) throw new LockBackendError(BACKEND, 'the lock manager is closed');
    return acquireWithRetry(() => this.#tryLock(list, info, id), options);
  }

  async locks(): Promise<readonly HeldLock[]> {
    let rows: { lock_id: string; address: string; info: unknown; expires_at: Date }[];
    try {
      rows = (
        await this.#pool.query<{ lock_id: string; address: string; info: unknown; expires_at: Date }>(
          `SELECT lock_id, address, info, expires_at FROM ${this.#table}
            WHERE namespace = $1 AND expires_at > now() ORDER BY lock_id, address`,
          [this.#namespace],
        )
      ).rows;
    } catch (error) {
      throw backendError(error, 'listing locks');
    }
    const out: { id: string; resources: string[]; info: LockInfo; expiresAt: Date }[] = [];
    for (const row of rows) {
      const last = out[out.length - 1];
      if (last && last.id === row.lock_id) {
        last.resources.push(row.address);
        if (row.expires_at < last.expiresAt) last.expiresAt = row.expires_at;
      } else out.push({ id: row.lock_id, resources: [row.address], info: lockInfoFromJson(row.info), expiresAt: row.expires_at });
    }
    // NOTE: SQL ORDER BY on text uses the database collation; re-sort by code unit to match every other manager.
    for (const l of out) l.resources.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return out;
  }

  async forceUnlock(id: string): Promise<void> {
    const key = assertLockId(id);
    let rows: { live: boolean }[];
    try {
      rows = (
        await this.#pool.query<{ live: boolean }>(
          // NOTE: no index on lock_id (it would cost every acquisition and release); an operator's force-unlock
          // scans the namespace's live rows, which are few.
          `DELETE FROM ${this.#table} WHERE namespace = $1 AND lock_id = $2 RETURNING expires_at > now() AS live`,
          [this.#namespace, key],
        )
      ).rows;
    } catch (error) {
      throw backendError(error, 'force-unlocking');
    }
    if (!rows.some((r) => r.live)) throw new LockNotHeldError(key);
  }

  /** Deletes rows whose lease ran out (acquisition takes them over anyway; this only tidies). Returns how many. */
  async purgeExpired(): Promise<number> {
    try {
      const r = await this.#pool.query(`DELETE FROM ${this.#table} WHERE namespace = $1 AND expires_at <= now()`, [this.#namespace]);
      return r.rowCount ?? 0;
    } catch (error) {
      throw backendError(error, 'purging expired locks');
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#pool.end().catch(() => {});
    if (this.#server?.owned) await this.#server.stop();
  }
}
