// Turns the scan kernel's tokens into parseState's LoadedState: header fields, then one resource at a time via
// parseState's `resourceToRecords` (or its single-instance fast path), plus each record's byte span.
// Guarantees: semantic errors are deferred to `result()` and raised in parseState's order (header first).

import { StateParseError } from '../errors.js';
import type { InstanceRecord, LoadedState } from './instance-record.js';
import { checkStateHeader, isValidIndexKey, resourceToRecords } from './parse-state.js';
import {
  TOKEN_ARR_END,
  TOKEN_ARR_START,
  TOKEN_CAPTURED,
  TOKEN_ESCAPED,
  TOKEN_FALSE,
  TOKEN_KEY,
  TOKEN_KIND_MASK,
  TOKEN_NUMBER,
  TOKEN_OBJ_END,
  TOKEN_OBJ_START,
  TOKEN_SKIPPED_ARR,
  TOKEN_SKIPPED_OBJ,
  TOKEN_STRIDE,
  TOKEN_STRING,
  TOKEN_TRUE,
} from './scan-kernel.js';

/** Buffer's decoding primitives under toString; present in every Node version we support. */
interface SliceableBuffer extends Buffer {
  utf8Slice(start: number, end: number): string;
  latin1Slice(start: number, end: number): string;
}

// Where the assembler is in the document (mirrors the kernel's container classes).
const L_ROOT = 0;
const L_TOP = 1;
const L_RESOURCES = 2;
const L_RESOURCE = 3;
const L_INSTANCES = 4;
const L_INSTANCE = 5;
const L_DEPS = 6;

// Field ids per level, as the kernels number kept keys (index + 1 in their FIELDS tables). The kernels drop
// every other key together with its value.
const F_OTHER = 0;
const F_VERSION = 1;
const F_TERRAFORM_VERSION = 2;
const F_SERIAL = 3;
const F_LINEAGE = 4;
const F_OUTPUTS = 5;
const F_RESOURCES = 6;
const F_ENCRYPTED_DATA = 7;
const F_ENCRYPTION_VERSION = 8;
const F_MODULE = 1;
const F_MODE = 2;
const F_TYPE = 3;
const F_NAME = 4;
const F_PROVIDER = 5;
const F_INSTANCES = 6;
const F_INDEX_KEY = 1;
const F_STATUS = 2;
const F_DEPOSED = 3;
const F_DEPENDENCIES = 4;

const HEADER_FIELDS: Record<number, string> = {
  [F_VERSION]: 'version',
  [F_TERRAFORM_VERSION]: 'terraform_version',
  [F_SERIAL]: 'serial',
  [F_LINEAGE]: 'lineage',
  [F_OUTPUTS]: 'outputs',
  [F_RESOURCES]: 'resources',
  [F_ENCRYPTED_DATA]: 'encrypted_data',
  [F_ENCRYPTION_VERSION]: 'encryption_version',
};
const RESOURCE_FIELDS: Record<number, string> = {
  [F_MODULE]: 'module',
  [F_MODE]: 'mode',
  [F_TYPE]: 'type',
  [F_NAME]: 'name',
  [F_PROVIDER]: 'provider',
  [F_INSTANCES]: 'instances',
};

/** The kept fields of one instance object, named as in the JSON so resourceToRecords can read it. */
class PendingInstance {
  index_key: unknown = undefined;
  status: unknown = undefined;
  deposed: unknown = undefined;
  dependencies: unknown = undefined;
  readonly start: number;
  end = 0;
  constructor(start: number) {
    this.start = start;
  }
}

interface PendingResource {
  module: unknown;
  mode: unknown;
  type: unknown;
  name: unknown;
  provider: unknown;
  /** An array (instance objects, or stand-ins for other members), or the value of a non-array `instances`. */
  instances: unknown;
}

/**
 * Stands in for a dependencies array holding a non-string member (the kernel drops the members' values):
 * resourceToRecords rejects it as parseState rejects the real array.
 */
const NOT_A_STRING_LIST: readonly unknown[] = Object.freeze([null]);

const stringOrAbsent = (v: unknown): boolean => v === undefined || v === null || typeof v === 'string';

/** Whether the latin1 string `s` (one char per byte) equals bytes[at, at + len). O(len). */
function sameBytes(s: string, bytes: Uint8Array, at: number, len: number): boolean {
  if (s.length !== len) return false;
  for (let i = 0; i < len; i++) if (s.charCodeAt(i) !== bytes[at + i]) return false;
  return true;
}

function newResource(): PendingResource {
  return { module: undefined, mode: undefined, type: undefined, name: undefined, provider: undefined, instances: [] };
}

/**
 * resourceToRecords for the common case, a resource with exactly one instance object, without its
 * per-resource map. NOTE: a fast path (most resources have one instance); it returns null for anything
 * resourceToRecords would reject, which then runs to raise its error. The property tests hold the two equal.
 */
function singleInstanceRecord(r: PendingResource, inst: PendingInstance): InstanceRecord | null {
  const { mode, type, name } = r;
  if ((mode !== 'managed' && mode !== 'data') || typeof type !== 'string' || typeof name !== 'string') return null;
  if (!stringOrAbsent(r.module) || !stringOrAbsent(r.provider) || !stringOrAbsent(inst.status) || !stringOrAbsent(inst.deposed)) return null;
  const k = inst.index_key;
  if (k !== undefined && k !== null && !isValidIndexKey(k)) return null;
  const deps = inst.dependencies;
  if (deps !== undefined && deps !== null && (!Array.isArray(deps) || deps === NOT_A_STRING_LIST)) return null;
  const deposed = typeof inst.deposed === 'string' && inst.deposed !== '';
  return {
    module: typeof r.module === 'string' ? r.module : '',
    mode,
    type,
    name,
    provider: typeof r.provider === 'string' ? r.provider : '',
    indexKey: k === undefined || k === null ? null : k,
    dependencies: Array.isArray(deps) ? (deps as string[]) : [],
    tainted: !deposed && inst.status === 'tainted',
    deposedCount: deposed ? 1 : 0,
    hasCurrent: !deposed,
    span: { start: inst.start, end: inst.end },
  };
}

/** Consumes kernel tokens in order and assembles the LoadedState. O(tokens); strings decoded only for kept fields. */
export class StateAssembler {
  private readonly source: string;
  private level = L_ROOT;
  private field = F_OTHER;
  private topIsObject = false;
  private readonly header: Record<string, unknown> = {};
  private resourcesBad = false;
  private records: InstanceRecord[] = [];
  private position = 0;
  private firstError: unknown = undefined;
  private resource: PendingResource = newResource();
  private instance: PendingInstance | null = null;
  private deps: string[] = [];
  private depsHash = 0;
  private depsBad = false;
  private readonly lists = new Map<number, string[][]>();
  private readonly byHash = new Map<number, string[]>();

  constructor(source: string) {
    this.source = source;
  }

  /**
   * Applies `count` token triples. `bytes` is the kernel's input window and `base` the absolute offset of
   * its first byte (spans are absolute). O(count + bytes of kept strings).
   */
  consume(tokens: Int32Array, count: number, buffer: Buffer, base: number): void {
    const bytes = buffer as SliceableBuffer;
    for (let i = 0; i < count; i++) {
      const t = i * TOKEN_STRIDE;
      const word = tokens[t]!;
      const kind = word & TOKEN_KIND_MASK;
      const start = tokens[t + 1]!;
      const end = tokens[t + 2]!;
      switch (this.level) {
        case L_ROOT:
          if (kind === TOKEN_OBJ_START) {
            this.topIsObject = true;
            this.level = L_TOP;
          }
          break;
        case L_TOP:
          if (kind === TOKEN_KEY) {
            this.field = tokens[t + 3]!;
            if (this.field === F_ENCRYPTED_DATA || this.field === F_ENCRYPTION_VERSION) this.header[HEADER_FIELDS[this.field]!] = true;
          } else if (kind === TOKEN_OBJ_END) {
            this.level = L_ROOT;
          } else if (this.field === F_RESOURCES) {
            // NOTE: a repeated key replaces the earlier value, as in JSON.parse.
            this.records = [];
            this.position = 0;
            this.firstError = undefined;
            this.resourcesBad = kind !== TOKEN_ARR_START;
            if (kind === TOKEN_ARR_START) this.level = L_RESOURCES;
          } else if (this.field !== F_OTHER && this.field !== F_ENCRYPTED_DATA && this.field !== F_ENCRYPTION_VERSION) {
            this.header[HEADER_FIELDS[this.field]!] = this.value(word, start, end, bytes);
          }
          break;
        case L_RESOURCES:
          if (kind === TOKEN_OBJ_START) {
            this.resource = newResource();
            this.level = L_RESOURCE;
          } else if (kind === TOKEN_ARR_END) {
            this.level = L_TOP;
          } else {
            this.addResource(this.value(word, start, end, bytes), null);
          }
          break;
        case L_RESOURCE:
          if (kind === TOKEN_KEY) {
            this.field = tokens[t + 3]!;
          } else if (kind === TOKEN_OBJ_END) {
            this.level = L_RESOURCES;
            this.addResource(this.resource, this.resource.instances);
          } else if (this.field === F_INSTANCES) {
            // NOTE: a repeated key replaces the earlier value, as in JSON.parse; a non-array is kept for the error.
            if (kind === TOKEN_ARR_START) {
              this.resource.instances = [];
              this.level = L_INSTANCES;
            } else {
              this.resource.instances = this.value(word, start, end, bytes);
            }
          } else if (this.field !== F_OTHER) {
            const v = kind === TOKEN_STRING ? this.interned(word, start, end, tokens[t + 3]!, bytes) : this.value(word, start, end, bytes);
            (this.resource as unknown as Record<string, unknown>)[RESOURCE_FIELDS[this.field]!] = v;
          }
          break;
        case L_INSTANCES:
          if (kind === TOKEN_OBJ_START) {
            this.instance = new PendingInstance(base + start);
            this.level = L_INSTANCE;
          } else if (kind === TOKEN_ARR_END) {
            this.level = L_RESOURCE;
          } else {
            (this.resource.instances as unknown[]).push(this.value(word, start, end, bytes));
          }
          break;
        case L_INSTANCE: {
          const inst = this.instance!;
          if (kind === TOKEN_KEY) {
            this.field = tokens[t + 3]!;
          } else if (kind === TOKEN_OBJ_END) {
            inst.end = base + end;
            (this.resource.instances as unknown[]).push(inst);
            this.instance = null;
            this.level = L_INSTANCES;
          } else if (this.field === F_DEPENDENCIES) {
            if (kind === TOKEN_ARR_START) {
              this.deps = [];
              this.depsHash = 0;
              this.depsBad = false;
              this.level = L_DEPS;
            } else {
              inst.dependencies = this.value(word, start, end, bytes);
            }
          } else if (this.field === F_INDEX_KEY) {
            inst.index_key = this.value(word, start, end, bytes);
          } else if (this.field === F_STATUS) {
            inst.status = this.value(word, start, end, bytes);
          } else if (this.field === F_DEPOSED) {
            inst.deposed = this.value(word, start, end, bytes);
          }
          break;
        }
        case L_DEPS:
          if (kind === TOKEN_ARR_END) {
            this.instance!.dependencies = this.depsBad ? NOT_A_STRING_LIST : this.sharedList(this.deps, this.depsHash);
            this.level = L_INSTANCE;
          } else if (kind === TOKEN_STRING) {
            const h = tokens[t + 3]!;
            this.deps.push(this.interned(word, start, end, h, bytes));
            this.depsHash = Math.imul(this.depsHash ^ h, 0x01000193) & 0x3fffffff;
          } else {
            // A number, literal or container among the dependencies: parseState rejects the list.
            this.depsBad = true;
          }
          break;
      }
    }
  }

  /**
   * An equal dependency list seen before, or `list` itself. NOTE: instances of a module repeat the same
   * lists (`module.x.aws_vpc.main` in every instance); sharing them saves an array per record at 1M records.
   * Members are interned, so equality is checked by identity. Callers must not mutate the lists.
   */
  private sharedList(list: string[], hash: number): string[] {
    const bucket = this.lists.get(hash);
    if (bucket !== undefined) {
      for (const other of bucket) {
        if (other.length !== list.length) continue;
        let i = 0;
        while (i < list.length && other[i] === list[i]) i++;
        if (i === list.length) return other;
      }
      if (bucket.length < 8) bucket.push(list);
    } else {
      this.lists.set(hash, [list]);
    }
    return list;
  }

  /** The assembled state, or the first error parseState would raise on the same document. O(1). */
  result(): LoadedState {
    if (!this.topIsObject) {
      throw new StateParseError('STATE_NOT_A_STATE', `${this.source} is JSON but not a Terraform state: the top level is not an object`);
    }
    const meta = checkStateHeader(this.header, this.source);
    if (this.resourcesBad) {
      throw new StateParseError('STATE_NOT_A_STATE', `${this.source} is JSON but not a Terraform state: "resources" is not an array`);
    }
    if (this.firstError !== undefined) throw this.firstError;
    return { meta, instances: this.records };
  }

  private addResource(resource: unknown, instances: unknown): void {
    const position = this.position++;
    if (this.firstError !== undefined) return; // NOTE: the state will be rejected anyway; stop building records.
    if (Array.isArray(instances) && instances.length === 1 && instances[0] instanceof PendingInstance) {
      const record = singleInstanceRecord(resource as PendingResource, instances[0]);
      if (record !== null) {
        this.records.push(record);
        return;
      }
    }
    let records: InstanceRecord[];
    try {
      records = resourceToRecords(resource, position, this.source);
    } catch (error) {
      this.firstError = error;
      return;
    }
    if (!Array.isArray(instances)) return;
    // resourceToRecords returns one record per distinct index key, in order of first appearance: the span of
    // each record is that of the first object with its key.
    const seen = new Set<string>();
    let r = 0;
    for (const inst of instances as PendingInstance[]) {
      const k = inst.index_key;
      const tag = typeof k === 'string' ? `s${k}` : typeof k === 'number' ? `i${k}` : 'n';
      if (seen.has(tag)) continue;
      seen.add(tag);
      const rec = records[r++];
      if (rec === undefined) break;
      (rec as { span?: { start: number; end: number } }).span = { start: inst.start, end: inst.end };
    }
    for (const rec of records) this.records.push(rec);
  }

  private string(word: number, start: number, end: number, bytes: SliceableBuffer): string {
    // NOTE: utf8Slice skips Buffer#toString's argument handling; it decodes exactly as toString('utf8') does.
    if ((word & TOKEN_ESCAPED) !== 0) return JSON.parse(bytes.utf8Slice(start, end)) as string;
    return bytes.utf8Slice(start + 1, end - 1);
  }

  /** The JSON value of a scalar token, or a stand-in of the right type for a skipped container. */
  private value(word: number, start: number, end: number, bytes: SliceableBuffer): unknown {
    switch (word & TOKEN_KIND_MASK) {
      case TOKEN_STRING:
        return this.string(word, start, end, bytes);
      case TOKEN_NUMBER: {
        // NOTE: count indexes are small non-negative integers; read them without a string round trip.
        if (end - start <= 9) {
          let n = 0;
          let i = start;
          for (; i < end; i++) {
            const c = bytes[i]!;
            if (c < 0x30 || c > 0x39) break;
            n = n * 10 + (c - 0x30);
          }
          if (i === end && (bytes[start] !== 0x30 || end - start === 1)) return n;
        }
        return JSON.parse(bytes.latin1Slice(start, end)) as number;
      }
      case TOKEN_TRUE:
        return true;
      case TOKEN_FALSE:
        return false;
      case TOKEN_SKIPPED_OBJ:
        return {};
      case TOKEN_SKIPPED_ARR:
        return [];
      case TOKEN_CAPTURED:
        return JSON.parse(bytes.utf8Slice(start, end)) as unknown;
      default:
        return null;
    }
  }

  /**
   * The string of a string token, shared with every earlier equal one. NOTE: strings are found by the
   * kernel's hash of their raw bytes and checked byte by byte against the raw form of the candidate, so a
   * repeated module path, provider or dependency (escaped quotes included) costs no decoding and no allocation.
   */
  private interned(word: number, start: number, end: number, hash: number, bytes: SliceableBuffer): string {
    const len = end - start - 2;
    // NOTE: 30 bits keep the key a small integer (no heap number per lookup).
    const key = hash & 0x3fffffff;
    // Entries alternate [raw, value]: raw is the content bytes as latin1 (one char per byte).
    const bucket = this.byHash.get(key);
    if (bucket !== undefined) {
      for (let i = 0; i < bucket.length; i += 2) if (sameBytes(bucket[i]!, bytes, start + 1, len)) return bucket[i + 1]!;
    }
    const value = this.string(word, start, end, bytes);
    // An unescaped ASCII string is its own raw form.
    const raw = (word & TOKEN_ESCAPED) === 0 && value.length === len ? value : bytes.latin1Slice(start + 1, end - 1);
    if (bucket === undefined) this.byHash.set(key, [raw, value]);
    else bucket.push(raw, value);
    return value;
  }
}
