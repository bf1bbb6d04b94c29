// Splits a pushed v4 tfstate document into the rows the backend stores (one per resource instance, deposed object
// or instance-less resource entry; one per output; the rest of the top level), refusing anything Terraform would not
// read back. Guarantees: the rows hold every key of the document, so rebuilding them (state-store.ts) gives the same
// JSON value up to object key order and whitespace.

import { createHash } from 'node:crypto';
import { ServeError } from './serve-errors.js';

/** One row of `state_instances`, before it has a version. */
export interface InstanceRow {
  /** Identity within a version: module, mode, type, name, key and deposed key. */
  readonly k: string;
  /** sha256 of everything else: a row is rewritten only when this changes. */
  readonly h: string;
  readonly module: string;
  readonly mode: string;
  readonly type: string;
  readonly name: string;
  readonly each: string | null;
  readonly provider: string;
  readonly resource_extra: Record<string, unknown> | null;
  /** 0 no key, 1 int key, 2 string key, -1 a resource entry with no instances. */
  readonly key_kind: number;
  readonly key_int: number | null;
  readonly key_str: string | null;
  readonly deposed: string;
  /** The instance object without `dependencies`; null for an instance-less entry. */
  readonly instance: Record<string, unknown> | null;
  readonly deps: readonly string[];
  readonly has_dependencies: boolean;
}

export interface OutputRow {
  readonly name: string;
  readonly h: string;
  readonly output: unknown;
}

/** A pushed document, split. */
export interface SplitState {
  readonly formatVersion: number;
  readonly terraformVersion: string;
  readonly serial: number;
  readonly lineage: string;
  /** Top-level keys other than version, terraform_version, serial, lineage, outputs, resources. */
  readonly extra: Record<string, unknown>;
  readonly instances: readonly InstanceRow[];
  readonly outputs: readonly OutputRow[];
}

const RESOURCE_KEYS = new Set(['module', 'mode', 'type', 'name', 'each', 'provider', 'instances']);
const TOP_KEYS = new Set(['version', 'terraform_version', 'serial', 'lineage', 'outputs', 'resources']);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const hash = (v: unknown): string => createHash('sha256').update(JSON.stringify(v)).digest('hex');

function notAState(message: string): ServeError {
  return new ServeError('STATE_NOT_A_STATE', 400, `not a Terraform state: ${message}; nothing was stored`);
}

/** Parses the body bytes as JSON: truncated and malformed input are told apart. O(size). */
export function parseStateBody(body: Buffer): unknown {
  const text = body.toString('utf8');
  if (text.trim() === '') throw notAState('the body is empty');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const msg = error instanceof Error ? error.message : String(error);
    if (/Unexpected end of JSON input|Unterminated string|end of data/i.test(msg)) {
      throw new ServeError('STATE_TRUNCATED', 400, `the state is cut short (${msg}); nothing was stored`, { cause: error });
    }
    throw new ServeError('STATE_NOT_JSON', 400, `the body is not JSON (${msg}); nothing was stored`, { cause: error });
  }
}

/** Validates a parsed document and splits it into rows. O(size). @throws ServeError (400) */
export function splitState(doc: unknown): SplitState {
  if (!isObject(doc)) throw notAState('the body is not a JSON object');
  if (!('version' in doc)) throw notAState('no "version" field');
  if (doc['version'] !== 4) {
    throw new ServeError('STATE_VERSION_UNSUPPORTED', 400, `state format version ${JSON.stringify(doc['version'])}: this backend stores version 4 (upgrade a v3 state with Terraform 0.12 or newer); nothing was stored`);
  }
  const { terraform_version: tfv, serial, lineage, outputs = {}, resources = [] } = doc;
  if (typeof tfv !== 'string') throw notAState('"terraform_version" is not a string');
  if (typeof serial !== 'number' || !Number.isSafeInteger(serial) || serial < 0) throw notAState('"serial" is not a whole number >= 0');
  if (typeof lineage !== 'string' || lineage === '') throw notAState('"lineage" is not a non-empty string');
  if (!isObject(outputs)) throw notAState('"outputs" is not an object');
  if (!Array.isArray(resources)) throw notAState('"resources" is not an array');
  const extra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(doc)) if (!TOP_KEYS.has(k)) extra[k] = v;
  const instances: InstanceRow[] = [];
  const seen = new Set<string>();
  resources.forEach((r, i) => {
    if (!isObject(r)) throw notAState(`resources[${i}] is not an object`);
    const { module = '', mode, type, name, each = null, provider, instances: list } = r;
    if (typeof module !== 'string' || typeof type !== 'string' || typeof name !== 'string' || typeof provider !== 'string' || (mode !== 'managed' && mode !== 'data')) {
      throw notAState(`resources[${i}] lacks module/mode/type/name/provider of the right types`);
    }
    if (each !== null && typeof each !== 'string') throw notAState(`resources[${i}].each is not a string`);
    if (!Array.isArray(list)) throw notAState(`resources[${i}].instances is not an array`);
    let resourceExtra: Record<string, unknown> | null = null;
    for (const [k, v] of Object.entries(r)) if (!RESOURCE_KEYS.has(k)) (resourceExtra ??= {})[k] = v;
    // NOTE: `module: ""` and `each: null` are stored as absent, which Terraform reads the same way (and writes).
    const base = { module, mode, type, name, each: each as string | null, provider, resource_extra: resourceExtra };
    const push = (row: Omit<InstanceRow, 'k' | 'h'>): void => {
      const k = JSON.stringify([row.module, row.mode, row.type, row.name, row.key_kind, row.key_int ?? row.key_str, row.deposed]);
      if (seen.has(k)) throw new ServeError('STATE_DUPLICATE_INSTANCE', 400, `an instance of ${mode === 'data' ? 'data.' : ''}${type}.${name} in ${module || 'the root module'} appears twice; nothing was stored`);
      seen.add(k);
      const h = hash([row.each, row.provider, row.resource_extra, row.instance, row.deps, row.has_dependencies]);
      instances.push({ ...row, k, h });
    };
    if (list.length === 0) {
      push({ ...base, key_kind: -1, key_int: null, key_str: null, deposed: '', instance: null, deps: [], has_dependencies: false });
      return;
    }
    list.forEach((inst, j) => {
      if (!isObject(inst)) throw notAState(`resources[${i}].instances[${j}] is not an object`);
      const key = inst['index_key'];
      let keyKind = 0;
      let keyInt: number | null = null;
      let keyStr: string | null = null;
      if (typeof key === 'string') {
        keyKind = 2;
        keyStr = key;
      } else if (typeof key === 'number' && Number.isSafeInteger(key)) {
        keyKind = 1;
        keyInt = key;
      } else if (key !== undefined) throw notAState(`resources[${i}].instances[${j}].index_key is neither a string nor a whole number`);
      const deposed = inst['deposed'];
      if (deposed !== undefined && typeof deposed !== 'string') throw notAState(`resources[${i}].instances[${j}].deposed is not a string`);
      const { dependencies, ...rest } = inst;
      if (dependencies !== undefined && (!Array.isArray(dependencies) || !dependencies.every((d) => typeof d === 'string'))) {
        throw notAState(`resources[${i}].instances[${j}].dependencies is not a list of addresses`);
      }
      push({
        ...base,
        key_kind: keyKind,
        key_int: keyInt,
        key_str: keyStr,
        deposed: deposed ?? '',
        instance: rest,
        deps: (dependencies as string[] | undefined) ?? [],
        has_dependencies: dependencies !== undefined,
      });
    });
  });
  const outputRows: OutputRow[] = Object.entries(outputs).map(([name, output]) => ({ name, h: hash(output), output }));
  return { formatVersion: 4, terraformVersion: tfv, serial, lineage, extra, instances, outputs: outputRows };
}

/** The resource entry of a group of rows (one resource), as Terraform writes it. O(rows). */
export function resourceEntry(first: Pick<InstanceRow, 'module' | 'mode' | 'type' | 'name' | 'each' | 'provider' | 'resource_extra'>, instances: unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const extra = first.resource_extra ?? {};
  if (first.module !== '') out['module'] = first.module;
  out['mode'] = first.mode;
  out['type'] = first.type;
  out['name'] = first.name;
  if (first.each !== null) out['each'] = first.each;
  out['provider'] = first.provider;
  for (const [k, v] of Object.entries(extra)) out[k] = v;
  out['instances'] = instances;
  return out;
}
