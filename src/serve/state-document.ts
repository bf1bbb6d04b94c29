// Checks a pushed v4 tfstate document before the backend stores it (the split into rows is SQL, in state-store.ts,
// so numbers keep their exact decimal text): refuses anything Terraform would not read back, with a typed code.
// Guarantees: a document that passes has version 4, a lineage, a whole serial, resources of known modes with
// whole-number or string index keys, and no instance twice.

import { ServeError } from './serve-errors.js';

/** The header of a checked document. */
export interface CheckedState {
  readonly formatVersion: 4;
  readonly terraformVersion: string;
  readonly serial: number;
  readonly lineage: string;
  /** Instance objects (current and deposed), plus one per resource entry without instances. */
  readonly instances: number;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function notAState(message: string): ServeError {
  return new ServeError('STATE_NOT_A_STATE', 400, `not a Terraform state: ${message}; nothing was stored`);
}

/** Parses the body bytes as JSON: truncated and malformed input are told apart. O(size). @throws ServeError (400) */
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

/** Checks a parsed document. O(size). @throws ServeError (400) */
export function checkState(doc: unknown): CheckedState {
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
  const seen = new Set<string>();
  let count = 0;
  resources.forEach((r, i) => {
    if (!isObject(r)) throw notAState(`resources[${i}] is not an object`);
    const { module = '', mode, type, name, each = null, provider, instances } = r;
    if (typeof module !== 'string' || typeof type !== 'string' || typeof name !== 'string' || typeof provider !== 'string' || (mode !== 'managed' && mode !== 'data')) {
      throw notAState(`resources[${i}] lacks module/mode/type/name/provider of the right types`);
    }
    if (each !== null && typeof each !== 'string') throw notAState(`resources[${i}].each is not a string`);
    if (!Array.isArray(instances)) throw notAState(`resources[${i}].instances is not an array`);
    const where = `${mode === 'data' ? 'data.' : ''}${type}.${name} in ${module || 'the root module'}`;
    const once = (k: string): void => {
      if (seen.has(k)) throw new ServeError('STATE_DUPLICATE_INSTANCE', 400, `an instance of ${where} appears twice; nothing was stored`);
      seen.add(k);
      count++;
    };
    if (instances.length === 0) once(JSON.stringify([module, mode, type, name, 'none']));
    instances.forEach((inst, j) => {
      if (!isObject(inst)) throw notAState(`resources[${i}].instances[${j}] is not an object`);
      const key = inst['index_key'];
      if (key !== undefined && typeof key !== 'string' && !(typeof key === 'number' && Number.isSafeInteger(key))) {
        throw notAState(`resources[${i}].instances[${j}].index_key is neither a string nor a whole number`);
      }
      const deposed = inst['deposed'];
      if (deposed !== undefined && typeof deposed !== 'string') throw notAState(`resources[${i}].instances[${j}].deposed is not a string`);
      const deps = inst['dependencies'];
      if (deps !== undefined && (!Array.isArray(deps) || !deps.every((d) => typeof d === 'string'))) {
        throw notAState(`resources[${i}].instances[${j}].dependencies is not a list of addresses`);
      }
      once(JSON.stringify([module, mode, type, name, key ?? null, deposed ?? '']));
    });
  });
  return { formatVersion: 4, terraformVersion: tfv, serial, lineage, instances: count };
}
