// Binary snapshot of a built graph (meta, ResourceIndex parts, warnings) with msgpackr: loading it skips reading
// and resolving the state. Guarantees: decode(encode(x)) rebuilds identical parts; any corruption, truncation or
// format change is detected (magic, version, SHA-256 of the body, structural checks) and raises SnapshotInvalidError.

import { createHash } from 'node:crypto';
import { Packr } from 'msgpackr';
import type { IndexKey, InstanceRecord, StateMeta } from '../state/instance-record.js';
import type { ResourceIndexParts } from './resource-index.js';
import { SnapshotInvalidError } from './snapshot-errors.js';

/** Bumped whenever the body layout or the meaning of a field changes: old snapshots are then rebuilt. */
export const SNAPSHOT_FORMAT = 3;
const MAGIC = Buffer.from('VLCYSNAP', 'latin1');
const PREFIX = MAGIC.length + 8; // magic, u32 format, u32 header length

/** What identifies the state a snapshot was built from. */
export interface SnapshotHeader {
  readonly format: number;
  readonly lineage: string;
  readonly serial: number;
  /** SHA-256 (hex) of the state file's bytes. */
  readonly stateSha256: string;
  readonly stateSize: number;
  /** SHA-256 (hex) and length of the body that follows the header. */
  readonly bodySha256: string;
  readonly bodyLength: number;
}

export interface SnapshotContent {
  readonly meta: StateMeta;
  readonly parts: ResourceIndexParts;
  readonly warnings: readonly string[];
  /** The graph's dependency cycles (StateGraph.cycles), so a load need not search for them again. */
  readonly cycles: readonly (readonly string[])[];
}

const packr = new Packr({ useRecords: false, mapsAsObjects: true });

const bytesOf = (a: Uint32Array | Float64Array | Uint8Array): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** Copies (msgpackr hands back unaligned views) into a fresh typed array. */
function u32(b: unknown, what: string): Uint32Array {
  if (!(b instanceof Uint8Array) || b.byteLength % 4 !== 0) throw new SnapshotInvalidError(`${what} is not a u32 array`);
  const out = new Uint32Array(b.byteLength / 4);
  new Uint8Array(out.buffer).set(b);
  return out;
}
function f64(b: unknown, what: string): Float64Array {
  if (!(b instanceof Uint8Array) || b.byteLength % 8 !== 0) throw new SnapshotInvalidError(`${what} is not an f64 array`);
  const out = new Float64Array(b.byteLength / 8);
  new Uint8Array(out.buffer).set(b);
  return out;
}
function u8(b: unknown, what: string): Uint8Array {
  if (!(b instanceof Uint8Array)) throw new SnapshotInvalidError(`${what} is not a byte array`);
  return b;
}

const FLAG_DATA = 1;
const FLAG_TAINTED = 2;
const FLAG_CURRENT = 4;
const KEY_NONE = 0;
const KEY_NUMBER = 1;
const KEY_STRING = 2;

/** Records as columns over an interned string table; identical dependency lists are stored once. O(n + deps). */
function encodeRecords(records: readonly InstanceRecord[]) {
  const strings: string[] = [];
  const stringIds = new Map<string, number>();
  const intern = (s: string): number => {
    let id = stringIds.get(s);
    if (id === undefined) {
      id = strings.length;
      strings.push(s);
      stringIds.set(s, id);
    }
    return id;
  };
  const n = records.length;
  const cols = { module: new Uint32Array(n), type: new Uint32Array(n), name: new Uint32Array(n), provider: new Uint32Array(n), deposed: new Uint32Array(n), depList: new Uint32Array(n) };
  const keyKind = new Uint8Array(n);
  const keyValue = new Float64Array(n);
  const flags = new Uint8Array(n);
  const spanStart = new Float64Array(n).fill(-1);
  const spanEnd = new Float64Array(n).fill(-1);
  let hasSpans = false;
  const listIds = new Map<readonly string[] | string, number>();
  const listOffsets: number[] = [0];
  const listItems: number[] = [];
  let prevDeps: readonly string[] | undefined;
  let prevList = 0;
  // NOTE: instances of one resource are adjacent and share its strings: compare with the previous record (equal
  // strings are usually the same object, so === is a pointer check) before hashing into the table.
  let prev: InstanceRecord | undefined;
  let mod = 0;
  let typ = 0;
  let nam = 0;
  let prov = 0;
  for (let i = 0; i < n; i++) {
    const r = records[i] as InstanceRecord;
    if (prev === undefined || r.module !== prev.module) mod = intern(r.module);
    if (prev === undefined || r.type !== prev.type) typ = intern(r.type);
    if (prev === undefined || r.name !== prev.name) nam = intern(r.name);
    if (prev === undefined || r.provider !== prev.provider) prov = intern(r.provider);
    prev = r;
    cols.module[i] = mod;
    cols.type[i] = typ;
    cols.name[i] = nam;
    cols.provider[i] = prov;
    cols.deposed[i] = r.deposedCount;
    if (r.indexKey === null) keyKind[i] = KEY_NONE;
    else if (typeof r.indexKey === 'number') (keyKind[i] = KEY_NUMBER), (keyValue[i] = r.indexKey);
    else (keyKind[i] = KEY_STRING), (keyValue[i] = intern(r.indexKey));
    flags[i] = (r.mode === 'data' ? FLAG_DATA : 0) | (r.tainted ? FLAG_TAINTED : 0) | (r.hasCurrent ? FLAG_CURRENT : 0);
    if (r.span) (hasSpans = true), (spanStart[i] = r.span.start), (spanEnd[i] = r.span.end);
    // NOTE: readers share one array between instances of a resource; look up by identity first, then by content.
    let list = r.dependencies === prevDeps ? prevList : listIds.get(r.dependencies);
    if (list === undefined) {
      const key = r.dependencies.join('\n');
      list = listIds.get(key);
      if (list === undefined) {
        list = listOffsets.length - 1;
        for (const d of r.dependencies) listItems.push(intern(d));
        listOffsets.push(listItems.length);
        listIds.set(key, list);
      }
      listIds.set(r.dependencies, list);
    }
    cols.depList[i] = list;
    prevDeps = r.dependencies;
    prevList = list;
  }
  return {
    strings,
    module: bytesOf(cols.module),
    type: bytesOf(cols.type),
    name: bytesOf(cols.name),
    provider: bytesOf(cols.provider),
    deposed: bytesOf(cols.deposed),
    depList: bytesOf(cols.depList),
    keyKind,
    keyValue: bytesOf(keyValue),
    flags,
    listOffsets: bytesOf(Uint32Array.from(listOffsets)),
    listItems: bytesOf(Uint32Array.from(listItems)),
    spanStart: hasSpans ? bytesOf(spanStart) : null,
    spanEnd: hasSpans ? bytesOf(spanEnd) : null,
  };
}

/** Replaces every byte-array value of `o` by its index in `blobs` (where the bytes then go). */
function detachBlobs(o: Record<string, unknown>, blobs: Uint8Array[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (v instanceof Uint8Array) {
      out[k] = blobs.length;
      blobs.push(v);
    } else {
      out[k] = v;
    }
  }
  return out;
}

const align8 = (n: number): number => (n + 7) & ~7;
const PAD = new Uint8Array(8);

/**
 * Serialises a graph's content for a state identified by `id`, as the consecutive pieces of the snapshot file
 * (write them in order). O(n + m) time; output about 40 bytes per instance plus its address.
 * Body layout (format 3): u32 length of a msgpack part, the msgpack part (everything but the byte arrays, each
 * replaced by its blob number, and `blobs`: their lengths), then each blob at an 8-aligned offset.
 * NOTE: the typed arrays are written from where they are, never copied into one buffer: at 1M instances packing
 * ~100 MB of arrays through msgpackr and concatenating the result cost ~1 s of the cold load.
 */
export function encodeIndexSnapshotParts(id: Omit<SnapshotHeader, 'format' | 'bodySha256' | 'bodyLength'>, content: SnapshotContent): Uint8Array[] {
  const { parts } = content;
  const blobs: Uint8Array[] = [];
  const body = detachBlobs(
    {
      meta: content.meta,
      warnings: content.warnings,
      cycles: content.cycles,
      // NOTE: one newline-joined string unpacks ~10x faster than a million small ones; canonical addresses escape
      // newlines, so the list form is only a fallback for an address that somehow holds one.
      addresses: parts.addresses.some((a) => a.includes('\n')) ? parts.addresses : parts.addresses.join('\n'),
      upOffsets: bytesOf(parts.upOffsets),
      upTargets: bytesOf(parts.upTargets),
      downOffsets: bytesOf(parts.downOffsets),
      downTargets: bytesOf(parts.downTargets),
    },
    blobs,
  );
  body['records'] = detachBlobs(encodeRecords(parts.records), blobs);
  body['blobs'] = blobs.map((b) => b.byteLength);
  const packed = packr.pack(body);
  const lead = Buffer.alloc(4);
  lead.writeUInt32LE(packed.length, 0);
  const pieces: Uint8Array[] = [lead, packed];
  let at = 4 + packed.length;
  const pad = (): void => {
    if (at !== align8(at)) pieces.push(PAD.subarray(0, align8(at) - at));
    at = align8(at);
  };
  for (const b of blobs) {
    pad();
    pieces.push(b);
    at += b.byteLength;
  }
  const hash = createHash('sha256');
  for (const p of pieces) hash.update(p);
  const header: SnapshotHeader = { ...id, format: SNAPSHOT_FORMAT, bodySha256: hash.digest('hex'), bodyLength: at };
  const headerBytes = packr.pack(header);
  const prefix = Buffer.alloc(PREFIX);
  MAGIC.copy(prefix, 0);
  prefix.writeUInt32LE(SNAPSHOT_FORMAT, MAGIC.length);
  prefix.writeUInt32LE(headerBytes.length, MAGIC.length + 4);
  return [prefix, headerBytes, ...pieces];
}

/** The snapshot as one buffer (encodeIndexSnapshotParts concatenated). O(n + m). */
export function encodeIndexSnapshot(id: Omit<SnapshotHeader, 'format' | 'bodySha256' | 'bodyLength'>, content: SnapshotContent): Buffer {
  return Buffer.concat(encodeIndexSnapshotParts(id, content));
}

/** The body's msgpack part with every blob number replaced by its bytes (views into `body`). @throws SnapshotInvalidError */
function attachBlobs(body: Buffer): Record<string, unknown> {
  if (body.length < 4) throw new SnapshotInvalidError('truncated body');
  const packedLength = body.readUInt32LE(0);
  if (4 + packedLength > body.length) throw new SnapshotInvalidError('truncated body');
  let raw: unknown;
  try {
    raw = packr.unpack(body.subarray(4, 4 + packedLength));
  } catch {
    throw new SnapshotInvalidError('unreadable body');
  }
  if (typeof raw !== 'object' || raw === null) throw new SnapshotInvalidError('body is not an object');
  const o = raw as Record<string, unknown>;
  const lengths = o['blobs'];
  if (!Array.isArray(lengths) || !lengths.every((l) => Number.isSafeInteger(l) && (l as number) >= 0)) throw new SnapshotInvalidError('blob table');
  const views: Buffer[] = [];
  let at = 4 + packedLength;
  for (const l of lengths as number[]) {
    at = align8(at);
    if (at + l > body.length) throw new SnapshotInvalidError('blob out of range');
    views.push(body.subarray(at, at + l));
    at += l;
  }
  if (at !== body.length) throw new SnapshotInvalidError('trailing bytes after the blobs');
  const attach = (x: Record<string, unknown>, keys: readonly string[]): void => {
    for (const k of keys) {
      const v = x[k];
      if (v === null && (k === 'spanStart' || k === 'spanEnd')) continue;
      if (!Number.isInteger(v) || (v as number) < 0 || (v as number) >= views.length) throw new SnapshotInvalidError(`${k} is not a blob`);
      x[k] = views[v as number];
    }
  };
  attach(o, ['upOffsets', 'upTargets', 'downOffsets', 'downTargets']);
  const records = o['records'];
  if (typeof records !== 'object' || records === null) throw new SnapshotInvalidError('records');
  attach(records as Record<string, unknown>, ['module', 'type', 'name', 'provider', 'deposed', 'depList', 'keyKind', 'keyValue', 'flags', 'listOffsets', 'listItems', 'spanStart', 'spanEnd']);
  return o;
}

/** Reads only the header (cheap: no body hashing or decoding). @throws SnapshotInvalidError */
export function readSnapshotHeader(bytes: Uint8Array): SnapshotHeader {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < PREFIX || !buf.subarray(0, MAGIC.length).equals(MAGIC)) throw new SnapshotInvalidError('not a velocity snapshot');
  const format = buf.readUInt32LE(MAGIC.length);
  if (format !== SNAPSHOT_FORMAT) throw new SnapshotInvalidError(`format ${format}, this velocity reads ${SNAPSHOT_FORMAT}`);
  const headerLength = buf.readUInt32LE(MAGIC.length + 4);
  if (PREFIX + headerLength > buf.length) throw new SnapshotInvalidError('truncated header');
  let header: unknown;
  try {
    header = packr.unpack(buf.subarray(PREFIX, PREFIX + headerLength));
  } catch {
    throw new SnapshotInvalidError('unreadable header');
  }
  const h = header as Partial<SnapshotHeader> | null;
  if (!h || h.format !== SNAPSHOT_FORMAT || typeof h.stateSha256 !== 'string' || typeof h.bodySha256 !== 'string' || typeof h.bodyLength !== 'number') {
    throw new SnapshotInvalidError('malformed header');
  }
  return h as SnapshotHeader;
}

function checkCsr(offsets: Uint32Array, targets: Uint32Array, size: number, what: string): void {
  if (offsets.length !== size + 1 || offsets[0] !== 0 || offsets[size] !== targets.length) throw new SnapshotInvalidError(`${what} offsets inconsistent`);
  for (let i = 0; i < size; i++) if ((offsets[i] as number) > (offsets[i + 1] as number)) throw new SnapshotInvalidError(`${what} offsets not monotonic`);
  for (let e = 0; e < targets.length; e++) if ((targets[e] as number) >= size) throw new SnapshotInvalidError(`${what} target out of range`);
}

/** Checks the record columns and returns a builder for each record (ResourceIndexParts.recordOf). O(n) checks. */
function decodeRecords(raw: Record<string, unknown>, n: number): { records: InstanceRecord[]; recordOf: (id: number) => InstanceRecord } {
  const strings = raw['strings'];
  if (!Array.isArray(strings) || !strings.every((s) => typeof s === 'string')) throw new SnapshotInvalidError('string table');
  const str = (i: number): string => {
    const s = strings[i] as string | undefined;
    if (s === undefined) throw new SnapshotInvalidError('string id out of range');
    return s;
  };
  const module = u32(raw['module'], 'module');
  const type = u32(raw['type'], 'type');
  const name = u32(raw['name'], 'name');
  const provider = u32(raw['provider'], 'provider');
  const deposed = u32(raw['deposed'], 'deposed');
  const depList = u32(raw['depList'], 'depList');
  const keyKind = u8(raw['keyKind'], 'keyKind');
  const keyValue = f64(raw['keyValue'], 'keyValue');
  const flags = u8(raw['flags'], 'flags');
  const listOffsets = u32(raw['listOffsets'], 'listOffsets');
  const listItems = u32(raw['listItems'], 'listItems');
  const spanStart = raw['spanStart'] === null ? null : f64(raw['spanStart'], 'spanStart');
  const spanEnd = raw['spanEnd'] === null ? null : f64(raw['spanEnd'], 'spanEnd');
  for (const [col, what] of [[module, 'module'], [type, 'type'], [name, 'name'], [provider, 'provider'], [deposed, 'deposed'], [depList, 'depList'], [keyKind, 'keyKind'], [keyValue, 'keyValue'], [flags, 'flags']] as const) {
    if (col.length !== n) throw new SnapshotInvalidError(`${what} column length`);
  }
  if ((spanStart && spanStart.length !== n) || (spanEnd && spanEnd.length !== n) || (spanStart === null) !== (spanEnd === null)) throw new SnapshotInvalidError('span columns');
  const lists = listOffsets.length - 1;
  if (lists < 0 || listOffsets[0] !== 0 || listOffsets[lists] !== listItems.length) throw new SnapshotInvalidError('dependency lists');
  for (let l = 0; l < lists; l++) if ((listOffsets[l] as number) > (listOffsets[l + 1] as number)) throw new SnapshotInvalidError('dependency lists');
  const depArrays: (readonly string[])[] = [];
  for (let l = 0; l < lists; l++) {
    const a: string[] = [];
    for (let k = listOffsets[l] as number; k < (listOffsets[l + 1] as number); k++) a.push(str(listItems[k] as number));
    depArrays.push(a);
  }
  // Every reference is checked now, over the typed columns (no allocation), so building a record later cannot fail.
  const nStrings = strings.length;
  for (let i = 0; i < n; i++) {
    const kind = keyKind[i] as number;
    if ((module[i] as number) >= nStrings || (type[i] as number) >= nStrings || (name[i] as number) >= nStrings || (provider[i] as number) >= nStrings) throw new SnapshotInvalidError('string id out of range');
    if (kind > KEY_STRING || (kind === KEY_STRING && !((keyValue[i] as number) < nStrings && Number.isInteger(keyValue[i])))) throw new SnapshotInvalidError('index key out of range');
    if ((depList[i] as number) >= lists) throw new SnapshotInvalidError('dependency list out of range');
  }
  const recordOf = (i: number): InstanceRecord => {
    const kind = keyKind[i] as number;
    const kv = keyValue[i] as number;
    const indexKey: IndexKey | null = kind === KEY_NONE ? null : kind === KEY_NUMBER ? kv : str(kv);
    const deps = depArrays[depList[i] as number] as readonly string[];
    const f = flags[i] as number;
    const mod = str(module[i] as number);
    const typ = str(type[i] as number);
    const nam = str(name[i] as number);
    const prov = str(provider[i] as number);
    const mode = f & FLAG_DATA ? 'data' : 'managed';
    const tainted = (f & FLAG_TAINTED) !== 0;
    const hasCurrent = (f & FLAG_CURRENT) !== 0;
    const deposedCount = deposed[i] as number;
    // NOTE: two literal shapes instead of a conditional spread: object spread per record dominated decoding.
    const rec: InstanceRecord =
      spanStart && spanEnd && (spanStart[i] as number) >= 0
        ? { module: mod, mode, type: typ, name: nam, provider: prov, indexKey, dependencies: deps, tainted, deposedCount, hasCurrent, span: { start: spanStart[i] as number, end: spanEnd[i] as number } }
        : { module: mod, mode, type: typ, name: nam, provider: prov, indexKey, dependencies: deps, tainted, deposedCount, hasCurrent };
    return rec;
  };
  return { records: new Array<InstanceRecord>(n), recordOf };
}

/**
 * Decodes and fully checks a snapshot. O(bytes + n + m).
 * @param expected when given, the header must name this state (hash and size), or the snapshot is refused.
 * @throws SnapshotInvalidError for anything that is not exactly a valid snapshot of this format.
 */
export function decodeIndexSnapshot(bytes: Uint8Array, expected?: { stateSha256: string; stateSize: number }): { header: SnapshotHeader; content: SnapshotContent } {
  const header = readSnapshotHeader(bytes);
  if (expected && (header.stateSha256 !== expected.stateSha256 || header.stateSize !== expected.stateSize)) throw new SnapshotInvalidError('built from another state');
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const start = PREFIX + buf.readUInt32LE(MAGIC.length + 4);
  const body = buf.subarray(start);
  if (body.length !== header.bodyLength) throw new SnapshotInvalidError('truncated body');
  if (createHash('sha256').update(body).digest('hex') !== header.bodySha256) throw new SnapshotInvalidError('body checksum mismatch');
  const raw = attachBlobs(body);
  const rawAddresses = raw['addresses'];
  const addresses: unknown = typeof rawAddresses === 'string' ? (rawAddresses === '' ? [] : rawAddresses.split('\n')) : rawAddresses;
  if (!Array.isArray(addresses) || (typeof rawAddresses !== 'string' && !addresses.every((a) => typeof a === 'string'))) throw new SnapshotInvalidError('addresses');
  const n = addresses.length;
  const upOffsets = u32(raw['upOffsets'], 'upOffsets');
  const upTargets = u32(raw['upTargets'], 'upTargets');
  const downOffsets = u32(raw['downOffsets'], 'downOffsets');
  const downTargets = u32(raw['downTargets'], 'downTargets');
  checkCsr(upOffsets, upTargets, n, 'upstream');
  checkCsr(downOffsets, downTargets, n, 'downstream');
  if (upTargets.length !== downTargets.length) throw new SnapshotInvalidError('edge counts differ');
  const meta = raw['meta'] as StateMeta | undefined;
  if (!meta || meta.version !== 4 || typeof meta.lineage !== 'string' || typeof meta.serial !== 'number') throw new SnapshotInvalidError('meta');
  if (meta.lineage !== header.lineage || meta.serial !== header.serial) throw new SnapshotInvalidError('meta disagrees with header');
  const warnings = raw['warnings'];
  if (!Array.isArray(warnings) || !warnings.every((w) => typeof w === 'string')) throw new SnapshotInvalidError('warnings');
  const cycles = raw['cycles'];
  if (!Array.isArray(cycles) || !cycles.every((c) => Array.isArray(c) && c.every((a) => typeof a === 'string'))) throw new SnapshotInvalidError('cycles');
  const recordsRaw = raw['records'];
  if (typeof recordsRaw !== 'object' || recordsRaw === null) throw new SnapshotInvalidError('records');
  const { records, recordOf } = decodeRecords(recordsRaw as Record<string, unknown>, n);
  return { header, content: { meta, warnings, cycles: cycles as string[][], parts: { addresses, records, recordOf, upOffsets, upTargets, downOffsets, downTargets } } };
}
