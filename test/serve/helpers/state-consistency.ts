// Test support for fault tests: what is wrong with a state's rows after a crash, straight from the tables. A
// consistent state has versions 1..n with current_version = n, every version's instance_count equal to its live
// instance rows, and no instance or output row that starts or ends after the current version (a half-written one).
import { sql } from '../../lock/helpers/pg-test-schema.js';

/** The problems found (empty: consistent), each a sentence naming the rows. O(versions × rows). */
export async function stateProblems(pgUrl: string, schema: string, guid: string): Promise<string[]> {
  const problems: string[] = [];
  const st = (await sql<{ current_version: string }>(pgUrl, `SELECT current_version FROM ${schema}.states WHERE guid = $1`, [guid]))[0];
  if (st === undefined) return [`no state ${guid}`];
  const current = Number(st.current_version);
  const versions = await sql<{ version: string; instance_count: string; live: string }>(
    pgUrl,
    `SELECT v.version, v.instance_count,
            (SELECT count(*) FROM ${schema}.state_instances i
              WHERE i.state_guid = v.state_guid AND i.from_version <= v.version AND (i.to_version IS NULL OR i.to_version > v.version)) AS live
       FROM ${schema}.state_versions v WHERE v.state_guid = $1 ORDER BY v.version`,
    [guid],
  );
  versions.forEach((v, i) => {
    if (Number(v.version) !== i + 1) problems.push(`version ${v.version} at position ${i + 1}: the versions are not 1..n`);
    if (v.instance_count !== v.live) problems.push(`version ${v.version}: instance_count ${v.instance_count}, live instance rows ${v.live}`);
  });
  if (current !== versions.length) problems.push(`current_version ${current}, but ${versions.length} version rows`);
  for (const table of ['state_instances', 'state_outputs']) {
    const stray = await sql<{ n: string }>(pgUrl, `SELECT count(*) AS n FROM ${schema}.${table} WHERE state_guid = $1 AND (from_version > $2 OR to_version > $2 OR to_version <= from_version)`, [guid, current]);
    if (Number(stray[0]?.n) > 0) problems.push(`${stray[0]?.n} ${table} rows outside versions 1..${current}`);
  }
  return problems;
}
