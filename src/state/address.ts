// Terraform addresses: parse and print resource instances, resources, module instances and module calls,
// exactly as Terraform prints them. print(parse(s)) === s for every canonical s; parse(print(a)) deep-equals a.
// String keys use HCL quoting (Terraform's addrs.StringKey): \" \\ \n \r \t, \uXXXX for non-printables, $${ and %%{.

import { AddressParseError } from '../errors.js';
import type { IndexKey, InstanceRecord } from './instance-record.js';

/** One step of a module path: `module.NAME` or `module.NAME[KEY]`. */
export interface ModuleStep {
  readonly name: string;
  /** undefined: no key written (a single-instance module, or in a target: every instance of the call). */
  readonly key?: IndexKey;
}

/** A resource or data source, optionally one instance of it, inside a module path. */
export interface ResourceAddress {
  readonly module: readonly ModuleStep[];
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly name: string;
  /** undefined: the whole resource (every instance); otherwise the instance key. */
  readonly key?: IndexKey;
}

/** What `-target` accepts: a resource (instance or all instances) or a module (instance or whole call). */
export type TargetAddress =
  | { readonly kind: 'resource'; readonly resource: ResourceAddress }
  | { readonly kind: 'module'; readonly module: readonly ModuleStep[] };

/** The module instance steps of a target: the resource's module, or the module address itself. O(1). */
export function targetModule(t: TargetAddress): readonly ModuleStep[] {
  return t.kind === 'resource' ? t.resource.module : t.module;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_-]*/;

/** First segments that name expressions, never resources (`var.x`, `local.y`...): Terraform rejects them as targets. */
const RESERVED_TYPES = new Set(['var', 'local', 'path', 'each', 'count', 'self', 'terraform', 'module']);

/** HCL-quotes a string key the way Terraform prints it. O(length). */
export function quoteKey(s: string): string {
  // NOTE: fast path for plain printable ASCII (nearly every real key): no per-character work.
  if (!/[^\x20-\x7e]|["\\]|[$%]\{/.test(s)) return `"${s}"`;
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const cp = s.codePointAt(i) ?? 0;
    const ch = String.fromCodePoint(cp);
    if (cp > 0xffff) i++;
    if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if ((ch === '$' || ch === '%') && s[i + 1] === '{') out += ch + ch;
    else if (ch === ' ' || /[\p{L}\p{M}\p{N}\p{P}\p{S}]/u.test(ch)) out += ch;
    else out += cp < 0x10000 ? `\\u${cp.toString(16).padStart(4, '0')}` : `\\U${cp.toString(16).padStart(8, '0')}`;
  }
  return out + '"';
}

/** Prints an index key as Terraform does: `[0]`, `["a"]`. */
export function formatKey(key: IndexKey): string {
  return typeof key === 'number' ? `[${key}]` : `[${quoteKey(key)}]`;
}

/** `data.TYPE.NAME` or `TYPE.NAME`: a record's resource inside its module, without module path or instance key. O(length). */
export function resourceLocalName(r: Pick<InstanceRecord, 'mode' | 'type' | 'name'>): string {
  return `${r.mode === 'data' ? 'data.' : ''}${r.type}.${r.name}`;
}

/**
 * THE address of a state record, exactly as Terraform prints it: `module.m["k"].aws_x.y[0]`. Every place that turns
 * a record into an address string calls this. `modulePath` overrides the record's module string (a caller that has
 * already canonicalised it). O(length).
 */
export function instanceAddress(r: Pick<InstanceRecord, 'module' | 'mode' | 'type' | 'name' | 'indexKey'>, modulePath: string = r.module): string {
  const local = r.indexKey === null ? resourceLocalName(r) : resourceLocalName(r) + formatKey(r.indexKey);
  return modulePath === '' ? local : `${modulePath}.${local}`;
}

/** `module.a["x"].module.b` for a module path; '' for the root. */
export function formatModulePath(path: readonly ModuleStep[]): string {
  return path.map((s) => `module.${s.name}${s.key === undefined ? '' : formatKey(s.key)}`).join('.');
}

/** Prints a resource or instance address exactly as Terraform does. */
export function formatResourceAddress(a: ResourceAddress): string {
  const mod = formatModulePath(a.module);
  const local = `${a.mode === 'data' ? 'data.' : ''}${a.type}.${a.name}${a.key === undefined ? '' : formatKey(a.key)}`;
  return mod === '' ? local : `${mod}.${local}`;
}

/** Prints a target address. */
export function formatTarget(t: TargetAddress): string {
  return t.kind === 'module' ? formatModulePath(t.module) : formatResourceAddress(t.resource);
}

/** A cursor over the address text; every failure names the offending position. */
class Reader {
  pos = 0;
  constructor(readonly text: string) {}
  fail(reason: string): never {
    throw new AddressParseError(this.text, `${reason} at character ${this.pos + 1}`);
  }
  done(): boolean {
    return this.pos >= this.text.length;
  }
  peek(): string {
    return this.text[this.pos] ?? '';
  }
  ident(): string {
    const m = IDENT.exec(this.text.slice(this.pos));
    if (!m) this.fail('expected a name');
    this.pos += m[0].length;
    return m[0];
  }
  expect(ch: string): void {
    if (this.text[this.pos] !== ch) this.fail(`expected '${ch}'`);
    this.pos++;
  }
  /** Reads `[0]` or `["key"]`; called with pos on '['. */
  key(): IndexKey {
    this.expect('[');
    let key: IndexKey;
    if (this.peek() === '"') key = this.quoted();
    else {
      const m = /^(0|[1-9][0-9]*)/.exec(this.text.slice(this.pos));
      if (!m) this.fail('expected a number or a quoted string key');
      key = Number(m[0]);
      if (!Number.isSafeInteger(key)) this.fail('index out of range');
      this.pos += m[0].length;
    }
    this.expect(']');
    return key;
  }
  quoted(): string {
    this.expect('"');
    let out = '';
    for (;;) {
      if (this.done()) this.fail('unterminated string key');
      const ch = this.text[this.pos++] as string;
      if (ch === '"') return out;
      if (ch === '\\') {
        const esc = this.text[this.pos++];
        if (esc === 'n') out += '\n';
        else if (esc === 'r') out += '\r';
        else if (esc === 't') out += '\t';
        else if (esc === '"') out += '"';
        else if (esc === '\\') out += '\\';
        else if (esc === 'u' || esc === 'U') {
          const len = esc === 'u' ? 4 : 8;
          const hex = this.text.slice(this.pos, this.pos + len);
          if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) this.fail('bad unicode escape');
          const cp = parseInt(hex, 16);
          if (cp > 0x10ffff) this.fail('unicode escape out of range');
          out += String.fromCodePoint(cp);
          this.pos += len;
        } else this.fail('unknown escape');
      } else if ((ch === '$' || ch === '%') && this.text[this.pos] === ch && this.text[this.pos + 1] === '{') {
        out += ch; // `$${` is a literal `${`
        this.pos++;
      } else out += ch;
    }
  }
}

/** Reads leading `module.NAME[KEY]` steps. */
function readModuleSteps(r: Reader): ModuleStep[] {
  const steps: ModuleStep[] = [];
  while (r.text.startsWith('module.', r.pos)) {
    r.pos += 'module.'.length;
    const name = r.ident();
    const step: ModuleStep = r.peek() === '[' ? { name, key: r.key() } : { name };
    steps.push(step);
    if (r.done()) break;
    r.expect('.');
  }
  return steps;
}

/** Reads `[data.]TYPE.NAME[KEY]` to the end. */
function readResource(r: Reader, module: ModuleStep[]): ResourceAddress {
  let mode: 'managed' | 'data' = 'managed';
  const at = r.pos;
  let type = r.ident();
  if (RESERVED_TYPES.has(type)) {
    r.pos = at;
    r.fail(`'${type}.' names an expression, not a resource`);
  }
  if (type === 'data' && r.peek() === '.') {
    mode = 'data';
    r.expect('.');
    type = r.ident();
  }
  r.expect('.');
  const name = r.ident();
  const key = r.peek() === '[' ? r.key() : undefined;
  if (!r.done()) r.fail('unexpected text after the address');
  return key === undefined ? { module, mode, type, name } : { module, mode, type, name, key };
}

/**
 * Parses any address `-target` accepts: a resource or instance, or a module instance or call. O(length).
 * @throws AddressParseError
 */
export function parseTarget(text: string): TargetAddress {
  const r = new Reader(text);
  if (text === '') r.fail('empty address');
  const module = readModuleSteps(r);
  if (r.done()) {
    if (text.endsWith('.')) r.fail('trailing dot');
    return { kind: 'module', module };
  }
  return { kind: 'resource', resource: readResource(r, module) };
}

/** Parses a resource or resource-instance address (not a bare module). @throws AddressParseError */
export function parseResourceAddress(text: string): ResourceAddress {
  const t = parseTarget(text);
  if (t.kind !== 'resource') throw new AddressParseError(text, 'names a module, not a resource');
  return t.resource;
}

/** Parses a module instance path as the state's `module` field prints it; '' is the root. @throws AddressParseError */
export function parseModulePath(text: string): ModuleStep[] {
  if (text === '') return [];
  const t = parseTarget(text);
  if (t.kind !== 'module') throw new AddressParseError(text, 'is not a module path');
  return [...t.module];
}
