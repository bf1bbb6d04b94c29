// Row-level locks shared by many processes and hosts through PostgreSQL: one row per locked address (resource
// instance, resource, module instance or module call) holding the lock id, its LockInfo (jsonb), a lease and its
// lock path (lock-path.ts), so a lock conflicts with every lock it contains or is contained by. Acquisition is ONE
// server-side function call in ONE transaction (one round trip, one synchronous commit): it takes hierarchical
// advisory intention locks (shared on every ancestor path, exclusive on each requested path, in one global order),
// so two overlapping acquisitions are serialised however they nest; then checks for live overlapping rows by index
// (ancestors by equality, descendants by a byte-ordered range), takes over expired ones, and inserts all or nothing.
// Lock rows are plain SQL: `SELECT * FROM velocity.resource_locks`.

import { homedir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { lockPath } from './lock-path.js';
import { acquireWithRetry } from './acquire-with-retry.js';
import { assertLockId } from './assert-lock-id.js';
import { LockBackendError, LockConflictError, LockLostError, LockNotHeldError, LockRequestError } from './lock-errors.js';
import { lockInfoFromJson, type LockInfo } from './lock-info.js';
import { normalizeResources } from './normalize-resources.js';
import type { HeldLock, LockHandle, LockOptions, ResourceLockManager } from './resource-lock-manager.js';
import { startEmbeddedPostgres } from './start-embedded-postgres.js';
import { migrateUp, type MigrationSet, type MigrationStep } from '../db/migrate.js';

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
const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const BACKEND = 'postgres';


/**
 * The SQL that takes the hierarchical intention locks of one request, as a PL/pgSQL block body: shared on every
 * ancestor path, exclusive on every requested path (exclusive wins where both), all in ascending key order so two
 * transactions can never wait on each other in a cycle. Transaction-scoped: released at commit, after the rows this
 * transaction wrote are visible. A hash collision only serialises two unrelated requests, never lets two overlap.
 */
function takePathLocks(s: string): string {
  // NOTE: one statement, not a loop of PERFORMs: the sorted, grouped subquery cannot be flattened, so the locks
  // are taken row by row in key order. Were the order ever broken, PostgreSQL's deadlock detector would answer
  // (40P01, retried by the client), never a hang.
  return `PERFORM CASE WHEN k.x THEN pg_advisory_xact_lock(k.h) ELSE pg_advisory_xact_lock_shared(k.h) END
         FROM (SELECT hashtextextended('${s}' || chr(31) || p_ns || chr(31) || u.k, 0) AS h, bool_or(u.x) AS x
                 FROM (SELECT unnest(p_paths) AS k, true AS x UNION ALL SELECT unnest(p_anc), false) u
                GROUP BY 1 ORDER BY 1) k;`;
}

/** Refuses to run where a snapshot would be older than the intention locks (the check would miss a fresh grant). */
const READ_COMMITTED_ONLY = `IF current_setting('transaction_isolation') <> 'read committed' THEN
         RAISE EXCEPTION 'velocity locks need READ COMMITTED, not %', current_setting('transaction_isolation') USING ERRCODE = 'VL002';
       END IF;`;

/** The lock tables' migrations (component `locks` of src/db/migrate.ts), in order; each runs once per schema. */
export function lockMigrations(s: string): MigrationSet {
  return { component: 'locks', migrations: lockSteps(s).map((up) => ({ up })) };
}

function lockSteps(s: string): MigrationStep[] {
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
    // 3: hierarchical locks. Every row carries its lock path (byte-ordered), indexed for ancestor and range lookups;
    // rows written before are given theirs.
    async (client) => {
      await client.query(`ALTER TABLE ${s}.resource_locks ADD COLUMN IF NOT EXISTS path text COLLATE "C"`);
      const rows = (await client.query<{ namespace: string; address: string }>(`SELECT namespace, address FROM ${s}.resource_locks WHERE path IS NULL`)).rows;
      for (const r of rows) {
        let path: string | undefined;
        try {
          path = lockPath(r.address).encoded;
        } catch {
          path = undefined;
        }
        if (path === undefined) await client.query(`DELETE FROM ${s}.resource_locks WHERE namespace = $1 AND address = $2`, [r.namespace, r.address]);
        else await client.query(`UPDATE ${s}.resource_locks SET path = $3 WHERE namespace = $1 AND address = $2`, [r.namespace, r.address, path]);
      }
      await client.query(hierarchicalFunctions(s));
    },
  ];
}

/** Migration 3's SQL after the backfill: the path index and the hierarchical lock and renew functions. */
function hierarchicalFunctions(s: string): string {
  return `ALTER TABLE ${s}.resource_locks ALTER COLUMN path SET NOT NULL;
     CREATE UNIQUE INDEX IF NOT EXISTS resource_locks_path ON ${s}.resource_locks (namespace, path);
     -- The flat, string-equality version: a client still calling it would miss overlaps, so it goes.
     DROP FUNCTION IF EXISTS ${s}.lock_resources(text, text[], uuid, jsonb, double precision, boolean);
     CREATE FUNCTION ${s}.lock_resources(p_ns text, p_addrs text[], p_paths text[], p_anc text[], p_id uuid, p_info jsonb, p_lease_ms double precision, p_sync boolean)
       RETURNS TABLE (granted boolean, req_address text, held_address text, held_lock_id uuid, held_info jsonb, held_expires timestamptz)
       LANGUAGE plpgsql AS $fn$
     DECLARE
       n integer;
       v_row record;
       v_hit boolean := false;
       v_expired boolean := false;
       v_expires timestamptz := now() + p_lease_ms * interval '1 millisecond';
     BEGIN
       ${READ_COMMITTED_ONLY}
       IF NOT p_sync THEN
         PERFORM set_config('synchronous_commit', 'off', true);
       END IF;
       ${takePathLocks(s)}
       -- A new statement, so a new snapshot: it sees every overlapping grant committed before our locks were granted.
       -- Overlapping rows of other locks: descendants (and the same path) by range, ancestors by equality.
       FOR v_row IN
         SELECT q.a, r.address, r.lock_id, r.info, r.expires_at
           FROM unnest(p_addrs, p_paths) AS q(a, p)
           JOIN ${s}.resource_locks r
             ON r.namespace = p_ns AND r.path >= q.p COLLATE "C" AND r.path < (left(q.p, -1) || ' ') COLLATE "C"
          WHERE r.lock_id <> p_id
         UNION ALL
         SELECT q.a, r.address, r.lock_id, r.info, r.expires_at
           FROM ${s}.resource_locks r
           JOIN unnest(p_addrs, p_paths) AS q(a, p) ON starts_with(q.p, r.path)
          WHERE r.namespace = p_ns AND r.path = ANY(p_anc) AND r.lock_id <> p_id
       LOOP
         IF v_row.expires_at > now() THEN
           v_hit := true;
           granted := false; req_address := v_row.a; held_address := v_row.address;
           held_lock_id := v_row.lock_id; held_info := v_row.info; held_expires := v_row.expires_at;
           RETURN NEXT;
         ELSE
           v_expired := true;
         END IF;
       END LOOP;
       IF v_hit THEN
         RETURN;
       END IF;
       IF v_expired THEN
         -- Expired overlapping rows of other locks are taken over: deleted, so their holders' renew reports LOCK_LOST.
         DELETE FROM ${s}.resource_locks r USING unnest(p_paths) AS q(p)
          WHERE r.namespace = p_ns AND r.path >= q.p COLLATE "C" AND r.path < (left(q.p, -1) || ' ') COLLATE "C"
            AND r.lock_id <> p_id AND r.expires_at <= now();
         DELETE FROM ${s}.resource_locks r
          WHERE r.namespace = p_ns AND r.path = ANY(p_anc) AND r.lock_id <> p_id AND r.expires_at <= now();
       END IF;
       INSERT INTO ${s}.resource_locks (namespace, address, path, lock_id, info, acquired_at, expires_at)
       SELECT p_ns, t.a, t.p, p_id, p_info, now(), v_expires
         FROM unnest(p_addrs, p_paths) WITH ORDINALITY AS t(a, p, o) ORDER BY t.o
       ON CONFLICT (namespace, address) DO NOTHING;
       GET DIAGNOSTICS n = ROW_COUNT;
       IF n < cardinality(p_addrs) THEN
         -- Only a row of this same lock id can be in the way: the id is reused. Abort the whole transaction.
         RAISE EXCEPTION 'lock id % is already in use', p_id USING ERRCODE = 'VL001';
       END IF;
       RETURN QUERY SELECT true, NULL::text, NULL::text, p_id, NULL::jsonb, v_expires;
     END
     $fn$;
     -- Renewal takes the same intention locks as acquisition, so it cannot revive a row that an overlapping
     -- acquisition is taking over at the same moment.
     CREATE FUNCTION ${s}.renew_resources(p_ns text, p_addrs text[], p_paths text[], p_anc text[], p_id uuid, p_lease_ms double precision)
       RETURNS TABLE (renewed_address text, renewed_expires timestamptz)
       LANGUAGE plpgsql AS $fn$
     BEGIN
       ${READ_COMMITTED_ONLY}
       ${takePathLocks(s)}
       RETURN QUERY
         WITH u AS (
           UPDATE ${s}.resource_locks r SET expires_at = now() + p_lease_ms * interval '1 millisecond'
            WHERE r.namespace = p_ns AND r.address = ANY(p_addrs) AND r.lock_id = p_id
           RETURNING r.address, r.expires_at)
         SELECT u.address, u.expires_at FROM u;
     END
     $fn$;`;
}

/** The encoded proper ancestors of an encoded lock path (`a\u001fb\u001f` -> `a\u001f`), shortest first. O(length). */
function pathAncestors(path: string): string[] {
  const out: string[] = [];
  for (let i = path.indexOf('\u001f'); i >= 0 && i < path.length - 1; i = path.indexOf('\u001f', i + 1)) out.push(path.slice(0, i + 1));
  return out;
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

/**
 * Row-level hierarchical locks in PostgreSQL. Acquire, renew and release: one round trip each; acquisition costs
 * O(k·d·log n + h) in the server for k addresses of depth d over n locked rows, h of them inside the request.
 */
export class PostgresResourceLockManager implements ResourceLockManager {
  readonly #pool: pg.Pool;
  readonly #table: string;
  readonly #schema: string;
  readonly #synchronousCommit: boolean;
  readonly #namespace: string;
  readonly #leaseMs: number;
  /** False for a manager on a pool it was given (onPool, withNamespace): close() leaves the pool alone. */
  readonly #ownsPool: boolean;
  #closed = false;

  private constructor(pool: pg.Pool, schema: string, namespace: string, leaseMs: number, synchronousCommit: boolean, ownsPool = true) {
    this.#synchronousCommit = synchronousCommit;
    this.#pool = pool;
    this.#table = `${schema}.resource_locks`;
    this.#schema = schema;
    this.#namespace = namespace;
    this.#leaseMs = leaseMs;
    this.#ownsPool = ownsPool;
  }

  /**
   * A manager on an existing pool whose `schema` is migrated already (e.g. `velocity serve`'s, see
   * src/serve/open-serve-database.ts); the pool must run READ COMMITTED. close() does not end the pool. O(1).
   * @throws LockRequestError LOCK_BAD_OPTION for a bad schema, namespace or lease
   */
  static onPool(pool: pg.Pool, options: { readonly schema: string; readonly namespace: string; readonly leaseMs?: number; readonly synchronousCommit?: boolean }): PostgresResourceLockManager {
    if (!SCHEMA_NAME.test(options.schema)) throw new LockRequestError('LOCK_BAD_OPTION', `schema must match ${SCHEMA_NAME}, got ${JSON.stringify(options.schema)}`);
    if (typeof options.namespace !== 'string' || options.namespace === '') throw new LockRequestError('LOCK_BAD_OPTION', 'namespace must be a non-empty string');
    const leaseMs = options.leaseMs ?? 60_000;
    if (!Number.isFinite(leaseMs) || leaseMs < 1) throw new LockRequestError('LOCK_BAD_OPTION', `leaseMs must be >= 1, got ${leaseMs}`);
    return new PostgresResourceLockManager(pool, options.schema, options.namespace, leaseMs, options.synchronousCommit ?? true, false);
  }

  /** The same locks table and pool, another namespace (another state); its close() leaves the pool open. O(1). */
  withNamespace(namespace: string): PostgresResourceLockManager {
    return PostgresResourceLockManager.onPool(this.#pool, { schema: this.#schema, namespace, leaseMs: this.#leaseMs, synchronousCommit: this.#synchronousCommit });
  }

  /** Which state these locks belong to. */
  get namespace(): string {
    return this.#namespace;
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
    if (url === undefined || url === '') {
      // NOTE: the embedded server is shared by every process and outlives this manager: close() never stops it.
      url = (await startEmbeddedPostgres({ dataDir: options.embeddedDataDir ?? join(homedir(), '.velocity', 'postgres') })).url;
    }
    const { default: pgModule } = await import('pg');
    const pool = new pgModule.Pool({
      connectionString: url,
      max: options.maxConnections ?? 10,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
      application_name: 'velocity',
      // The acquisition's check must see every grant committed before its intention locks: READ COMMITTED.
      options: '-c default_transaction_isolation=read\\ committed',
    });
    // An idle client whose server went away emits 'error' on the pool; without a listener Node would crash.
    pool.on('error', () => {});
    const manager = new PostgresResourceLockManager(pool, schema, namespace, leaseMs, options.synchronousCommit ?? true);
    try {
      await manager.#migrate(schema);
    } catch (error) {
      await pool.end().catch(() => {});
      throw backendError(error, 'connecting and migrating the lock schema');
    }
    return manager;
  }

  async #migrate(schema: string): Promise<void> {
    const client = await this.#pool.connect();
    try {
      await migrateUp(client, schema, lockMigrations(schema));
      client.release();
    } catch (error) {
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

  /** The arrays the lock functions take: canonical addresses, their encoded paths, and every proper ancestor path. */
  #pathArgs(resources: readonly string[]): { paths: string[]; anc: string[] } {
    const paths: string[] = [];
    // NOTE: '' is the root path, the ancestor of every address: the whole-state lock of a state backend (src/serve)
    // is a row at '', so every resource lock sees it (and takes the root's intention lock shared).
    const anc = new Set<string>(['']);
    for (const r of resources) {
      const p = lockPath(r);
      paths.push(p.encoded);
      for (const a of p.ancestors) anc.add(a);
    }
    return { paths, anc: [...anc] };
  }

  async #tryLock(resources: readonly string[], info: LockInfo, id: string): Promise<LockHandle> {
    const { paths, anc } = this.#pathArgs(resources);
    // NOTE: a conflict whose holder released between the failed insert and the holder query returns no holder
    // rows; the lock is then free, so try again at once (bounded: a busy resource will show a holder).
    for (let attempt = 0; ; attempt++) {
      let rows: { granted: boolean; req_address: string | null; held_address: string | null; held_lock_id: string; held_info: unknown; held_expires: Date }[];
      try {
        rows = (
          await this.#pool.query<(typeof rows)[number]>({
            name: `velocity-lock-${this.#schema}`,
            text: `SELECT * FROM ${this.#schema}.lock_resources($1, $2::text[], $3::text[], $4::text[], $5::uuid, $6::jsonb, $7::float8, $8::boolean)`,
            values: [this.#namespace, resources, paths, anc, id, info, this.#leaseMs, this.#synchronousCommit],
          })
        ).rows;
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        if (code === 'VL001') throw new LockRequestError('LOCK_BAD_OPTION', `lock id ${id} is already in use`, { cause: error });
        // A deadlock can only come from a broken lock order; PostgreSQL rolled back our side: try again.
        if (code === '40P01' && attempt < 3) continue;
        throw backendError(error, 'acquiring');
      }
      const first = rows[0];
      if (first?.granted) return this.#handle(id, resources, paths, anc, info, first.held_expires);
      if (rows.length === 0 && attempt < 3) continue;
      const holders = new Map<string, LockInfo>();
      for (const row of rows) if (!holders.has(row.held_lock_id)) holders.set(row.held_lock_id, lockInfoFromJson(row.held_info));
      const all = [...holders.values()];
      const overlapping = [...new Set(rows.map((r) => r.req_address ?? ''))].sort(byCodeUnit);
      const held = [...new Set(rows.map((r) => r.held_address ?? ''))].sort(byCodeUnit);
      const detail = held.join('\n') === overlapping.join('\n') ? undefined : `held as ${held.slice(0, 5).join(', ')}${held.length > 5 ? ', ...' : ''}`;
      throw new LockConflictError(all[0] ?? lockInfoFromJson({}), overlapping, { holders: all, ...(detail ? { detail } : {}) });
    }
  }

  #handle(id: string, resources: readonly string[], paths: readonly string[], anc: readonly string[], info: LockInfo, expiresAt: Date): LockHandle {
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
        let rows: { renewed_address: string; renewed_expires: Date }[];
        try {
          rows = (
            await manager.#pool.query<{ renewed_address: string; renewed_expires: Date }>({
              name: `velocity-renew-${manager.#schema}`,
              text: `SELECT * FROM ${manager.#schema}.renew_resources($1, $2::text[], $3::text[], $4::text[], $5::uuid, $6::float8)`,
              values: [manager.#namespace, resources, paths, anc, id, manager.#leaseMs],
            })
          ).rows;
        } catch (error) {
          throw backendError(error, 'renewing');
        }
        if (rows.length < resources.length) {
          const kept = new Set(rows.map((r) => r.renewed_address));
          throw new LockLostError(id, resources.filter((r) => !kept.has(r)));
        }
        expiry = rows[0]?.renewed_expires ?? expiry;
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

  /**
   * Renews every row of lock `id` from the table alone (no handle needed: works after the process that took the
   * lock is gone), under the same intention locks as LockHandle.renew. `expected`: the addresses the caller
   * believes it holds; any of them no longer held is reported lost. Returns the new expiry. One round trip plus
   * one read of the namespace's rows. @throws LockLostError (nothing of `id` left, or some of `expected` gone)
   */
  async renewById(id: string, expected?: readonly string[]): Promise<Date> {
    const key = assertLockId(id);
    let rows: { renewed_address: string; renewed_expires: Date }[];
    let want: string[] = [];
    try {
      const held = (await this.#pool.query<{ address: string; path: string }>(`SELECT address, path FROM ${this.#table} WHERE namespace = $1 AND lock_id = $2 ORDER BY address`, [this.#namespace, key])).rows;
      want = expected === undefined ? held.map((r) => r.address) : normalizeResources(expected.filter((a) => a !== '*')).concat(expected.includes('*') ? ['*'] : []);
      if (held.length === 0) throw new LockLostError(key, want);
      const anc = new Set<string>(['']);
      for (const r of held) for (const a of pathAncestors(r.path)) anc.add(a);
      rows = (
        await this.#pool.query<{ renewed_address: string; renewed_expires: Date }>(
          `SELECT * FROM ${this.#schema}.renew_resources($1, $2::text[], $3::text[], $4::text[], $5::uuid, $6::float8)`,
          [this.#namespace, held.map((r) => r.address), held.map((r) => r.path), [...anc], key, this.#leaseMs],
        )
      ).rows;
    } catch (error) {
      throw backendError(error, 'renewing');
    }
    const kept = new Set(rows.map((r) => r.renewed_address));
    const lost = want.filter((a) => !kept.has(a));
    if (lost.length > 0 || rows.length === 0) throw new LockLostError(key, lost);
    return rows[0]?.renewed_expires ?? new Date();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#ownsPool) await this.#pool.end().catch(() => {});
  }
}
