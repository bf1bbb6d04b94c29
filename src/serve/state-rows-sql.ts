// THE split of v4 resources[] entries into state_instances rows, as SQL shared by the whole write and the subgraph
// write (state-store.ts): one row per instance object (current or deposed), or per entry without instances, with
// its key `k` and its `content_hash`. Guarantees: both writes compute the same `k` and hash for the same instance,
// so a row written by one is kept (shared, not rewritten) by a later write of the other when it did not change.

/**
 * CTEs `inst`, `inc`, `keyed` over a CTE `res (r)` of resources[] entries that the caller defines before them;
 * `keyed` has the row columns plus `k`, `h` (the content hash), `deps` (jsonb array) and `has_dependencies`.
 * O(rows) in the server.
 */
export const KEYED_ROWS_SQL = `inst AS (SELECT res.r, i.inst FROM res LEFT JOIN LATERAL jsonb_array_elements(res.r->'instances') AS i(inst) ON true),
           inc AS (
             SELECT coalesce(r->>'module', '') AS module, r->>'mode' AS mode, r->>'type' AS type, r->>'name' AS name, r->>'each' AS each, r->>'provider' AS provider,
                    nullif(r - ARRAY['module', 'mode', 'type', 'name', 'each', 'provider', 'instances'], '{}'::jsonb) AS resource_extra,
                    CASE WHEN inst IS NULL THEN -1 WHEN jsonb_typeof(inst->'index_key') = 'number' THEN 1 WHEN jsonb_typeof(inst->'index_key') = 'string' THEN 2 ELSE 0 END AS key_kind,
                    CASE WHEN jsonb_typeof(inst->'index_key') = 'number' THEN (inst->>'index_key')::numeric::bigint END AS key_int,
                    CASE WHEN jsonb_typeof(inst->'index_key') = 'string' THEN inst->>'index_key' END AS key_str,
                    coalesce(inst->>'deposed', '') AS deposed,
                    inst - 'dependencies' AS instance,
                    coalesce(inst->'dependencies', '[]'::jsonb) AS deps,
                    coalesce(inst ? 'dependencies', false) AS has_dependencies
               FROM inst),
           keyed AS (
             SELECT inc.*, ${rowKeySql('module', 'mode', 'type', 'name', 'key_kind', 'coalesce(to_jsonb(key_int), to_jsonb(key_str))', 'deposed')} AS k,
                    sha256(convert_to(jsonb_build_array(each, provider, resource_extra, instance, deps, has_dependencies)::text, 'UTF8')) AS h
               FROM inc)`;

/**
 * CTEs `added` (the `keyed` rows no current row of state $1 has with the same k and hash, inserted from version $2;
 * RETURNING id, k) and `deps` (their dependency edges, in order). `current`: a relation of (at least) the current
 * rows with a key of `keyed` (columns k, content_hash); default: every current row of the state. O(rows added + current) in the server.
 */
export function insertedRowsSql(s: string, current = `(SELECT k, content_hash FROM ${s}.state_instances WHERE state_guid = $1 AND to_version IS NULL)`): string {
  return `added AS (
             INSERT INTO ${s}.state_instances (state_guid, from_version, k, content_hash, module, mode, type, name, each, provider, resource_extra, key_kind, key_int, key_str, deposed, instance, has_dependencies)
             SELECT $1, $2, n.k, n.h, n.module, n.mode, n.type, n.name, n.each, n.provider, n.resource_extra, n.key_kind, n.key_int, n.key_str, n.deposed, n.instance, n.has_dependencies
               FROM keyed n
              WHERE NOT EXISTS (SELECT 1 FROM ${current} c WHERE c.k = n.k AND c.content_hash = n.h)
             RETURNING id, k),
           deps AS (
             INSERT INTO ${s}.instance_dependencies (instance_id, ordinal, depends_on)
             SELECT a.id, d.o, d.v FROM added a JOIN keyed n ON n.k = a.k, jsonb_array_elements_text(n.deps) WITH ORDINALITY AS d(v, o)
             RETURNING 1)`;
}

/** The content hash of a root output row, over the SQL jsonb expression `value` (`{"value", "type", ...}`). */
export function outputHashSql(value: string): string {
  return `sha256(convert_to((${value})::text, 'UTF8'))`;
}

/**
 * The row key `k` of SQL expressions (module, mode, type, name, key kind, key as jsonb, deposed): a jsonb array as
 * text, so every row of an entry (or of one key of it) shares a prefix: see keyPrefixSql.
 */
export function rowKeySql(module: string, mode: string, type: string, name: string, kind: string, key: string, deposed: string): string {
  return `jsonb_build_array(${module}, ${mode}, ${type}, ${name}, ${kind}, ${key}, ${deposed})::text`;
}

/**
 * The prefix of `k` shared by exactly the rows of an entry (`parts` = module, mode, type, name) or of one key of it
 * (plus key kind and key as jsonb): the array's text without its `]`, then `, `. Every k with this prefix sorts in
 * [prefix, prefix with its last space raised to `!`) under COLLATE "C", so the current-rows index finds them by range.
 */
export function keyPrefixSql(...parts: readonly string[]): string {
  return `(left(jsonb_build_array(${parts.join(', ')})::text, -1) || ', ')`;
}
