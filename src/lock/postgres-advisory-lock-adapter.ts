// Terraform's `pg` backend lock, taken exactly as Terraform takes it: a session-level advisory lock on the id of the
// workspace's row in `<schema>.states` (plus the creation lock -1 for a moment, or held when the row does not exist
// yet). Velocity and `terraform` with `backend "pg"` on the same database and schema therefore exclude each other.
// The lock lives as long as the database session: a holder that dies releases it with its connection.

import type pg from 'pg';
import { LockBackendError, LockConflictError, LockNotHeldError } from './lock-errors.js';
import { lockInfoFromJson, type LockInfo } from './lock-info.js';
import type { GlobalLease, GlobalLockAdapter } from './global-lock-adapter.js';

/** The pg backend's settings, named as in Terraform's `backend "pg"` block. */
export interface PostgresAdvisoryLockAdapterOptions {
  /** `conn_str`. */
  readonly connectionString: string;
  /** `schema_name`. @default 'terraform_remote_state' */
  readonly schemaName?: string;
  /** The workspace (row name in `states`). @default 'default' */
  readonly workspace?: string;
  /** @default 5000 */
  readonly connectTimeoutMs?: number;
}

const SCHEMA = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const CREATE_KEY = '-1';
const VELOCITY_APP = /^velocity ([0-9a-f-]{36})$/;

/** Locks held by this process, by id: their full LockInfo and release function. */
const heldHere = new Map<string, { info: LockInfo; release: () => Promise<void> }>();

/** Terraform's pg-backend lock on one workspace. */
export class PostgresAdvisoryLockAdapter implements GlobalLockAdapter {
  readonly backend = 'pg';
  readonly path: string;
  readonly #o: PostgresAdvisoryLockAdapterOptions;
  readonly #schema: string;
  readonly #workspace: string;

  constructor(options: PostgresAdvisoryLockAdapterOptions) {
    this.#schema = options.schemaName ?? 'terraform_remote_state';
    if (!SCHEMA.test(this.#schema)) throw new LockBackendError('pg', `schema_name ${JSON.stringify(this.#schema)} is not a plain identifier`, { code: 'LOCK_BACKEND_PROTOCOL' });
    this.#workspace = options.workspace ?? 'default';
    this.#o = options;
    this.path = `${this.#schema}.states/${this.#workspace}`;
  }

  async #connect(applicationName: string): Promise<pg.Client> {
    const { default: pgModule } = await import('pg');
    const client = new pgModule.Client({ connectionString: this.#o.connectionString, application_name: applicationName, connectionTimeoutMillis: this.#o.connectTimeoutMs ?? 5000 });
    client.on('error', () => {});
    try {
      await client.connect();
    } catch (error) {
      await client.end().catch(() => {});
      throw new LockBackendError('pg', `cannot connect: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    return client;
  }

  /** The workspace row's id, or undefined when the row (or the whole table) does not exist yet. */
  async #rowId(client: pg.Client): Promise<string | undefined> {
    try {
      const r = await client.query<{ id: string }>(`SELECT id::text AS id FROM ${this.#schema}.states WHERE name = $1`, [this.#workspace]);
      return r.rows[0]?.id;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === '42P01' || code === '3F000') return undefined; // table or schema missing: nothing created yet
      throw error;
    }
  }

  /** Who holds advisory lock `key` in this database, from pg_locks + pg_stat_activity. */
  async #holderOf(client: pg.Client, key: string): Promise<LockInfo | undefined> {
    const r = await client.query<{ pid: number; usename: string | null; application_name: string; addr: string | null; backend_start: Date | null }>(
      `SELECT a.pid, a.usename, a.application_name, host(a.client_addr) AS addr, a.backend_start
         FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
          AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
          AND l.classid::bigint = (($1::bigint >> 32) & 4294967295) AND l.objid::bigint = ($1::bigint & 4294967295)
          AND a.pid <> pg_backend_pid()
        LIMIT 1`,
      [key],
    );
    const row = r.rows[0];
    if (!row) return undefined;
    const velocityId = VELOCITY_APP.exec(row.application_name)?.[1];
    const local = velocityId ? heldHere.get(velocityId)?.info : undefined;
    if (local) return local;
    return {
      ...lockInfoFromJson({}),
      ID: velocityId ?? '',
      Who: `${row.usename ?? 'unknown'}@${row.addr ?? 'local socket'}`,
      Info: `PostgreSQL session pid ${row.pid}${row.application_name ? `, application "${row.application_name}"` : ''} holds advisory lock ${key} (the pg backend records no LockInfo)`,
      Created: row.backend_start ? row.backend_start.toISOString() : '',
      Path: `${this.path} (advisory lock ${key})`,
    };
  }

  async #conflict(client: pg.Client, key: string): Promise<never> {
    const holder = (await this.#holderOf(client, key).catch(() => undefined)) ?? { ...lockInfoFromJson({}), Path: `${this.path} (advisory lock ${key})` };
    throw new LockConflictError(holder, [], { detail: `advisory lock ${key}` });
  }

  async tryAcquire(info: LockInfo): Promise<GlobalLease> {
    const client = await this.#connect(`velocity ${info.ID}`);
    let key: string;
    try {
      const id = await this.#rowId(client);
      if (id === undefined) {
        // No workspace yet: hold the creation lock, as Terraform does.
        const r = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(-1) AS ok');
        if (!r.rows[0]?.ok) await this.#conflict(client, CREATE_KEY);
        key = CREATE_KEY;
      } else {
        const r = await client.query<{ ok: boolean; create: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS ok, pg_try_advisory_lock(-1) AS create', [id]);
        const row = r.rows[0];
        if (!row?.ok) {
          if (row?.create) await client.query('SELECT pg_advisory_unlock(-1)');
          await this.#conflict(client, id);
        }
        if (!row?.create) {
          await client.query('SELECT pg_advisory_unlock($1::bigint)', [id]);
          await this.#conflict(client, CREATE_KEY);
        }
        await client.query('SELECT pg_advisory_unlock(-1)');
        key = id;
      }
    } catch (error) {
      await client.end().catch(() => {});
      if (error instanceof LockConflictError || error instanceof LockBackendError) throw error;
      throw new LockBackendError('pg', `locking ${this.path} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    let released = false;
    const release = async (): Promise<void> => {
      if (released) return;
      released = true;
      heldHere.delete(info.ID);
      // Ending the session releases its advisory locks even if the unlock call fails (e.g. the server restarted).
      await client.query('SELECT pg_advisory_unlock($1::bigint)', [key]).catch(() => {});
      await client.end().catch(() => {});
    };
    heldHere.set(info.ID, { info: { ...info, Path: `${info.Path} (advisory lock ${key})` }, release });
    return { expiresAt: undefined, release };
  }

  async inspect(): Promise<LockInfo | undefined> {
    const client = await this.#connect('velocity locks');
    try {
      const id = await this.#rowId(client);
      return (id === undefined ? undefined : await this.#holderOf(client, id)) ?? (await this.#holderOf(client, CREATE_KEY));
    } catch (error) {
      throw new LockBackendError('pg', `inspecting ${this.path} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    } finally {
      await client.end().catch(() => {});
    }
  }

  async forceRelease(id: string): Promise<void> {
    const mine = heldHere.get(id);
    if (mine) return mine.release();
    const holder = await this.inspect();
    throw new LockNotHeldError(
      id,
      holder?.ID === id
        ? `held by another PostgreSQL session (${holder.Info}); it ends when that session does`
        : 'no such lock is held on this workspace',
    );
  }

  async close(): Promise<void> {}
}
