// Merges an applied sub-workspace state into the real state as a byte-level splice: the real state is streamed
// chunk by chunk through a small JSON state machine and copied to `out` unchanged, except its serial, the
// resources[] entries and root outputs the sub-workspace owns (taken raw from the sub-state file) and new entries of
// the sub-state (inserted at Terraform's sorted position).
// Guarantees: every other entry and output is a byte-identical substring of the real state; the result is valid
// JSON whatever the real state's indentation or line endings; memory O(largest entry header + chunk + sub-state).

import { closeSync, fsyncSync, openSync, readFileSync, readSync, unlinkSync, writevSync } from 'node:fs';
import { SourceReadError, StateParseError, UnsupportedStateVersionError } from '../errors.js';
import { MergeConflictError } from '../apply/apply-errors.js';
import { readStateHead, type StateBytes } from '../state/read-state-head.js';
import { compareEntryKeys, type ResourceEntryKey, type SubStateOwnership } from './sub-workspace-manifest.js';

export type { StateBytes };

export interface MergeSummary {
  readonly resources: { readonly replaced: number; readonly added: number; readonly removed: number };
  readonly outputs: { readonly replaced: number; readonly added: number; readonly removed: number };
  /** Bytes written to `out`. */
  readonly bytes: number;
}

export interface MergeInput {
  /** The real state (an fd is read positionally and never closed: it may be the one holding the fcntl lock). */
  readonly real: StateBytes;
  /** The sub-workspace's state file after its apply (small: the cone only). */
  readonly sub: string;
  readonly owned: SubStateOwnership;
  /** The merged state's serial. */
  readonly serial: number;
  /** Where the merged state is written (created or truncated; fsynced; removed again on failure). */
  readonly out: string;
  /** Bytes read from the real state at a time. @default 1 MiB */
  readonly chunkSize?: number;
}

/** A resources[] entry or a root output of the sub-state: its identity and its exact bytes in the sub-state file. */
export interface SubPiece {
  readonly id: string;
  readonly key: ResourceEntryKey | undefined;
  /** Entry: the object's bytes. Output: `"name": value` as written. */
  readonly raw: Buffer;
}

const entryId = (k: ResourceEntryKey): string => JSON.stringify([k.module, k.mode, k.type, k.name]);
const isWs = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
const isDelimiter = (c: number): boolean => isWs(c) || c === 0x2c || c === 0x7d || c === 0x5d || c === 0x3a;

/** Index just past the JSON string whose opening quote is at `i` in a complete buffer. */
function stringEndIn(b: Buffer, i: number): number {
  let from = i + 1;
  for (;;) {
    const q = b.indexOf(0x22, from);
    if (q < 0) return b.length;
    let n = 0;
    while (q - 1 - n >= from && b[q - 1 - n] === 0x5c) n++;
    if (n % 2 === 0) return q + 1;
    from = q + 1;
  }
}

/** Index just past the JSON value starting at `i` (no leading whitespace) in a complete, valid buffer. */
function valueEndIn(b: Buffer, i: number): number {
  const c = b[i];
  if (c === 0x22) return stringEndIn(b, i);
  if (c !== 0x7b && c !== 0x5b) {
    let j = i;
    while (j < b.length && !isDelimiter(b[j] as number)) j++;
    return j;
  }
  let depth = 0;
  for (let j = i; j < b.length; ) {
    const d = b[j] as number;
    if (d === 0x22) {
      j = stringEndIn(b, j);
      continue;
    }
    if (d === 0x7b || d === 0x5b) depth++;
    else if ((d === 0x7d || d === 0x5d) && --depth === 0) return j + 1;
    j++;
  }
  return b.length;
}

const skipWsIn = (b: Buffer, i: number): number => {
  while (i < b.length && isWs(b[i] as number)) i++;
  return i;
};

/** The members of the object at `i`: [keyStart, keyEnd, valueStart, valueEnd] each. */
function membersIn(b: Buffer, i: number): [number, number, number, number][] {
  const out: [number, number, number, number][] = [];
  i = skipWsIn(b, i + 1);
  while (b[i] === 0x22) {
    const ke = stringEndIn(b, i);
    const vs = skipWsIn(b, skipWsIn(b, ke) + 1);
    const ve = valueEndIn(b, vs);
    out.push([i, ke, vs, ve]);
    i = skipWsIn(b, ve);
    if (b[i] === 0x2c) i = skipWsIn(b, i + 1);
  }
  return out;
}

/** The elements of the array at `i`: [start, end] each. */
function elementsIn(b: Buffer, i: number): [number, number][] {
  const out: [number, number][] = [];
  i = skipWsIn(b, i + 1);
  while (i < b.length && b[i] !== 0x5d) {
    const e = valueEndIn(b, i);
    out.push([i, e]);
    i = skipWsIn(b, e);
    if (b[i] === 0x2c) i = skipWsIn(b, i + 1);
  }
  return out;
}

/** Reads and validates the sub-state; its entries sorted as Terraform sorts them, its outputs by name. O(sub). */
export function readSubState(path: string): { entries: SubPiece[]; outputs: SubPiece[] } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new SourceReadError(path, error);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new StateParseError(bytes.length === 0 ? 'STATE_EMPTY' : 'STATE_NOT_JSON', `the sub-workspace state ${path} is not JSON`, { cause: error });
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new StateParseError('STATE_NOT_A_STATE', `the sub-workspace state ${path} is not a tfstate`);
  const d = doc as { version?: unknown; resources?: unknown; outputs?: unknown };
  if (typeof d.version !== 'number') throw new StateParseError('STATE_NOT_A_STATE', `the sub-workspace state ${path} has no version`);
  if (d.version !== 4) throw new UnsupportedStateVersionError(d.version);
  if ((d.resources !== undefined && !Array.isArray(d.resources)) || (d.outputs !== undefined && (typeof d.outputs !== 'object' || d.outputs === null || Array.isArray(d.outputs))))
    throw new StateParseError('STATE_NOT_A_STATE', `the sub-workspace state ${path} has malformed resources or outputs`);
  const top = membersIn(bytes, skipWsIn(bytes, 0));
  const rawOf = (name: string): [number, number, number, number] | undefined =>
    top.filter(([ks, ke]) => JSON.parse(bytes.subarray(ks, ke).toString('utf8')) === name).at(-1);
  const entries: SubPiece[] = [];
  const resources = rawOf('resources');
  if (resources && bytes[resources[2]] === 0x5b) {
    const parsed = d.resources as unknown[];
    elementsIn(bytes, resources[2]).forEach(([s, e], n) => {
      const r = parsed[n] as { module?: unknown; mode?: unknown; type?: unknown; name?: unknown } | null;
      if (typeof r !== 'object' || r === null || (r.mode !== 'managed' && r.mode !== 'data') || typeof r.type !== 'string' || typeof r.name !== 'string' || (r.module !== undefined && typeof r.module !== 'string'))
        throw new StateParseError('STATE_NOT_A_STATE', `the sub-workspace state ${path} has a malformed resources[${n}]`);
      const key: ResourceEntryKey = { module: (r.module as string | undefined) ?? '', mode: r.mode, type: r.type, name: r.name };
      entries.push({ id: entryId(key), key, raw: bytes.subarray(s, e) });
    });
  }
  const outputs: SubPiece[] = [];
  const outs = rawOf('outputs');
  if (outs && bytes[outs[2]] === 0x7b) {
    for (const [ks, ke, , ve] of membersIn(bytes, outs[2])) {
      outputs.push({ id: JSON.parse(bytes.subarray(ks, ke).toString('utf8')) as string, key: undefined, raw: bytes.subarray(ks, ve) });
    }
  }
  entries.sort((a, b) => compareEntryKeys(a.key as ResourceEntryKey, b.key as ResourceEntryKey));
  outputs.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const list of [entries, outputs]) {
    for (let n = 1; n < list.length; n++) {
      if ((list[n] as SubPiece).id === (list[n - 1] as SubPiece).id)
        throw new StateParseError('STATE_DUPLICATE_INSTANCE', `the sub-workspace state ${path} holds ${(list[n] as SubPiece).id} twice`);
    }
  }
  return { entries, outputs };
}

/** An instance's `index_key` as canonical JSON ('null' when it has none). */
function instanceKey(raw: Buffer): string {
  const k = (JSON.parse(raw.toString('utf8')) as { index_key?: unknown }).index_key;
  return JSON.stringify(k ?? null);
}

/** Terraform's instance order: by index_key, numbers (ascending) before strings (plain comparison). */
function compareInstanceKeys(a: string, b: string): number {
  const x = JSON.parse(a) as unknown;
  const y = JSON.parse(b) as unknown;
  if (typeof x === 'number' && typeof y === 'number') return x - y;
  if (typeof x === 'number') return -1;
  if (typeof y === 'number') return 1;
  const sx = String(x);
  const sy = String(y);
  return sx < sy ? -1 : sx > sy ? 1 : 0;
}

/**
 * A partly owned entry: the real entry `real` (its bytes) with the instances of `owned` keys replaced by the sub-state
 * entry's (`sub`, its bytes; absent: removed), the sub-state's new keys added, instances in Terraform's order, the
 * real entry's header and layout kept. Undefined when no instance remains. O(entry).
 * @throws MergeConflictError when the sub-state holds an instance of a key the real entry has but that is not owned
 */
function mergeInstances(real: Buffer, sub: Buffer | undefined, owned: ReadonlySet<string>, key: ResourceEntryKey): Buffer | undefined {
  const field = (b: Buffer): [number, number, number, number] | undefined =>
    membersIn(b, skipWsIn(b, 0)).find(([ks, ke]) => JSON.parse(b.subarray(ks, ke).toString('utf8')) === 'instances');
  const realField = field(real);
  if (realField === undefined || real[realField[2]] !== 0x5b) throw new StateParseError('STATE_NOT_A_STATE', `the real state's entry ${entryId(key)} has no instances array`);
  const realElements = elementsIn(real, realField[2]);
  const kept: { key: string; raw: Buffer }[] = [];
  const realKeys = new Set<string>();
  for (const [s, e] of realElements) {
    const raw = real.subarray(s, e);
    const k = instanceKey(raw);
    realKeys.add(k);
    if (!owned.has(k)) kept.push({ key: k, raw });
  }
  if (sub !== undefined) {
    const subField = field(sub);
    if (subField !== undefined && sub[subField[2]] === 0x5b) {
      for (const [s, e] of elementsIn(sub, subField[2])) {
        const raw = sub.subarray(s, e);
        const k = instanceKey(raw);
        if (realKeys.has(k) && !owned.has(k)) throw new MergeConflictError(key);
        kept.push({ key: k, raw });
      }
    }
  }
  if (kept.length === 0) return undefined;
  // NOTE: a stable sort: the objects of one key (a current one and its deposed ones) keep their order.
  kept.sort((a, b) => compareInstanceKeys(a.key, b.key));
  const open = realField[2] + 1;
  const first = realElements[0];
  const last = realElements.at(-1);
  const lead = first ? real.subarray(open, first[0]).toString('utf8') : '\n        ';
  const second = realElements[1];
  const sep = first && second ? real.subarray(first[1], second[0]).toString('utf8') : `,${lead}`;
  const close = realField[3] - 1;
  const tail = last ? real.subarray(last[1], close).toString('utf8') : '\n      ';
  const parts: Buffer[] = [real.subarray(0, open), Buffer.from(lead)];
  kept.forEach((k, n) => {
    if (n > 0) parts.push(Buffer.from(sep));
    parts.push(k.raw);
  });
  parts.push(Buffer.from(tail), real.subarray(close));
  return Buffer.concat(parts);
}

/** Appends to the output file in batches. */
class Writer {
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  bytes = 0;
  constructor(readonly fd: number) {}
  write(b: Buffer): void {
    if (b.length === 0) return;
    this.#pending.push(b);
    this.#pendingBytes += b.length;
    this.bytes += b.length;
    if (this.#pendingBytes >= 1 << 20) this.flush();
  }
  text(s: string): void {
    this.write(Buffer.from(s, 'utf8'));
  }
  flush(): void {
    let list = this.#pending;
    while (list.length > 0) {
      let n = writevSync(this.fd, list.slice(0, 1024));
      let k = 0;
      while (k < list.length && n >= (list[k] as Buffer).length) n -= (list[k++] as Buffer).length;
      list = list.slice(k);
      if (n > 0) list[0] = (list[0] as Buffer).subarray(n);
    }
    this.#pending = [];
    this.#pendingBytes = 0;
  }
}

const enum Mode {
  /** Bytes are copied to the output. */
  Copy,
  /** Bytes are dropped. */
  Drop,
  /** Bytes are kept aside until it is known whether they are copied (an entry header, an output's name). */
  Hold,
}

const enum Role {
  Top,
  Outputs,
  Resources,
  Entry,
}

/** A container velocity interprets: the document, its outputs object, its resources array, one entry. */
interface Frame {
  readonly role: Role;
  /** Object: the next string is a member name. */
  expectKey: boolean;
  key: string | undefined;
  // Outputs / Resources: the original whitespace around elements, to lay out what is emitted like the real state.
  originals: number;
  emitted: number;
  ws: string;
  lead: string | undefined;
  sep: string | undefined;
  inMember: boolean;
  // Entry: its key fields as read so far, and whether it was decided (copied or replaced).
  module: string | undefined;
  mode: string | undefined;
  type: string | undefined;
  name: string | undefined;
  decided: boolean;
  /** Entry: owned only for some instance keys; held whole until it ends, then merged instance by instance. */
  partial: ReadonlySet<string> | undefined;
}

const frame = (role: Role): Frame => ({
  role, expectKey: role !== Role.Resources, key: undefined, originals: 0, emitted: 0, ws: '', lead: undefined, sep: undefined, inMember: false,
  module: undefined, mode: undefined, type: undefined, name: undefined, decided: false, partial: undefined,
});

const ENTRY_FIELDS = new Set(['module', 'mode', 'type', 'name']);

/** The streaming splice of one real state; feed it chunks in order, then `end()`. */
class Splicer {
  readonly #w: Writer;
  readonly #serial: string;
  /** Owned entry id → the owned instance keys (canonical JSON), or undefined when the whole entry is owned. */
  readonly #owned: Map<string, ReadonlySet<string> | undefined>;
  readonly #ownedOutputs: Set<string>;
  readonly #entries: SubPiece[];
  readonly #outputs: SubPiece[];
  readonly #subEntries: Map<string, SubPiece>;
  readonly #subOutputs: Map<string, SubPiece>;
  /** Next sub entry / output not yet emitted in sorted order. */
  #nextEntry = 0;
  #nextOutput = 0;
  readonly #emitted = new Set<string>();
  readonly #matched = new Set<string>();
  readonly #removedEntries = new Set<string>();
  readonly #removedOutputs = new Set<string>();
  // Classification of the bytes of the current chunk from #cursor on.
  #mode = Mode.Copy;
  #cursor = 0;
  #chunk: Buffer = Buffer.alloc(0);
  #hold: Buffer[] = [];
  // Lexer.
  #offset = 0;
  #inString = false;
  #escaped = false;
  #inScalar = false;
  #capture: Buffer[] | undefined;
  #captureFrom = 0;
  /** Nesting depth inside a value no frame interprets (instances, an output's value, check_results). */
  #other = 0;
  readonly #frames: Frame[] = [];
  #done = false;
  #sawOutputs = false;
  #sawResources = false;

  constructor(w: Writer, serial: number, owned: SubStateOwnership, sub: { entries: SubPiece[]; outputs: SubPiece[] }) {
    this.#w = w;
    this.#serial = String(serial);
    this.#owned = new Map(owned.resources.map((r) => [entryId(r), r.keys === undefined ? undefined : new Set(r.keys.map((k) => JSON.stringify(k)))]));
    this.#ownedOutputs = new Set(owned.outputs);
    this.#entries = sub.entries;
    this.#outputs = sub.outputs;
    this.#subEntries = new Map(sub.entries.map((e) => [e.id, e]));
    this.#subOutputs = new Map(sub.outputs.map((o) => [o.id, o]));
  }

  summary(): MergeSummary {
    const replacedO = [...this.#subOutputs.keys()].filter((n) => this.#matched.has(`o:${n}`)).length;
    const matchedR = [...this.#subEntries.keys()].filter((id) => this.#matched.has(id)).length;
    return {
      resources: { replaced: matchedR, added: this.#entries.length - matchedR, removed: this.#removedEntries.size },
      outputs: { replaced: replacedO, added: this.#outputs.length - replacedO, removed: this.#removedOutputs.size },
      bytes: this.#w.bytes,
    };
  }

  #fail(code: 'STATE_NOT_JSON' | 'STATE_NOT_A_STATE' | 'STATE_TRUNCATED', what: string, at: number): never {
    throw new StateParseError(code, `the real state ${what} (byte ${this.#offset + at})`, { offset: this.#offset + at });
  }

  /** Classifies [cursor, pos) under the current mode, then switches to `mode` from `pos` on. */
  #setMode(mode: Mode, pos: number): void {
    if (pos > this.#cursor) {
      const part = this.#chunk.subarray(this.#cursor, pos);
      if (this.#mode === Mode.Copy) this.#w.write(part);
      else if (this.#mode === Mode.Hold) this.#hold.push(Buffer.from(part));
    }
    this.#cursor = pos;
    this.#mode = mode;
  }

  /** Writes the separator before the next element of an outputs/resources frame, in the real state's layout. */
  #separator(f: Frame): void {
    const lead = f.lead ?? '\n    ';
    this.#w.text(f.emitted === 0 ? lead : `,${f.sep ?? lead}`);
    f.emitted++;
  }

  /** Emits the sub-state's new entries that sort before `key` (all of them when undefined). */
  #insertEntriesBefore(f: Frame, key: ResourceEntryKey | undefined): void {
    while (this.#nextEntry < this.#entries.length) {
      const e = this.#entries[this.#nextEntry] as SubPiece;
      if (key !== undefined && compareEntryKeys(e.key as ResourceEntryKey, key) >= 0) break;
      this.#nextEntry++;
      if (this.#emitted.has(e.id)) continue;
      this.#emitted.add(e.id);
      this.#separator(f);
      this.#w.write(e.raw);
    }
  }

  #insertOutputsBefore(f: Frame, name: string | undefined): void {
    while (this.#nextOutput < this.#outputs.length) {
      const o = this.#outputs[this.#nextOutput] as SubPiece;
      if (name !== undefined && o.id >= name) break;
      this.#nextOutput++;
      if (this.#emitted.has(`o:${o.id}`)) continue;
      this.#emitted.add(`o:${o.id}`);
      this.#separator(f);
      this.#w.write(o.raw);
    }
  }

  /** An entry's key fields are known (at its "instances" or its end): copy it, or replace it, from `pos` on. */
  #decideEntry(f: Frame, pos: number): void {
    const parent = this.#frames[this.#frames.length - 2] as Frame;
    if (f.mode !== 'managed' && f.mode !== 'data') this.#fail('STATE_NOT_A_STATE', 'has a resources[] entry without a valid "mode"', pos);
    if (f.type === undefined || f.name === undefined) this.#fail('STATE_NOT_A_STATE', 'has a resources[] entry without "type" or "name"', pos);
    const key: ResourceEntryKey = { module: f.module ?? '', mode: f.mode, type: f.type, name: f.name };
    const id = entryId(key);
    f.decided = true;
    this.#insertEntriesBefore(parent, key);
    const sub = this.#subEntries.get(id);
    const owned = this.#owned.has(id);
    if (sub !== undefined && !owned) throw new MergeConflictError(key);
    if (sub === undefined && !owned) {
      this.#setMode(Mode.Copy, pos);
      this.#separator(parent);
      for (const h of this.#hold) this.#w.write(h);
      this.#hold = [];
      return;
    }
    const keys = this.#owned.get(id);
    if (keys !== undefined) {
      // NOTE: only some instances are owned: the entry is held (memory O(this entry)) and merged when it ends.
      f.partial = keys;
      this.#emitted.add(id);
      this.#setMode(Mode.Hold, pos);
      return;
    }
    this.#setMode(Mode.Drop, pos);
    this.#hold = [];
    if (sub === undefined) this.#removedEntries.add(id);
    else {
      this.#matched.add(id);
      if (!this.#emitted.has(id)) {
        this.#emitted.add(id);
        this.#separator(parent);
        this.#w.write(sub.raw);
      }
    }
  }

  /** A partly owned entry ended just before `pos`: its unowned instances stay, the owned ones come from the sub-state. */
  #finishPartial(f: Frame, pos: number): void {
    this.#setMode(Mode.Drop, pos);
    const real = Buffer.concat(this.#hold);
    this.#hold = [];
    const key: ResourceEntryKey = { module: f.module ?? '', mode: f.mode as 'managed' | 'data', type: f.type as string, name: f.name as string };
    const id = entryId(key);
    const sub = this.#subEntries.get(id);
    const merged = mergeInstances(real, sub?.raw, f.partial as ReadonlySet<string>, key);
    if (sub !== undefined) this.#matched.add(id);
    if (merged === undefined) {
      if (sub === undefined) this.#removedEntries.add(id);
      return;
    }
    this.#separator(this.#frames[this.#frames.length - 2] as Frame);
    this.#w.write(merged);
  }

  /** An output member's name was read; its bytes (held since its opening quote) are copied or replaced. */
  #decideOutput(f: Frame, name: string, pos: number): void {
    this.#insertOutputsBefore(f, name);
    const sub = this.#subOutputs.get(name);
    const owned = this.#ownedOutputs.has(name);
    if (sub !== undefined && !owned) throw new MergeConflictError({ output: name });
    if (sub === undefined && !owned) {
      this.#setMode(Mode.Copy, pos);
      this.#separator(f);
      for (const h of this.#hold) this.#w.write(h);
      this.#hold = [];
      return;
    }
    this.#setMode(Mode.Drop, pos);
    this.#hold = [];
    if (sub === undefined) this.#removedOutputs.add(name);
    else {
      this.#matched.add(`o:${name}`);
      if (!this.#emitted.has(`o:${name}`)) {
        this.#emitted.add(`o:${name}`);
        this.#separator(f);
        this.#w.write(sub.raw);
      }
    }
  }

  /** A value starts at `pos` directly inside frame `f`. */
  #valueStart(f: Frame, pos: number, c: number): void {
    if (f.role === Role.Resources) {
      if (c !== 0x7b) this.#fail('STATE_NOT_A_STATE', 'has a resources[] element that is not an object', pos);
      if (f.originals === 0) f.lead = f.ws;
      else if (f.originals === 1) f.sep = f.ws;
      f.originals++;
      this.#setMode(Mode.Hold, pos);
      return;
    }
    if (f.expectKey) this.#fail('STATE_NOT_JSON', 'is not valid JSON (a value where a member name belongs)', pos);
    if (f.role === Role.Top && f.key === 'serial') {
      this.#setMode(Mode.Drop, pos);
      this.#w.text(this.#serial);
    }
  }

  /** The value directly inside `f` ended just before `pos`. */
  #valueEnd(f: Frame, pos: number, text: string | undefined): void {
    switch (f.role) {
      case Role.Top:
        if (f.key === 'serial') this.#setMode(Mode.Copy, pos);
        break;
      case Role.Outputs:
        f.inMember = false;
        f.ws = '';
        this.#setMode(Mode.Drop, pos);
        break;
      case Role.Entry:
        if (f.key !== undefined && ENTRY_FIELDS.has(f.key)) {
          if (f.decided && f.key === 'module') this.#fail('STATE_NOT_A_STATE', 'has a resources[] entry whose "module" follows its "instances"', pos);
          if (text === undefined) this.#fail('STATE_NOT_A_STATE', `has a resources[] entry whose "${f.key}" is not a string`, pos);
          f[f.key as 'module' | 'mode' | 'type' | 'name'] = text;
        }
        break;
      case Role.Resources:
        f.ws = '';
        this.#setMode(Mode.Drop, pos);
        break;
    }
  }

  /** A member name ended just before `pos`. */
  #keyEnd(f: Frame, name: string, pos: number): void {
    f.key = name;
    f.expectKey = false;
    if (f.role === Role.Outputs) this.#decideOutput(f, name, pos);
    else if (f.role === Role.Entry && name === 'instances' && !f.decided && f.mode !== undefined && f.type !== undefined && f.name !== undefined) this.#decideEntry(f, pos);
    else if (f.role === Role.Top) {
      if (name === 'outputs') this.#sawOutputs = true;
      if (name === 'resources') this.#sawResources = true;
    }
  }

  #open(c: number, pos: number): void {
    const f = this.#frames.at(-1);
    if (f === undefined) {
      if (this.#done || c !== 0x7b) this.#fail('STATE_NOT_A_STATE', 'is not a JSON object', pos);
      this.#frames.push(frame(Role.Top));
      return;
    }
    if (f.role === Role.Outputs && f.expectKey) this.#fail('STATE_NOT_JSON', 'is not valid JSON', pos);
    this.#valueStart(f, pos, c);
    if (f.role === Role.Top && f.key === 'outputs' && c === 0x7b) {
      this.#frames.push(frame(Role.Outputs));
      this.#setMode(Mode.Drop, pos + 1);
    } else if (f.role === Role.Top && f.key === 'resources' && c === 0x5b) {
      this.#frames.push(frame(Role.Resources));
      this.#setMode(Mode.Drop, pos + 1);
    } else if (f.role === Role.Resources) this.#frames.push(frame(Role.Entry));
    else this.#other = 1;
  }

  #close(c: number, pos: number): void {
    const f = this.#frames.at(-1);
    if (f === undefined) this.#fail('STATE_NOT_JSON', 'is not valid JSON (unbalanced brackets)', pos);
    if ((c === 0x5d) !== (f.role === Role.Resources)) this.#fail('STATE_NOT_JSON', 'is not valid JSON (mismatched brackets)', pos);
    if (f.role === Role.Entry) {
      if (!f.decided) this.#decideEntry(f, pos + 1);
      if (f.partial !== undefined) this.#finishPartial(f, pos + 1);
      this.#frames.pop();
      this.#valueEnd(this.#frames.at(-1) as Frame, pos + 1, undefined);
      return;
    }
    if (f.role === Role.Outputs || f.role === Role.Resources) {
      this.#setMode(Mode.Copy, pos);
      if (f.role === Role.Outputs) this.#insertOutputsBefore(f, undefined);
      else this.#insertEntriesBefore(f, undefined);
      if (f.emitted > 0) this.#w.text(f.originals > 0 ? f.ws : '\n  ');
      this.#frames.pop();
      this.#valueEnd(this.#frames.at(-1) as Frame, pos + 1, undefined);
      return;
    }
    // The document ends: add outputs/resources it lacked but the sub-state brings.
    this.#setMode(Mode.Copy, pos);
    for (const [saw, name, list] of [[this.#sawOutputs, 'outputs', this.#outputs], [this.#sawResources, 'resources', this.#entries]] as const) {
      if (saw || list.length === 0) continue;
      const open = name === 'outputs' ? '{' : '[';
      const close = name === 'outputs' ? '}' : ']';
      this.#w.text(`,\n  "${name}": ${open}`);
      list.forEach((p, n) => {
        this.#w.text(n === 0 ? '\n    ' : ',\n    ');
        this.#w.write(p.raw);
      });
      this.#w.text(`\n  ${close}`);
      if (name === 'outputs') this.#nextOutput = list.length;
      else this.#nextEntry = list.length;
    }
    this.#frames.pop();
    this.#done = true;
  }

  /** The string being read ended just before `pos`: a member name or a value of the innermost frame. */
  #stringEnd(pos: number): void {
    const f = this.#frames.at(-1) as Frame;
    let text: string | undefined;
    if (this.#capture !== undefined) {
      this.#capture.push(this.#chunk.subarray(this.#captureFrom, pos));
      text = JSON.parse(Buffer.concat(this.#capture).toString('utf8')) as string;
      this.#capture = undefined;
    }
    if (f.role !== Role.Resources && f.expectKey) this.#keyEnd(f, text as string, pos);
    else this.#valueEnd(f, pos, text);
  }

  #stringStart(pos: number): void {
    const f = this.#frames.at(-1);
    if (f === undefined) this.#fail('STATE_NOT_A_STATE', 'is not a JSON object', pos);
    this.#inString = true;
    if (f.role !== Role.Resources && f.expectKey) {
      if (f.role === Role.Outputs) {
        if (f.originals === 0) f.lead = f.ws;
        else if (f.originals === 1) f.sep = f.ws;
        f.originals++;
        f.inMember = true;
        this.#setMode(Mode.Hold, pos);
      }
      this.#capture = [];
      this.#captureFrom = pos;
      return;
    }
    this.#valueStart(f, pos, 0x22);
    if (f.role === Role.Entry && f.key !== undefined && ENTRY_FIELDS.has(f.key)) {
      this.#capture = [];
      this.#captureFrom = pos;
    }
  }

  push(chunk: Buffer): void {
    this.#chunk = chunk;
    this.#cursor = 0;
    const n = chunk.length;
    let i = 0;
    while (i < n) {
      if (this.#inString) {
        // NOTE: strings are most of a state's bytes: jump to the next quote with indexOf, then count the
        // backslashes before it (bytes before `i` never hold a pending backslash: `#escaped` carries that).
        if (this.#escaped) {
          this.#escaped = false;
          i++;
          continue;
        }
        const q = chunk.indexOf(0x22, i);
        if (q < 0) {
          let b = 0;
          while (n - 1 - b >= i && chunk[n - 1 - b] === 0x5c) b++;
          this.#escaped = b % 2 === 1;
          i = n;
          break;
        }
        let b = 0;
        while (q - 1 - b >= i && chunk[q - 1 - b] === 0x5c) b++;
        i = q + 1;
        if (b % 2 === 1) continue;
        this.#inString = false;
        if (this.#other === 0) this.#stringEnd(i);
        continue;
      }
      const c = chunk[i] as number;
      if (this.#other > 0) {
        // NOTE: the hot loop over instances: only brackets and string starts matter at this depth.
        if (c === 0x22) this.#inString = true;
        else if (c === 0x7b || c === 0x5b) this.#other++;
        else if (c === 0x7d || c === 0x5d) {
          if (--this.#other === 0) this.#valueEnd(this.#frames.at(-1) as Frame, i + 1, undefined);
        }
        i++;
        continue;
      }
      if (this.#inScalar) {
        if (!isDelimiter(c)) {
          i++;
          continue;
        }
        this.#inScalar = false;
        this.#valueEnd(this.#frames.at(-1) as Frame, i, undefined);
      }
      const f = this.#frames.at(-1);
      if (isWs(c)) {
        if (f !== undefined && (f.role === Role.Resources || (f.role === Role.Outputs && !f.inMember)) && f.ws.length < 64) f.ws += String.fromCharCode(c);
        i++;
        continue;
      }
      switch (c) {
        case 0x22:
          this.#stringStart(i);
          break;
        case 0x7b:
        case 0x5b:
          this.#open(c, i);
          break;
        case 0x7d:
        case 0x5d:
          this.#close(c, i);
          break;
        case 0x3a:
          if (f === undefined || f.role === Role.Resources || f.expectKey === true && f.key === undefined) this.#fail('STATE_NOT_JSON', 'is not valid JSON (stray ":")', i);
          break;
        case 0x2c:
          if (f === undefined) this.#fail('STATE_NOT_JSON', 'is not valid JSON (stray ",")', i);
          if (f.role !== Role.Resources) {
            f.expectKey = true;
            f.key = undefined;
          }
          f.ws = '';
          break;
        default:
          if (f === undefined) this.#fail(this.#done ? 'STATE_NOT_JSON' : 'STATE_NOT_A_STATE', 'is not a JSON object', i);
          this.#valueStart(f, i, c);
          this.#inScalar = true;
      }
      i++;
    }
    // The rest of the chunk under the current mode; a string being captured keeps its tail.
    if (this.#capture !== undefined) {
      this.#capture.push(Buffer.from(chunk.subarray(this.#captureFrom)));
      this.#captureFrom = 0;
    }
    this.#setMode(this.#mode, n);
    this.#offset += n;
  }

  end(): void {
    if (!this.#done || this.#inString || this.#frames.length > 0) this.#fail('STATE_TRUNCATED', 'ends before its JSON object is complete', 0);
  }
}

/**
 * Streams `real` to `out` with the owned entries/outputs taken from the sub-state `sub`. O(real state) time;
 * memory O(largest entry header + chunk + sub-state), whatever the size of the untouched entries (streamed through).
 * Rules: an owned entry (or any entry the sub-state holds) is replaced by the sub-state's, or removed when the
 * sub-state lacks it; sub-state entries the real state lacks are inserted at Terraform's sorted position
 * (module, mode, type, name); root outputs likewise by name. serial := `serial`; everything else as in `real`.
 * NOTE: synchronous reads and writes in one pass: no interleaving is wanted while it runs, and they are faster.
 * @throws MergeConflictError (the sub-state holds an entry/output the real state has that it does not own),
 *   StateParseError / UnsupportedStateVersionError (either state is not a readable v4 state), SourceReadError.
 *   `out` is removed on any failure.
 */
export async function mergeSubState(input: MergeInput): Promise<MergeSummary> {
  const chunkSize = input.chunkSize ?? 1 << 20;
  const sub = readSubState(input.sub);
  readStateHead(input.real);
  let realFd: number;
  let ownFd = false;
  if ('fd' in input.real) realFd = input.real.fd;
  else {
    try {
      realFd = openSync(input.real.path, 'r');
    } catch (error) {
      throw new SourceReadError(input.real.path, error);
    }
    ownFd = true;
  }
  let outFd: number | undefined;
  try {
    outFd = openSync(input.out, 'w', 0o644);
    const writer = new Writer(outFd);
    const splicer = new Splicer(writer, input.serial, input.owned, sub);
    // NOTE: one chunk buffer, reused: the writer is flushed after every chunk (it holds slices of it), so memory
    // stays one chunk plus what is held, instead of a trail of chunks awaiting garbage collection.
    const chunk = Buffer.allocUnsafe(chunkSize);
    for (let position = 0; ; ) {
      const n = readSync(realFd, chunk, 0, chunkSize, position);
      if (n === 0) break;
      position += n;
      splicer.push(n === chunkSize ? chunk : chunk.subarray(0, n));
      writer.flush();
    }
    splicer.end();
    writer.flush();
    fsyncSync(outFd);
    closeSync(outFd);
    outFd = undefined;
    return splicer.summary();
  } catch (error) {
    if (outFd !== undefined) closeSync(outFd);
    try {
      unlinkSync(input.out);
    } catch {
      // never created
    }
    throw error;
  } finally {
    if (ownFd) closeSync(realFd);
  }
}
