// Reads a tfstate v4 held in memory (Buffer or string) into a LoadedState: meta plus one InstanceRecord per
// resource instance. Every way a file can fail to be a v4 state ends in a typed error, never a TypeError.
// For files too large for one string (over ~512 MB) use the streaming scanner instead; the records are identical.

import { StateParseError, UnsupportedStateVersionError } from '../errors.js';
import { formatKey } from './address.js';
import type { IndexKey, InstanceRecord, LoadedState, StateMeta } from './instance-record.js';

const GIT_CRYPT_MAGIC = Buffer.from('\0GITCRYPT\0', 'latin1');

/**
 * Recognises bytes that cannot be a JSON state from their first 4 KB: git-crypt/age/gpg encryption, gzip, zip,
 * anything with NUL bytes. Shared by every reader so they classify alike. O(1).
 */
export function sniffNonJson(head: Uint8Array, source: string): StateParseError | null {
  const starts = (magic: Uint8Array) => head.length >= magic.length && magic.every((b, i) => head[i] === b);
  if (starts(GIT_CRYPT_MAGIC) || starts(Buffer.from('age-encryption.org/', 'latin1')) || starts(Buffer.from('-----BEGIN PGP', 'latin1'))) {
    return new StateParseError('STATE_ENCRYPTED', `${source} is encrypted (git-crypt, age or PGP): decrypt it before reading`);
  }
  const gzip = head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
  const zip = head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;
  let nul = false;
  for (let i = 0; i < Math.min(head.length, 4096) && !nul; i++) nul = head[i] === 0;
  if (gzip || zip || nul) {
    return new StateParseError('STATE_BINARY', `${source} is binary data, not a JSON state${gzip || zip ? ' (compressed: decompress it first)' : ''}`);
  }
  return null;
}

/**
 * Classifies a JSON.parse failure: an error at the very end of the input means the document was cut short
 * (truncated); an error anywhere else means the bytes are not JSON.
 */
function jsonFailure(text: string, error: unknown, source: string): StateParseError {
  const message = error instanceof Error ? error.message : String(error);
  const at = /position (\d+)/.exec(message);
  const position = at ? Number(at[1]) : undefined;
  const end = text.trimEnd().length;
  const startsLikeJson = /^\s*[[{]/.test(text);
  if (startsLikeJson && (/end of JSON input/.test(message) || (position !== undefined && position >= end))) {
    return new StateParseError('STATE_TRUNCATED', `${source} ends in the middle of the JSON document after ${end} bytes: the file is truncated`, { offset: end, cause: error });
  }
  return new StateParseError(
    'STATE_NOT_JSON',
    `${source} is not valid JSON${position !== undefined ? ` (syntax error at byte ${position})` : ''}: a tfstate is a JSON document`,
    { ...(position !== undefined ? { offset: position } : {}), cause: error },
  );
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function notAState(source: string, why: string): StateParseError {
  return new StateParseError('STATE_NOT_A_STATE', `${source} is JSON but not a Terraform state: ${why}`);
}

/** Validates the top-level document and returns its meta. Shared by the in-memory and streaming readers. */
export function checkStateHeader(doc: Record<string, unknown>, source: string): StateMeta {
  if ('encrypted_data' in doc || 'encryption_version' in doc) {
    throw new StateParseError('STATE_ENCRYPTED', `${source} is an encrypted OpenTofu state: decrypt it first (\`tofu state pull\` with the encryption key configured)`);
  }
  const version = doc['version'];
  if (typeof version !== 'number' || !Number.isInteger(version)) {
    throw notAState(source, 'it has no integer "version" field');
  }
  if (version !== 4) throw new UnsupportedStateVersionError(version);
  const lineage = doc['lineage'];
  const serial = doc['serial'];
  const terraformVersion = doc['terraform_version'];
  const outputs = doc['outputs'];
  return {
    version: 4,
    terraformVersion: typeof terraformVersion === 'string' ? terraformVersion : '',
    serial: typeof serial === 'number' ? serial : 0,
    lineage: typeof lineage === 'string' ? lineage : '',
    outputs: isObject(outputs) ? outputs : {},
  };
}

function stringList(v: unknown): string[] {
  return Array.isArray(v) ? (v as string[]) : [];
}

/** The typed error for an instance address held twice; names the address. */
export function duplicateInstance(source: string, address: string): StateParseError {
  return new StateParseError('STATE_DUPLICATE_INSTANCE', `${source}: instance ${address} appears more than once (Terraform refuses this state: "Duplicate resource instance in state")`);
}

/** Whether `v` is a key Terraform accepts: a string, or an integer (JSON numbers Terraform reads as whole). */
export function isValidIndexKey(v: unknown): v is IndexKey {
  return typeof v === 'string' || (typeof v === 'number' && Number.isSafeInteger(v));
}

/** A field Terraform decodes as a string: absent, null (Go's zero value) or a string. */
const stringOrAbsent = (v: unknown): boolean => v === undefined || v === null || typeof v === 'string';

/** `dependencies` as Terraform decodes it: absent or null (none), else an array of strings only. */
function isDependencyList(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (!Array.isArray(v)) return false;
  for (const d of v) if (typeof d !== 'string') return false;
  return true;
}

/** The resource's address as Terraform prints it in messages: `module.m["k"].data.t.n`. */
function resourceAddressOf(module: string, mode: string, type: string, name: string): string {
  return `${module === '' ? '' : `${module}.`}${mode === 'data' ? 'data.' : ''}${type}.${name}`;
}

/**
 * An instance's address for a message. NOTE: formatted only when an error is raised: the checks run for every
 * instance of every counted resource, and formatting a key costs a regular expression.
 */
function instanceAddress(resource: string, key: unknown): string {
  return key === undefined || key === null ? resource : resource + formatKey(key as IndexKey);
}

function badIndexKey(source: string, resource: string, key: unknown): StateParseError {
  const shown = key === undefined ? 'undefined' : JSON.stringify(key);
  return new StateParseError('STATE_BAD_INDEX_KEY', `${source}: ${resource} has an instance with the invalid index key ${shown}: Terraform accepts only a string or a whole number`);
}

/**
 * Checks the fields a resource instance's record is built from, as Terraform's state decoder does, and
 * throws the typed error it would raise. Shared by both readers (and the streaming fast path) so they agree.
 * O(dependencies). @throws StateParseError (STATE_BAD_INDEX_KEY, STATE_NOT_A_STATE)
 */
function checkInstanceFields(inst: Record<string, unknown>, resource: string, source: string): void {
  const k = inst['index_key'];
  if (k !== undefined && k !== null && !isValidIndexKey(k)) throw badIndexKey(source, resource, k);
  if (!stringOrAbsent(inst['status'])) throw notAState(source, `"status" of ${instanceAddress(resource, k)} is not a string`);
  if (!stringOrAbsent(inst['deposed'])) throw notAState(source, `"deposed" of ${instanceAddress(resource, k)} is not a string`);
  if (!isDependencyList(inst['dependencies'])) throw notAState(source, `"dependencies" of ${instanceAddress(resource, k)} is not a list of resource address strings`);
}

/**
 * Turns one `resources[]` entry into instance records: one per distinct index key, with deposed objects
 * folded into their instance. Shared by both readers so they cannot disagree. O(instances of the resource).
 * @throws StateParseError: STATE_NOT_A_STATE for fields of the wrong type, STATE_BAD_INDEX_KEY, and
 * STATE_DUPLICATE_INSTANCE for two current objects (or two deposed objects with one deposed key) of one instance.
 */
export function resourceToRecords(resource: unknown, position: number, source: string): InstanceRecord[] {
  if (!isObject(resource)) throw notAState(source, `resources[${position}] is not an object`);
  const { mode, type, name } = resource;
  if ((mode !== 'managed' && mode !== 'data') || typeof type !== 'string' || typeof name !== 'string') {
    throw notAState(source, `resources[${position}] lacks mode/type/name`);
  }
  const rawModule = resource['module'];
  const rawProvider = resource['provider'];
  const rawInstances = resource['instances'];
  const module = typeof rawModule === 'string' ? rawModule : '';
  const where = resourceAddressOf(module, mode, type, name);
  if (!stringOrAbsent(rawModule)) throw notAState(source, `"module" of resources[${position}] (${where}) is not a string`);
  if (!stringOrAbsent(rawProvider)) throw notAState(source, `"provider" of ${where} is not a string`);
  if (rawInstances !== undefined && rawInstances !== null && !Array.isArray(rawInstances)) throw notAState(source, `"instances" of ${where} is not an array`);
  const provider = typeof rawProvider === 'string' ? rawProvider : '';
  const instances: unknown[] = Array.isArray(rawInstances) ? rawInstances : [];
  const byKey = new Map<string, { indexKey: IndexKey | null; deps: string[] | null; tainted: boolean; deposed: number; current: boolean; deposedKeys: Set<string> | null }>();
  for (const inst of instances) {
    if (!isObject(inst)) throw notAState(source, `resources[${position}].instances has a non-object entry`);
    checkInstanceFields(inst, where, source);
    const raw = inst['index_key'];
    const indexKey: IndexKey | null = raw === undefined || raw === null ? null : (raw as IndexKey);
    // NOTE: keys of different JSON types must stay apart ("0" vs 0), hence the type tag.
    const tag = indexKey === null ? 'n' : typeof indexKey === 'number' ? `i${indexKey}` : `s${indexKey}`;
    const deposedKey = inst['deposed'];
    const deposed = typeof deposedKey === 'string' && deposedKey !== '';
    let entry = byKey.get(tag);
    if (!entry) {
      entry = { indexKey, deps: null, tainted: false, deposed: 0, current: false, deposedKeys: null };
      byKey.set(tag, entry);
    }
    if (deposed) {
      entry.deposedKeys ??= new Set();
      if (entry.deposedKeys.has(deposedKey)) {
        throw new StateParseError('STATE_DUPLICATE_INSTANCE', `${source}: deposed object ${JSON.stringify(deposedKey)} of ${instanceAddress(where, indexKey)} appears more than once (Terraform refuses this state: "Duplicate resource instance in state")`);
      }
      entry.deposedKeys.add(deposedKey);
      entry.deposed++;
      if (entry.deps === null) entry.deps = stringList(inst['dependencies']);
    } else {
      if (entry.current) throw duplicateInstance(source, instanceAddress(where, indexKey));
      entry.current = true;
      entry.deps = stringList(inst['dependencies']);
      entry.tainted = inst['status'] === 'tainted';
    }
  }
  const records: InstanceRecord[] = [];
  for (const e of byKey.values()) {
    records.push({
      module,
      mode,
      type,
      name,
      provider,
      indexKey: e.indexKey,
      dependencies: e.deps ?? [],
      tainted: e.tainted,
      deposedCount: e.deposed,
      hasCurrent: e.current,
    });
  }
  return records;
}

/**
 * Parses a whole tfstate held in memory. O(bytes).
 * @param source a name for error messages (file path, `stdin`, URL).
 * @throws StateParseError, UnsupportedStateVersionError
 */
export function parseState(input: Uint8Array | string, source = 'state'): LoadedState {
  const bytes = typeof input === 'string' ? null : input;
  const sniffed = bytes ? sniffNonJson(bytes.subarray(0, 4096), source) : null;
  if (sniffed) throw sniffed;
  const text = typeof input === 'string' ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('utf8');
  if (text.trim() === '') throw new StateParseError('STATE_EMPTY', `${source} is empty: no state has been written yet`);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw jsonFailure(text, error, source);
  }
  if (!isObject(doc)) throw notAState(source, 'the top level is not an object');
  const meta = checkStateHeader(doc, source);
  const resources = doc['resources'];
  if (resources !== undefined && !Array.isArray(resources)) throw notAState(source, '"resources" is not an array');
  const instances: InstanceRecord[] = [];
  (resources ?? []).forEach((r: unknown, i: number) => {
    for (const rec of resourceToRecords(r, i, source)) instances.push(rec);
  });
  return { meta, instances };
}
