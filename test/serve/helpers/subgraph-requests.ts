// Test support for velocity's own endpoints of the state backend: resource locks (`/tfstate/{guid}/locks`), subgraph
// writes (`/tfstate/{guid}/subgraph`), a v4 state with root, counted, keyed and module entries to write them over,
// and the state's current rows as SQL sees them.
import { randomUUID } from 'node:crypto';
import { sql } from '../../lock/helpers/pg-test-schema.js';
import type { Entry as MergeEntry, StateDoc as MergeStateDoc } from '../../support/merge-states.js';
import { foreignLockInfo, raw, type RawAnswer, type ServeFixture } from './serve-fixture.js';

/** A resources[] entry (the merge tests' shape, plus `each`). */
export interface Entry extends MergeEntry {
  each?: string;
}

/** A v4 state document of such entries. */
export type StateDoc = Omit<MergeStateDoc, 'resources' | 'check_results'> & { resources: Entry[] };

const PROVIDER = 'provider["terraform.io/builtin/terraform"]';

/** A terraform_data instance whose input and output are `value`. */
export function dataInstance(value: string, key?: string | number, dependencies?: string[]): Record<string, unknown> {
  return {
    ...(key === undefined ? {} : { index_key: key }),
    schema_version: 0,
    attributes: { id: `id-${value}`, input: { value, type: 'string' }, output: { value, type: 'string' }, triggers_replace: null },
    sensitive_attributes: [],
    ...(dependencies ? { dependencies } : {}),
  };
}

/** A root entry `terraform_data.NAME` (or in `module`) with instances of `values` (keys: none, count or for_each). */
export function entry(name: string, values: readonly (readonly [string | number | undefined, string])[], module?: string): Entry {
  const keyed = values.some(([k]) => typeof k === 'string');
  return {
    ...(module ? { module } : {}),
    mode: 'managed',
    type: 'terraform_data',
    name,
    ...(keyed ? { each: 'map' } : values.some(([k]) => typeof k === 'number') ? { each: 'list' } : {}),
    provider: PROVIDER,
    instances: values.map(([k, v]) => dataInstance(v, k)),
  };
}

/** A state in Terraform's order: [0] a, [1] b (depends on a), [2] m["x","y"], [3] n[0..1], [4] module.mod["k"].terraform_data.z; output "a". */
export function sampleState(lineage = randomUUID(), serial = 1): StateDoc {
  return {
    version: 4,
    terraform_version: '1.11.4',
    serial,
    lineage,
    outputs: { a: { value: 'alpha', type: 'string' } },
    resources: [
      entry('a', [[undefined, 'alpha']]),
      { ...entry('b', [[undefined, 'beta']]), instances: [dataInstance('beta', undefined, ['terraform_data.a'])] },
      entry('m', [['x', 'mx'], ['y', 'my']]),
      entry('n', [[0, 'n0'], [1, 'n1']]),
      entry('z', [[undefined, 'zed']], 'module.mod["k"]'),
    ],
  };
}

/** Writes `doc` whole, as a plain client would. */
export async function pushWhole(fx: ServeFixture, guid: string, doc: StateDoc, lockId?: string): Promise<RawAnswer> {
  return raw(fx, 'POST', `/tfstate/${guid}${lockId ? `?ID=${lockId}` : ''}`, JSON.stringify(doc));
}

/** Takes a resource lock (or `["*"]`) through the API; `id` defaults to a fresh UUID. */
export async function takeLock(fx: ServeFixture, guid: string, resources: readonly string[], who = 'velocity@worker', id: string = randomUUID()): Promise<RawAnswer> {
  return raw(fx, 'POST', `/tfstate/${guid}/locks`, JSON.stringify({ info: foreignLockInfo(id, who), resources }));
}

/** The body of a subgraph write. */
export interface SubgraphBody {
  lineage: string;
  base_serial: number;
  terraform_version?: string;
  owned: { resources: { module?: string; mode: 'managed' | 'data'; type: string; name: string; keys?: (string | number)[] }[]; outputs: string[] };
  resources: Entry[];
  outputs?: StateDoc['outputs'];
  read?: string[];
  check_only?: boolean;
}

/** POST /tfstate/{guid}/subgraph?ID=id. */
export async function writeSubgraph(fx: ServeFixture, guid: string, id: string, body: SubgraphBody): Promise<RawAnswer> {
  return raw(fx, 'POST', `/tfstate/${guid}/subgraph?ID=${id}`, JSON.stringify({ terraform_version: '1.11.4', outputs: {}, read: [], ...body }));
}

/** The current document as JSON. */
export async function currentDoc(fx: ServeFixture, guid: string): Promise<StateDoc> {
  const r = await raw(fx, 'GET', `/tfstate/${guid}`);
  if (r.status !== 200) throw new Error(`GET ${guid}: ${r.status} ${r.text}`);
  return r.json as unknown as StateDoc;
}

/** Every current instance row: k -> [id, from_version]. */
export async function currentRows(fx: ServeFixture, guid: string): Promise<Map<string, [number, number]>> {
  const rows = await sql<{ id: string; k: string; from_version: string }>(fx.pgUrl, `SELECT id, k, from_version FROM ${fx.schema}.state_instances WHERE state_guid = $1 AND to_version IS NULL`, [guid]);
  return new Map(rows.map((r) => [r.k, [Number(r.id), Number(r.from_version)]]));
}

/** A new state holding `doc` (written whole), and its guid. */
export async function seededState(fx: ServeFixture, doc: StateDoc): Promise<string> {
  const guid = await fx.newState();
  const w = await pushWhole(fx, guid, doc);
  if (w.status !== 200) throw new Error(`seeding: ${w.status} ${w.text}`);
  return guid;
}
