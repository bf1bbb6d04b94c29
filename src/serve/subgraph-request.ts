// Checks the body of a subgraph write (`POST /tfstate/{guid}/subgraph`, see README.md) before anything is read from
// the database. Guarantees: a request that passes has a lineage, a whole base serial, owned entries and outputs of the
// right shapes, resources[] entries a v4 state could hold (each one owned), owned outputs only, and `read` addresses
// that place in the lock hierarchy; every refusal is ServeError SUBGRAPH_REQUEST_INVALID (400).

import type { ResourceEntryKey, SubStateOwnership } from '../inject/sub-workspace-manifest.js';
import { lockPath } from '../lock/lock-path.js';
import { ServeError } from './serve-errors.js';
import { checkState } from './state-document.js';

/** A checked subgraph write. The body's text is kept: the rows are split from it in SQL (numbers keep their text). */
export interface SubgraphRequest {
  readonly lineage: string;
  readonly baseSerial: number;
  readonly terraformVersion: string;
  readonly owned: SubStateOwnership;
  /** Encoded lock paths (lock-path.ts) of the `read` addresses. */
  readonly readPaths: readonly string[];
  readonly checkOnly: boolean;
  /** The body as received: `resources`, `outputs` and `owned` are read from it by the database. */
  readonly text: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function invalid(message: string): ServeError {
  return new ServeError('SUBGRAPH_REQUEST_INVALID', 400, `bad subgraph write: ${message}; nothing was stored`);
}

const entryId = (module: string, mode: string, type: string, name: string): string => JSON.stringify([module, mode, type, name]);

function ownedEntry(v: unknown, i: number): ResourceEntryKey {
  if (!isObject(v)) throw invalid(`owned.resources[${i}] is not an object`);
  const { module = '', mode, type, name, keys } = v;
  if (typeof module !== 'string' || (mode !== 'managed' && mode !== 'data') || typeof type !== 'string' || type === '' || typeof name !== 'string' || name === '') {
    throw invalid(`owned.resources[${i}] needs "module" (string), "mode" (managed|data), "type" and "name"`);
  }
  if (module !== '') {
    try {
      lockPath(`${module}.${type}.${name}`);
    } catch (error) {
      throw invalid(`owned.resources[${i}].module ${JSON.stringify(module)} is not a module instance path (${(error as Error).message})`);
    }
  }
  if (keys === undefined) return { module, mode, type, name };
  if (!Array.isArray(keys) || !keys.every((k) => typeof k === 'string' || (typeof k === 'number' && Number.isSafeInteger(k)))) {
    throw invalid(`owned.resources[${i}].keys is not a list of string or whole-number keys`);
  }
  return { module, mode, type, name, keys: keys as (string | number)[] };
}

/** Parses and checks a subgraph write's body. O(body). @throws ServeError SUBGRAPH_REQUEST_INVALID */
export function parseSubgraphRequest(body: Buffer): SubgraphRequest {
  const text = body.toString('utf8');
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw invalid(`the body is not JSON (${(error as Error).message})`);
  }
  if (!isObject(doc)) throw invalid('the body is not a JSON object');
  const { lineage, base_serial: baseSerial, terraform_version: tfv, owned, resources = [], outputs = {}, read = [], check_only: checkOnly = false } = doc;
  if (typeof lineage !== 'string' || lineage === '') throw invalid('"lineage" is not a non-empty string');
  if (typeof baseSerial !== 'number' || !Number.isSafeInteger(baseSerial) || baseSerial < 0) throw invalid('"base_serial" is not a whole number >= 0');
  if (typeof tfv !== 'string' || tfv === '') throw invalid('"terraform_version" is not a non-empty string');
  if (typeof checkOnly !== 'boolean') throw invalid('"check_only" is not a boolean');
  if (!isObject(owned) || !Array.isArray(owned['resources']) || !Array.isArray(owned['outputs'] ?? [])) throw invalid('"owned" is not {"resources": [...], "outputs": [...]}');
  const ownedResources = (owned['resources'] as unknown[]).map(ownedEntry);
  const ownedOutputs = (owned['outputs'] ?? []) as unknown[];
  if (!ownedOutputs.every((o) => typeof o === 'string' && o !== '')) throw invalid('owned.outputs is not a list of output names');
  const ownedIds = new Set(ownedResources.map((r) => entryId(r.module, r.mode, r.type, r.name)));
  if (ownedIds.size !== ownedResources.length) throw invalid('an entry appears twice in owned.resources');
  if (!Array.isArray(resources)) throw invalid('"resources" is not an array');
  if (!isObject(outputs)) throw invalid('"outputs" is not an object');
  try {
    checkState({ version: 4, terraform_version: tfv, serial: baseSerial, lineage, outputs, resources });
  } catch (error) {
    if (error instanceof ServeError) throw invalid(error.message.replace(/; nothing was stored$/, ''));
    throw error;
  }
  resources.forEach((r: Record<string, unknown>, i) => {
    const id = entryId((r['module'] as string | undefined) ?? '', r['mode'] as string, r['type'] as string, r['name'] as string);
    if (!ownedIds.has(id)) throw invalid(`resources[${i}] (${id}) is not among the owned entries`);
  });
  const names = new Set(ownedOutputs as string[]);
  for (const name of Object.keys(outputs)) {
    if (!names.has(name)) throw invalid(`output ${JSON.stringify(name)} is not among the owned outputs`);
    if (!isObject(outputs[name]) || !('value' in (outputs[name] as object))) throw invalid(`output ${JSON.stringify(name)} is not {"value", "type", ...}`);
  }
  if (!Array.isArray(read) || !read.every((a) => typeof a === 'string')) throw invalid('"read" is not a list of addresses');
  const readPaths = (read as string[]).map((a) => {
    try {
      return lockPath(a).encoded;
    } catch (error) {
      throw invalid(`read address ${JSON.stringify(a)} is not a resource or module address (${(error as Error).message})`);
    }
  });
  return { lineage, baseSerial, terraformVersion: tfv, owned: { resources: ownedResources, outputs: ownedOutputs as string[] }, readPaths, checkOnly, text };
}
