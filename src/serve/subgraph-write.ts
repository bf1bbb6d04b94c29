// A subgraph write (`POST /tfstate/{guid}/subgraph?ID=`): replaces the rows of the entries and outputs a
// sub-workspace owns with its applied ones, as the state's next version, under resource locks. Guarantees: one
// transaction (the states row FOR UPDATE), all or nothing; only rows of the owned scope and rows changed since the
// base version are read (O(cone + rows changed since base), never the whole state); rows are split and hashed by the
// SQL of the whole write (state-rows-sql.ts), so unchanged rows stay and a later whole write shares them; every row
// closed or inserted and every output changed lies inside a live lock path of the writer's lock, and nothing the
// writer holds or read changed after its base, else nothing is written.

import type pg from 'pg';
import { acknowledgeLockReads } from '../deps/lock-reads.js';
import { lockInfoFromJson } from '../lock/lock-info.js';
import { formatKey } from '../state/address.js';
import { lockPath } from '../lock/lock-path.js';
import { liveHolder } from './live-holder.js';
import { ServeError } from './serve-errors.js';
import type { SubgraphRequest } from './subgraph-request.js';
import { insertedRowsSql, KEYED_ROWS_SQL, keyPrefixSql, outputHashSql } from './state-rows-sql.js';

/** What a subgraph write stored (or, with check_only, would build on). */
export type SubgraphResult =
  | { readonly version: number; readonly serial: number; readonly closed: number; readonly added: number }
  | { readonly version: number; readonly serial: number; readonly ok: true };

/** The identity columns of a state_instances row. */
interface RowId {
  readonly module: string;
  readonly mode: string;
  readonly type: string;
  readonly name: string;
  readonly key_kind: number;
  readonly key_int: string | null;
  readonly key_str: string | null;
}

const SEP = '\u001f';
const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The address Terraform prints for a row (an entry without instances: the resource). O(length). */
function rowAddress(r: RowId): string {
  const key = r.key_kind === 1 ? formatKey(Number(r.key_int)) : r.key_kind === 2 ? formatKey(r.key_str ?? '') : '';
  const local = `${r.mode === 'data' ? 'data.' : ''}${r.type}.${r.name}${key}`;
  return r.module === '' ? local : `${r.module}.${local}`;
}

/** The encoded lock path of `output.NAME` (a root output is held by a lock on that address). */
const outputPath = (name: string): string => `output.${name}${SEP}`;

/** Every prefix of an encoded path ending at a separator, itself included; '' (the root) first. O(length). */
function prefixes(path: string): string[] {
  const out = [''];
  for (let i = path.indexOf(SEP); i >= 0; i = path.indexOf(SEP, i + 1)) out.push(path.slice(0, i + 1));
  return out;
}

/** True when `path` lies inside one of `held` (a prefix of it, the root '' included). O(depth). */
function inside(path: string, held: ReadonlySet<string>): boolean {
  return prefixes(path).some((p) => held.has(p));
}

/** Paths and their ancestors, for overlap tests: P overlaps the set when a prefix of P is in it or P is an ancestor of a member. */
class Overlap {
  readonly #paths: ReadonlySet<string>;
  readonly #ancestors = new Set<string>();
  constructor(paths: Iterable<string>) {
    this.#paths = new Set(paths);
    for (const p of this.#paths) for (const a of prefixes(p)) if (a !== p) this.#ancestors.add(a);
  }
  has(path: string): boolean {
    return this.#ancestors.has(path) || inside(path, this.#paths);
  }
}

/**
 * The newer of two Terraform versions (`1.11.4`, `1.12.0-beta1`): a state holding rows a newer binary wrote keeps
 * saying so. Not both `X.Y.Z`: the sub-state's. O(1).
 */
function newerVersion(state: string, sub: string): string {
  const parse = (v: string): number[] | undefined => /^(\d+)\.(\d+)\.(\d+)/.exec(v)?.slice(1).map(Number);
  const a = parse(state);
  const b = parse(sub);
  if (a === undefined || b === undefined) return sub;
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return (a[i] ?? 0) > (b[i] ?? 0) ? state : sub;
  return sub;
}

function pathOf(r: RowId): string {
  return lockPath(rowAddress(r)).encoded;
}

/**
 * Runs a checked subgraph write on state `guid` for lock `lockId`; `leaseMs` renews the lock's rows. O(cone + rows
 * changed since the base version + locks of the state).
 * @throws ServeError STATE_NOT_FOUND, STATE_LINEAGE_MISMATCH, STATE_LOCKED, LOCK_NOT_HELD, SUBGRAPH_NOT_HELD, STATE_MOVED (nothing written)
 */
export async function writeSubgraph(pool: pg.Pool, s: string, guid: string, lockId: string, req: SubgraphRequest, leaseMs: number): Promise<SubgraphResult> {
  const client = await pool.connect();
  let ok = false;
  try {
    await client.query('BEGIN');
    const st = (await client.query<{ current_version: string; lineage: string | null }>(`SELECT current_version, lineage FROM ${s}.states WHERE guid = $1 FOR UPDATE`, [guid])).rows[0];
    if (st === undefined) throw new ServeError('STATE_NOT_FOUND', 404, `no state ${guid} on this server (create it with \`velocity state create\`)`);
    if (st.lineage !== req.lineage) {
      throw new ServeError('STATE_LINEAGE_MISMATCH', 409, `the state's lineage is ${st.lineage ?? '(none: never written)'}, the sub-state's ${req.lineage}; nothing was stored`);
    }
    // The lock: its live rows, renewed under the same intention locks as an acquisition, held until the commit, so
    // no overlapping lock can be granted (nor an expired row of ours taken over) while this write runs.
    const live = (await client.query<{ address: string; path: string; info: unknown }>(`SELECT address, path, info FROM ${s}.resource_locks WHERE namespace = $1 AND lock_id = $2::uuid AND expires_at > now()`, [guid, lockId])).rows;
    if (live.length === 0) {
      const holder = await liveHolder(client, s, guid, lockId);
      if (holder !== undefined) throw new ServeError('STATE_LOCKED', 409, `lock ${lockId} is not held; the state is locked by ${holder.Who || 'someone'} (lock ${holder.ID}); nothing was stored`, { holder });
      throw new ServeError('LOCK_NOT_HELD', 409, `lock ${lockId} holds nothing live on this state (released, expired or never taken); nothing was stored`);
    }
    const anc = new Set<string>(['']);
    for (const r of live) for (const a of prefixes(r.path)) if (a !== r.path) anc.add(a);
    const renewed = (
      await client.query<{ renewed_address: string }>(`SELECT * FROM ${s}.renew_resources($1, $2::text[], $3::text[], $4::text[], $5::uuid, $6::float8)`, [guid, live.map((r) => r.address), live.map((r) => r.path), [...anc], lockId, leaseMs])
    ).rows;
    const kept = new Set(renewed.map((r) => r.renewed_address));
    const held = new Set(live.filter((r) => kept.has(r.address)).map((r) => r.path));
    if (held.size === 0) throw new ServeError('LOCK_NOT_HELD', 409, `lock ${lockId} was taken over; nothing was stored`);
    const who = lockInfoFromJson(live[0]?.info).Who || null;

    const cur = Number(st.current_version);
    const head = (await client.query<{ serial: string; terraform_version: string }>(`SELECT serial, terraform_version FROM ${s}.state_versions WHERE state_guid = $1 AND version = $2`, [guid, cur])).rows[0];
    const serial = Number(head?.serial ?? 0);
    // Serials only grow with versions: the newest version with serial <= base is found walking back from the head.
    const base = (
      await client.query<{ version: string; serial: string }>(`SELECT version, serial FROM ${s}.state_versions WHERE state_guid = $1 AND serial <= $2 ORDER BY version DESC LIMIT 1`, [guid, req.baseSerial])
    ).rows[0];
    if (base === undefined || Number(base.serial) !== req.baseSerial) {
      throw new ServeError('STATE_MOVED', 409, `no version of the state has serial ${req.baseSerial} (the current serial is ${serial}); plan again; nothing was stored`, {
        detail: { addresses: [], base_serial: req.baseSerial, serial },
      });
    }
    const baseVersion = Number(base.version);

    // What changed after the base: rows opened or closed by a later version (by index), outputs likewise.
    const movedRows = (
      await client.query<RowId>(
        `SELECT module, mode, type, name, key_kind, key_int, key_str FROM ${s}.state_instances WHERE state_guid = $1 AND from_version > $2
         UNION SELECT module, mode, type, name, key_kind, key_int, key_str FROM ${s}.state_instances WHERE state_guid = $1 AND to_version > $2`,
        [guid, baseVersion],
      )
    ).rows;
    const movedOutputs = (
      await client.query<{ name: string }>(
        `SELECT name FROM ${s}.state_outputs WHERE state_guid = $1 AND from_version > $2 UNION SELECT name FROM ${s}.state_outputs WHERE state_guid = $1 AND to_version > $2`,
        [guid, baseVersion],
      )
    ).rows;
    const watched = new Overlap([...held, ...req.readPaths]);
    const ownedOutputs = new Set(req.owned.outputs);
    const moved = new Set<string>();
    for (const r of movedRows) if (watched.has(pathOf(r))) moved.add(rowAddress(r));
    for (const o of movedOutputs) if (ownedOutputs.has(o.name) || watched.has(outputPath(o.name))) moved.add(`output.${o.name}`);

    const v = cur + 1;
    const kindOf = `CASE WHEN jsonb_typeof(kv) = 'number' THEN 1 ELSE 2 END`;
    const keyOf = `CASE WHEN jsonb_typeof(kv) = 'number' THEN to_jsonb((kv #>> '{}')::numeric::bigint) ELSE kv END`;
    const changes = (
      await client.query<RowId & { op: 'closed' | 'added' | 'output'; size: string | null }>(
        `WITH doc AS MATERIALIZED (SELECT $3::jsonb AS d),
         owned AS (SELECT coalesce(e->>'module', '') AS module, e->>'mode' AS mode, e->>'type' AS type, e->>'name' AS name, e->'keys' AS keys
                     FROM doc, jsonb_array_elements(doc.d->'owned'->'resources') AS e),
         -- An entry owned for some keys only is merged instance by instance: its body entry adds no instance-less row.
         res AS (SELECT r FROM doc, jsonb_array_elements(coalesce(doc.d->'resources', '[]'::jsonb)) AS r
                  WHERE jsonb_array_length(r->'instances') > 0
                     OR NOT EXISTS (SELECT 1 FROM owned o WHERE o.keys IS NOT NULL AND o.module = coalesce(r->>'module', '') AND o.mode = r->>'mode' AND o.type = r->>'type' AND o.name = r->>'name')),
         ${KEYED_ROWS_SQL},
         -- The replaced scope, as prefixes of the row key: whole owned entries; owned keys of partly owned ones and
         -- their instance-less row; every key the body writes (its deposed objects included).
         prefixes AS (
           SELECT ${keyPrefixSql('o.module', 'o.mode', 'o.type', 'o.name')} AS p FROM owned o WHERE o.keys IS NULL
           UNION SELECT ${keyPrefixSql('o.module', 'o.mode', 'o.type', 'o.name', kindOf, keyOf)} FROM owned o, jsonb_array_elements(o.keys) AS kv WHERE o.keys IS NOT NULL
           UNION SELECT ${keyPrefixSql('o.module', 'o.mode', 'o.type', 'o.name', '-1', 'NULL::jsonb')} FROM owned o WHERE o.keys IS NOT NULL
           UNION SELECT ${keyPrefixSql('n.module', 'n.mode', 'n.type', 'n.name', 'n.key_kind', 'coalesce(to_jsonb(n.key_int), to_jsonb(n.key_str))')} FROM keyed n),
         -- NOTE: LATERAL ... OFFSET 0 keeps each prefix a range probe of the current-rows index: a join the planner
         -- could flatten might hash the whole state instead (as it does when the table's statistics are stale).
         scope AS MATERIALIZED (
           SELECT DISTINCT c.id, c.k, c.content_hash FROM prefixes p CROSS JOIN LATERAL (
             SELECT c.id, c.k, c.content_hash FROM ${s}.state_instances c
              WHERE c.state_guid = $1 AND c.to_version IS NULL AND c.k >= p.p COLLATE "C" AND c.k < (left(p.p, -1) || '!') COLLATE "C" OFFSET 0) c),
         closed AS (
           UPDATE ${s}.state_instances c SET to_version = $2 FROM scope x
            WHERE c.id = x.id AND NOT EXISTS (SELECT 1 FROM keyed n WHERE n.k = x.k AND n.h = x.content_hash)
           RETURNING c.module, c.mode, c.type, c.name, c.key_kind, c.key_int, c.key_str, octet_length(c.instance::text) AS size),
         ${insertedRowsSql(s, 'scope')},
         oouts AS (SELECT jsonb_array_elements_text(coalesce(doc.d->'owned'->'outputs', '[]'::jsonb)) AS name FROM doc),
         outs AS (SELECT o.key AS name, o.value AS output, ${outputHashSql('o.value')} AS h FROM doc, jsonb_each(coalesce(doc.d->'outputs', '{}'::jsonb)) AS o),
         oscope AS MATERIALIZED (
           SELECT c.id, c.name, c.content_hash FROM oouts o CROSS JOIN LATERAL (
             SELECT c.id, c.name, c.content_hash FROM ${s}.state_outputs c WHERE c.state_guid = $1 AND c.to_version IS NULL AND c.name = o.name OFFSET 0) c),
         closed_outputs AS (
           UPDATE ${s}.state_outputs c SET to_version = $2 FROM oscope x
            WHERE c.id = x.id AND NOT EXISTS (SELECT 1 FROM outs n WHERE n.name = x.name AND n.h = x.content_hash)
           RETURNING c.name),
         added_outputs AS (
           INSERT INTO ${s}.state_outputs (state_guid, from_version, name, content_hash, output)
           SELECT $1, $2, n.name, n.h, n.output FROM outs n
            WHERE NOT EXISTS (SELECT 1 FROM oscope c WHERE c.name = n.name AND c.content_hash = n.h)
           RETURNING name)
         SELECT 'closed' AS op, module, mode, type, name, key_kind, key_int, key_str, size::text FROM closed
         UNION ALL SELECT 'added', n.module, n.mode, n.type, n.name, n.key_kind, n.key_int, n.key_str, octet_length(n.instance::text)::text FROM added a JOIN keyed n ON n.k = a.k
         UNION ALL SELECT 'output', name, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM closed_outputs
         UNION ALL SELECT 'output', name, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM added_outputs`,
        [guid, v, req.text],
      )
    ).rows;

    const notHeld = new Set<string>();
    const heldOverlap = new Overlap(held);
    let closed = 0;
    let added = 0;
    let sizeDelta = 0;
    for (const c of changes) {
      if (c.op === 'output') {
        if (!inside(outputPath(c.module), held)) notHeld.add(`output.${c.module}`);
        continue;
      }
      if (c.op === 'closed') closed++;
      else added++;
      sizeDelta += (c.op === 'closed' ? -1 : 1) * Number(c.size ?? 0);
      // NOTE: an entry's instance-less row holds no instance: it comes and goes with the entry's last instance, so
      // a lock on any instance of the entry (or around it) holds it.
      const ok = c.key_kind === -1 ? heldOverlap.has(pathOf(c)) : inside(pathOf(c), held);
      if (!ok) notHeld.add(rowAddress(c));
    }
    if (notHeld.size > 0) {
      const addresses = [...notHeld].sort(byCodeUnit);
      throw new ServeError('SUBGRAPH_NOT_HELD', 409, `lock ${lockId} does not hold ${addresses.slice(0, 5).join(', ')}${addresses.length > 5 ? `, ... (${addresses.length} in all)` : ''}; nothing was stored`, { detail: { addresses } });
    }
    if (moved.size > 0) {
      const addresses = [...moved].sort(byCodeUnit);
      throw new ServeError('STATE_MOVED', 409, `the state changed after serial ${req.baseSerial} (now ${serial}) at ${addresses.slice(0, 5).join(', ')}${addresses.length > 5 ? `, ... (${addresses.length} in all)` : ''}: plan again; nothing was stored`, {
        detail: { addresses, base_serial: req.baseSerial, serial },
      });
    }
    if (req.checkOnly) {
      await client.query('ROLLBACK');
      ok = true;
      return { version: cur, serial, ok: true };
    }
    // NOTE: size_bytes of a subgraph version is the previous size plus the change in instance text: an estimate.
    await client.query(
      `INSERT INTO ${s}.state_versions (state_guid, version, serial, lineage, terraform_version, format_version, extra, size_bytes, instance_count, lock_id, who, source, source_version)
       SELECT $1, $2, p.serial + 1, p.lineage, $4, p.format_version, p.extra, greatest(0, p.size_bytes + $5), p.instance_count + $6, $7::uuid, $8, 'subgraph', NULL
         FROM ${s}.state_versions p WHERE p.state_guid = $1 AND p.version = $3`,
      [guid, v, cur, newerVersion(head?.terraform_version ?? '', req.terraformVersion), sizeDelta, added - closed, lockId, who],
    );
    await client.query(`UPDATE ${s}.states SET current_version = $2 WHERE guid = $1`, [guid, v]);
    await acknowledgeLockReads(client, s, guid, lockId);
    await client.query('COMMIT');
    ok = true;
    return { version: v, serial: serial + 1, closed, added };
  } catch (error) {
    const code = (error as { code?: string }).code;
    // 22P05: a \\u0000 in a string, which jsonb cannot hold; 22003: an index key out of range.
    if (code === '22P05' || code === '22003' || code === '22P02') throw new ServeError('SUBGRAPH_REQUEST_INVALID', 400, `the sub-state cannot be stored: ${(error as Error).message}; nothing was stored`, { cause: error });
    throw error;
  } finally {
    if (!ok) await client.query('ROLLBACK').catch(() => {});
    client.release();
  }
}
