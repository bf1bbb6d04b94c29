// The backend's storage: states as rows in PostgreSQL (see serve-migrations.ts), read back as the v4 document and
// written whole, every write a new version that keeps the previous ones. Guarantees: a write is one transaction
// (all rows of the new version, or nothing); only changed instances and outputs get new rows (a row lives from the
// version that wrote it until the one that replaced it); a read is one snapshot, streamed in batches; the document
// read back equals the one written as a JSON value (object key order and whitespace aside, numbers as decimals, and
// resources and instances in Terraform's own sort order, which is the order Terraform writes them in).

import type pg from 'pg';
import { acknowledgeLockReads, forgetLockReads, recordLockReads } from '../deps/lock-reads.js';
import { PostgresDepsStore } from '../deps/postgres-deps-store.js';
import { lockInfoFromJson, type LockInfo } from '../lock/lock-info.js';
import { ServeError } from './serve-errors.js';
import { PostgresResourceLockManager } from '../lock/postgres-resource-lock-manager.js';
import { liveHolder } from './live-holder.js';
import { checkState } from './state-document.js';
import { insertedRowsSql, KEYED_ROWS_SQL, outputHashSql } from './state-rows-sql.js';
import type { SubgraphRequest } from './subgraph-request.js';
import { writeSubgraph, type SubgraphResult } from './subgraph-write.js';

/** A state's registry row. */
export interface StateSummary {
  readonly guid: string;
  readonly logicId: string;
  readonly createdAt: Date;
  /** 0 until the first write. */
  readonly version: number;
  readonly serial: number | null;
  readonly lineage: string | null;
  readonly updatedAt: Date | null;
  readonly instances: number;
}

/** One entry of a state's history. */
export interface StateVersion {
  readonly version: number;
  readonly serial: number;
  readonly lineage: string;
  readonly terraformVersion: string;
  readonly sizeBytes: number;
  readonly instances: number;
  readonly who: string | null;
  /** `push` (a client's write) or `rollback` (of `sourceVersion`). */
  readonly source: string;
  readonly sourceVersion: number | null;
  readonly createdAt: Date;
}

/** What a write stored. */
export interface WriteResult {
  readonly version: number;
  readonly serial: number;
  /** Instance rows closed and added by this write (unchanged ones are kept as they are). */
  readonly closed: number;
  readonly added: number;
}

export type LockResult = { readonly granted: true; readonly expiresAt: Date } | { readonly granted: false; readonly holder: LockInfo };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LOGIC_ID = /^[A-Za-z0-9][A-Za-z0-9._\/-]{0,127}$/;
const BATCH = 500;

/** Throws ServeError STATE_BAD_GUID unless `guid` is a UUID; returns it lower-cased. O(1). */
export function checkGuid(guid: string): string {
  if (!UUID.test(guid)) throw new ServeError('STATE_BAD_GUID', 400, `not a state guid (a UUID): ${JSON.stringify(guid)}`);
  return guid.toLowerCase();
}

/** Throws ServeError STATE_BAD_LOGIC_ID unless `id` is 1-128 of [A-Za-z0-9._/-], starting alphanumeric. O(1). */
export function checkLogicId(id: string): string {
  if (!LOGIC_ID.test(id)) throw new ServeError('STATE_BAD_LOGIC_ID', 400, `a logic id is 1-128 characters of A-Z a-z 0-9 . _ / -, starting with a letter or digit; got ${JSON.stringify(id)}`);
  return id;
}

/** Rows of states, their versions and their locks in `schema`, through `pool`. */
export class StateStore {
  readonly #pool: pg.Pool;
  readonly #s: string;
  readonly #leaseMs: number;

  /** `schema` must be migrated (locks and serve). `leaseMs`: how long a whole-state lock lives unless renewed by a write. */
  constructor(pool: pg.Pool, schema: string, leaseMs: number) {
    this.#pool = pool;
    this.#s = schema;
    this.#leaseMs = leaseMs;
  }

  get leaseMs(): number {
    return this.#leaseMs;
  }

  /** Registers a state. O(1). @throws ServeError STATE_EXISTS when the guid or the logic id is taken */
  async create(guid: string, logicId: string): Promise<StateSummary> {
    const g = checkGuid(guid);
    checkLogicId(logicId);
    try {
      await this.#pool.query(`INSERT INTO ${this.#s}.states (guid, logic_id) VALUES ($1, $2)`, [g, logicId]);
    } catch (error) {
      if ((error as { code?: string }).code === '23505') throw new ServeError('STATE_EXISTS', 409, `a state with logic id ${JSON.stringify(logicId)} or guid ${g} exists already`);
      throw error;
    }
    return this.get(g);
  }

  #summarySql(where: string): string {
    return `SELECT s.guid, s.logic_id, s.created_at, s.current_version, v.serial, s.lineage, v.created_at AS updated_at, coalesce(v.instance_count, 0) AS instances
              FROM ${this.#s}.states s LEFT JOIN ${this.#s}.state_versions v ON v.state_guid = s.guid AND v.version = s.current_version ${where}`;
  }

  static #summary(r: Record<string, unknown>): StateSummary {
    return {
      guid: r['guid'] as string,
      logicId: r['logic_id'] as string,
      createdAt: r['created_at'] as Date,
      version: Number(r['current_version']),
      serial: r['serial'] === null ? null : Number(r['serial']),
      lineage: (r['lineage'] as string | null) ?? null,
      updatedAt: (r['updated_at'] as Date | null) ?? null,
      instances: Number(r['instances']),
    };
  }

  /** Every state, by logic id. O(states). */
  async list(): Promise<StateSummary[]> {
    const rows = (await this.#pool.query(this.#summarySql('ORDER BY s.logic_id'))).rows as Record<string, unknown>[];
    return rows.map((r) => StateStore.#summary(r));
  }

  /** A state by guid or logic id. O(1). @throws ServeError STATE_NOT_FOUND */
  async get(idOrLogicId: string): Promise<StateSummary> {
    const byGuid = UUID.test(idOrLogicId);
    const rows = (await this.#pool.query(this.#summarySql(byGuid ? 'WHERE s.guid = $1' : 'WHERE s.logic_id = $1'), [byGuid ? idOrLogicId.toLowerCase() : idOrLogicId])).rows as Record<string, unknown>[];
    const row = rows[0];
    if (row === undefined) throw new ServeError('STATE_NOT_FOUND', 404, `no state ${JSON.stringify(idOrLogicId)} on this server (create it with \`velocity state create\`)`);
    return StateStore.#summary(row);
  }

  /**
   * Streams version `version` (default: the current one) of a state as its v4 document to `write`, in batches of
   * rows from one snapshot; `write` returns a promise to apply backpressure. Returns false (nothing written) when the
   * state has no version yet. O(state) time, O(batch) memory.
   */
  async read(guid: string, write: (chunk: string) => void | Promise<void>, version?: number): Promise<boolean> {
    const g = checkGuid(guid);
    const client = await this.#pool.connect();
    let ok = false;
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const st = (await client.query<{ current_version: string }>(`SELECT current_version FROM ${this.#s}.states WHERE guid = $1`, [g])).rows[0];
      if (st === undefined) throw new ServeError('STATE_NOT_FOUND', 404, `no state ${g} on this server (create it with \`velocity state create\`)`);
      const v = version ?? Number(st.current_version);
      if (v === 0) {
        await client.query('COMMIT');
        ok = true;
        return false;
      }
      const head = (
        await client.query<{ serial: string; lineage: string; terraform_version: string; format_version: number; extra: string }>(
          `SELECT serial, lineage, terraform_version, format_version, extra::text AS extra FROM ${this.#s}.state_versions WHERE state_guid = $1 AND version = $2`,
          [g, v],
        )
      ).rows[0];
      if (head === undefined) throw new ServeError('VERSION_NOT_FOUND', 404, `state ${g} has no version ${v}`);
      const live = `state_guid = $1 AND from_version <= $2 AND (to_version IS NULL OR to_version > $2)`;
      const outputs = (await client.query<{ name: string; output: string }>(`SELECT name, output::text AS output FROM ${this.#s}.state_outputs WHERE ${live} ORDER BY name`, [g, v])).rows;
      await write(
        `{"version":${head.format_version},"terraform_version":${JSON.stringify(head.terraform_version)},"serial":${head.serial},"lineage":${JSON.stringify(head.lineage)},` +
          `"outputs":{${outputs.map((o) => `${JSON.stringify(o.name)}:${o.output}`).join(',')}},"resources":[`,
      );
      await client.query(
        `DECLARE velocity_state NO SCROLL CURSOR FOR
           SELECT i.module, i.mode, i.type, i.name, i.each, i.provider, i.resource_extra::text AS extra, i.key_kind,
                  (CASE WHEN i.has_dependencies
                        THEN i.instance || jsonb_build_object('dependencies',
                               (SELECT coalesce(jsonb_agg(d.depends_on ORDER BY d.ordinal), '[]'::jsonb) FROM ${this.#s}.instance_dependencies d WHERE d.instance_id = i.id))
                        ELSE i.instance END)::text AS inst
             FROM ${this.#s}.state_instances i
            WHERE ${live.replaceAll('state_guid', 'i.state_guid').replaceAll('from_version', 'i.from_version').replaceAll('to_version', 'i.to_version')}
            ORDER BY i.module, i.mode, i.type, i.name, i.key_kind, i.key_int, i.key_str, i.deposed`,
        [g, v],
      );
      let current = '';
      let first = true;
      let open = false;
      for (;;) {
        const rows = (await client.query<{ module: string; mode: string; type: string; name: string; each: string | null; provider: string; extra: string | null; key_kind: number; inst: string | null }>(`FETCH ${BATCH} FROM velocity_state`)).rows;
        if (rows.length === 0) break;
        let out = '';
        for (const r of rows) {
          const id = `${r.module}\u0000${r.mode}\u0000${r.type}\u0000${r.name}`;
          if (id !== current) {
            if (open) out += ']}';
            out += first ? '' : ',';
            first = false;
            current = id;
            const extra = r.extra === null || r.extra === '{}' ? '' : `,${r.extra.slice(1, -1)}`;
            out += `{${r.module === '' ? '' : `"module":${JSON.stringify(r.module)},`}"mode":${JSON.stringify(r.mode)},"type":${JSON.stringify(r.type)},"name":${JSON.stringify(r.name)},`;
            out += `${r.each === null ? '' : `"each":${JSON.stringify(r.each)},`}"provider":${JSON.stringify(r.provider)}${extra},"instances":[`;
            open = true;
            if (r.inst !== null) out += r.inst;
          } else if (r.inst !== null) out += `,${r.inst}`;
        }
        await write(out);
      }
      const extra = head.extra === '{}' ? '' : `,${head.extra.slice(1, -1)}`;
      await write(`${open ? ']}' : ''}]${extra}}\n`);
      await client.query('COMMIT');
      ok = true;
      return true;
    } finally {
      if (!ok) await client.query('ROLLBACK').catch(() => {});
      client.release(!ok);
    }
  }

  /**
   * Writes a whole document as the state's next version. `lockId` (Terraform's `?ID=`) must be the holder's when any
   * lock on the state is live; a write by the holder renews its whole-state lease. One transaction. O(state).
   * @throws ServeError 4xx (nothing stored): a bad document, a lineage change, an older serial, a lock held by another
   */
  async write(guid: string, body: Buffer, options: { lockId?: string; source?: string; sourceVersion?: number; parsed?: unknown } = {}): Promise<WriteResult> {
    const g = checkGuid(guid);
    const split = checkState(options.parsed ?? JSON.parse(body.toString('utf8')));
    const lockId = options.lockId === undefined || options.lockId === '' ? undefined : options.lockId;
    if (lockId !== undefined && !UUID.test(lockId)) throw new ServeError('LOCK_ID_MISMATCH', 409, `?ID=${lockId} is not a lock id this server handed out`);
    const client = await this.#pool.connect();
    let ok = false;
    try {
      await client.query('BEGIN');
      const st = (await client.query<{ current_version: string; lineage: string | null }>(`SELECT current_version, lineage FROM ${this.#s}.states WHERE guid = $1 FOR UPDATE`, [g])).rows[0];
      if (st === undefined) throw new ServeError('STATE_NOT_FOUND', 404, `no state ${g} on this server (create it with \`velocity state create\`)`);
      // The root's intention lock, shared: a whole-state LOCK (exclusive on it) waits for this write to commit, so
      // no lock can be granted between the holder check below and the commit.
      await client.query(`SELECT pg_advisory_xact_lock_shared(hashtextextended($1 || chr(31) || $2 || chr(31) || '', 0))`, [this.#s, g]);
      const holder = await liveHolder(client, this.#s, g, lockId);
      if (holder !== undefined) throw new ServeError('STATE_LOCKED', 409, `the state is locked by ${holder.Who || 'someone'} (lock ${holder.ID}); the write${lockId ? ` with lock ${lockId}` : ' without a lock id'} was refused`, { holder });
      if (lockId !== undefined) {
        await client.query(`UPDATE ${this.#s}.resource_locks SET expires_at = now() + $3 * interval '1 millisecond' WHERE namespace = $1 AND lock_id = $2::uuid AND expires_at > now()`, [g, lockId, this.#leaseMs]);
      }
      const cur = Number(st.current_version);
      if (st.lineage !== null && st.lineage !== split.lineage) {
        throw new ServeError('STATE_LINEAGE_MISMATCH', 409, `the state's lineage is ${st.lineage}, the document's ${split.lineage}: a different state cannot replace this one; nothing was stored`);
      }
      if (cur > 0) {
        const serial = Number((await client.query<{ serial: string }>(`SELECT serial FROM ${this.#s}.state_versions WHERE state_guid = $1 AND version = $2`, [g, cur])).rows[0]?.serial ?? 0);
        if (split.serial < serial) throw new ServeError('STATE_SERIAL_STALE', 409, `serial ${split.serial} is older than the stored serial ${serial}; nothing was stored`);
      }
      const v = cur + 1;
      const s = this.#s;
      const counts = (
        await client.query<{ closed: string; added: string; total: string }>(
          `WITH doc AS MATERIALIZED (SELECT $3::jsonb AS d),
           res AS (SELECT r FROM doc, jsonb_array_elements(coalesce(doc.d->'resources', '[]'::jsonb)) AS r),
           ${KEYED_ROWS_SQL},
           closed AS (
             UPDATE ${s}.state_instances c SET to_version = $2
              WHERE c.state_guid = $1 AND c.to_version IS NULL
                AND NOT EXISTS (SELECT 1 FROM keyed n WHERE n.k = c.k AND n.h = c.content_hash)
             RETURNING 1),
           ${insertedRowsSql(s)},
           outs AS (SELECT o.key AS name, o.value AS output, ${outputHashSql('o.value')} AS h FROM doc, jsonb_each(coalesce(doc.d->'outputs', '{}'::jsonb)) AS o),
           closed_outputs AS (
             UPDATE ${s}.state_outputs c SET to_version = $2
              WHERE c.state_guid = $1 AND c.to_version IS NULL AND NOT EXISTS (SELECT 1 FROM outs n WHERE n.name = c.name AND n.h = c.content_hash)
             RETURNING 1),
           added_outputs AS (
             INSERT INTO ${s}.state_outputs (state_guid, from_version, name, content_hash, output)
             SELECT $1, $2, n.name, n.h, n.output FROM outs n
              WHERE NOT EXISTS (SELECT 1 FROM ${s}.state_outputs c WHERE c.state_guid = $1 AND c.to_version IS NULL AND c.name = n.name AND c.content_hash = n.h)
             RETURNING 1)
           SELECT (SELECT count(*) FROM closed) AS closed, (SELECT count(*) FROM added) AS added, (SELECT count(*) FROM keyed) AS total,
                  (SELECT count(*) FROM deps) AS deps, (SELECT count(*) FROM closed_outputs) + (SELECT count(*) FROM added_outputs) AS outputs`,
          [g, v, body.toString('utf8')],
        )
      ).rows[0];
      const who = lockId === undefined ? null : ((await client.query<{ who: string }>(`SELECT info->>'Who' AS who FROM ${s}.resource_locks WHERE namespace = $1 AND lock_id = $2::uuid LIMIT 1`, [g, lockId])).rows[0]?.who ?? null);
      await client.query(
        `INSERT INTO ${s}.state_versions (state_guid, version, serial, lineage, terraform_version, format_version, extra, size_bytes, instance_count, lock_id, who, source, source_version)
         VALUES ($1, $2, $3, $4, $5, $6, ($7::jsonb) - ARRAY['version', 'terraform_version', 'serial', 'lineage', 'outputs', 'resources'], $8, $9, $10, $11, $12, $13)`,
        [g, v, split.serial, split.lineage, split.terraformVersion, split.formatVersion, body.toString('utf8'), body.length, Number(counts?.total ?? 0), lockId ?? null, who, options.source ?? 'push', options.sourceVersion ?? null],
      );
      await client.query(`UPDATE ${s}.states SET current_version = $2, lineage = $3 WHERE guid = $1`, [g, v, split.lineage]);
      if (lockId !== undefined) await acknowledgeLockReads(client, s, g, lockId.toLowerCase());
      await client.query('COMMIT');
      ok = true;
      return { version: v, serial: split.serial, closed: Number(counts?.closed ?? 0), added: Number(counts?.added ?? 0) };
    } catch (error) {
      const code = (error as { code?: string }).code;
      // 22P05: a \\u0000 in a string, which jsonb cannot hold; 22003: an index key out of range.
      if (code === '22P05' || code === '22003' || code === '22P02') throw new ServeError('STATE_NOT_A_STATE', 400, `the state cannot be stored: ${(error as Error).message}; nothing was stored`, { cause: error });
      throw error;
    } finally {
      if (!ok) await client.query('ROLLBACK').catch(() => {});
      client.release();
    }
  }

  /** Every version of a state, oldest first. O(versions). */
  async history(idOrLogicId: string): Promise<StateVersion[]> {
    const st = await this.get(idOrLogicId);
    const rows = (
      await this.#pool.query(
        `SELECT version, serial, lineage, terraform_version, size_bytes, instance_count, who, source, source_version, created_at
           FROM ${this.#s}.state_versions WHERE state_guid = $1 ORDER BY version`,
        [st.guid],
      )
    ).rows as Record<string, unknown>[];
    return rows.map((r) => ({
      version: Number(r['version']),
      serial: Number(r['serial']),
      lineage: r['lineage'] as string,
      terraformVersion: r['terraform_version'] as string,
      sizeBytes: Number(r['size_bytes']),
      instances: Number(r['instance_count']),
      who: (r['who'] as string | null) ?? null,
      source: r['source'] as string,
      sourceVersion: r['source_version'] === null ? null : Number(r['source_version']),
      createdAt: r['created_at'] as Date,
    }));
  }

  /**
   * Makes the newest version with serial `serial` current again, as a NEW version (serial = current + 1, lineage
   * unchanged): nothing is lost. Refused while another client holds a lock on the state. O(state).
   * @throws ServeError VERSION_NOT_FOUND, STATE_LOCKED
   */
  async rollback(idOrLogicId: string, serial: number): Promise<WriteResult> {
    const st = await this.get(idOrLogicId);
    const target = (await this.#pool.query<{ version: string }>(`SELECT max(version) AS version FROM ${this.#s}.state_versions WHERE state_guid = $1 AND serial = $2`, [st.guid, serial])).rows[0];
    if (target?.version === null || target === undefined) throw new ServeError('VERSION_NOT_FOUND', 404, `state ${st.logicId} has no version with serial ${serial}`);
    let text = '';
    await this.read(st.guid, (c) => void (text += c), Number(target.version));
    const next = (st.serial ?? 0) + 1;
    const doc = JSON.parse(text) as Record<string, unknown>;
    doc['serial'] = next;
    // NOTE: the text read back is patched, not re-serialised: JSON.parse would round numbers beyond double precision.
    const patched = text.replace(/^(\{"version":\d+,"terraform_version":"(?:[^"\\]|\\.)*","serial":)\d+/, `$1${next}`);
    return this.write(st.guid, Buffer.from(patched), { source: 'rollback', sourceVersion: Number(target.version), parsed: doc });
  }

  /**
   * Takes (or, for its own id, renews) the whole-state lock, for `leaseMs` (default: the store's whole-state lease).
   * One round trip. O(locks of the state).
   */
  async lock(guid: string, info: LockInfo, leaseMs: number = this.#leaseMs): Promise<LockResult> {
    const g = checkGuid(guid);
    await this.get(g);
    const rows = (
      await this.#pool.query<{ granted: boolean; held_info: unknown; held_expires: Date }>(`SELECT * FROM ${this.#s}.lock_state($1, $2::uuid, $3::jsonb, $4::float8)`, [g, info.ID, info, leaseMs])
    ).rows;
    const r = rows[0];
    if (r?.granted) {
      await recordLockReads(this.#pool, this.#s, g, info.ID.toLowerCase(), info);
      return { granted: true, expiresAt: r.held_expires };
    }
    return { granted: false, holder: lockInfoFromJson(r?.held_info) };
  }

  /**
   * Releases the whole-state lock: with `id`, only when it is the holder's (nothing held: done); without (Terraform's
   * force-unlock sends no body), whoever holds it. O(1).
   * @throws ServeError LOCK_ID_MISMATCH (409) with the holder
   */
  async unlock(guid: string, id: string | undefined): Promise<{ released: boolean }> {
    const g = checkGuid(guid);
    await this.get(g);
    if (id === undefined) {
      const r = await this.#pool.query(`DELETE FROM ${this.#s}.resource_locks WHERE namespace = $1 AND path = ''`, [g]);
      return { released: (r.rowCount ?? 0) > 0 };
    }
    const held = (await this.#pool.query<{ lock_id: string; info: unknown }>(`SELECT lock_id, info FROM ${this.#s}.resource_locks WHERE namespace = $1 AND path = '' AND expires_at > now()`, [g])).rows[0];
    if (held !== undefined && held.lock_id !== id.toLowerCase()) {
      const holder = lockInfoFromJson(held.info);
      throw new ServeError('LOCK_ID_MISMATCH', 409, `the state is locked by ${holder.ID}, not ${id}`, { holder });
    }
    const r = await this.#pool.query(`DELETE FROM ${this.#s}.resource_locks WHERE namespace = $1 AND path = '' AND lock_id = $2::uuid`, [g, id.toLowerCase()]);
    await forgetLockReads(this.#pool, this.#s, id.toLowerCase());
    return { released: (r.rowCount ?? 0) > 0 };
  }

  /**
   * Lock `lockId` (resource locks) was granted on `guid`: for an apply, what it will have read of the state's producers
   * is recorded, so its writes acknowledge them (src/deps/lock-reads.ts). O(incoming edges).
   */
  async lockGranted(guid: string, lockId: string, info: LockInfo): Promise<void> {
    await recordLockReads(this.#pool, this.#s, checkGuid(guid), lockId.toLowerCase(), info);
  }

  /** Lock `lockId` was released: its records of the producers go. O(its records). */
  async lockReleased(lockId: string): Promise<void> {
    await forgetLockReads(this.#pool, this.#s, lockId.toLowerCase());
  }

  /** The dependency graph of this server's states (state_edges). O(1). */
  deps(): PostgresDepsStore {
    return new PostgresDepsStore(this.#pool, this.#s);
  }

  /**
   * The resource locks of state `guid` (namespace = its guid) as a lock manager on this store's pool, granting
   * leases of `leaseMs`; its close() leaves the pool open. O(1).
   */
  resourceLocks(guid: string, leaseMs: number): PostgresResourceLockManager {
    return PostgresResourceLockManager.onPool(this.#pool, { schema: this.#s, namespace: checkGuid(guid), leaseMs });
  }

  /**
   * A subgraph write by the holder of lock `lockId` (see subgraph-write.ts), renewing the lock's rows for `leaseMs`.
   * One transaction. O(cone + rows changed since the base version).
   * @throws ServeError 4xx (nothing stored)
   */
  async writeSubgraph(guid: string, lockId: string, request: SubgraphRequest, leaseMs: number): Promise<SubgraphResult> {
    const g = checkGuid(guid);
    if (!UUID.test(lockId)) throw new ServeError('SUBGRAPH_REQUEST_INVALID', 400, `?ID=${JSON.stringify(lockId)} is not a lock id (a UUID); nothing was stored`);
    return writeSubgraph(this.#pool, this.#s, g, lockId.toLowerCase(), request, leaseMs);
  }
}
