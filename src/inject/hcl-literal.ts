// Writes a value from the state as an HCL expression that evaluates to exactly that value: strings quoted with
// template sequences escaped, collections converted to their schema type (`toset`, `tolist`, `tomap`), and the
// parts the state marks sensitive wrapped in `sensitive()`. Guarantees: pure, deterministic (object keys sorted).

/** A cty type as Terraform writes it in JSON (`"string"`, `["list","string"]`, `["object",{...}]`). */
export type CtyType = string | readonly [string, unknown] | readonly [string, unknown, unknown];

/** A path into a value, as the state's `sensitive_attributes` writes it. */
export type ValuePath = readonly ({ readonly type: 'get_attr'; readonly value: string } | { readonly type: 'index'; readonly value: { readonly value: unknown; readonly type: unknown } })[];

/** HCL-quotes a string: `"` `\` and control characters escaped, `${`/`%{` doubled so nothing interpolates. O(length). */
export function hclString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    const code = s.charCodeAt(i);
    if (c === '"') out += '\\"';
    else if (c === '\\') out += '\\\\';
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if ((c === '$' || c === '%') && s[i + 1] === '{') out += `${c}${c}`;
    else if (code < 0x20 || code === 0x7f) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += c;
  }
  return `${out}"`;
}

/** Sensitive marks as a tree: `true` marks the whole value; a map descends by attribute name or index key. */
type Marks = true | Map<string, Marks>;

function marksOf(paths: readonly ValuePath[]): Marks | undefined {
  let root: Marks | undefined;
  for (const path of paths) {
    if (path.length === 0) return true;
    if (root === true) return true;
    root ??= new Map();
    let node: Map<string, Marks> = root;
    for (const [i, step] of path.entries()) {
      const key = step.type === 'get_attr' ? step.value : String(step.value.value);
      if (i === path.length - 1) {
        node.set(key, true);
        break;
      }
      const next = node.get(key);
      if (next === true) break;
      const child = next ?? new Map<string, Marks>();
      node.set(key, child);
      node = child;
    }
  }
  return root;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;

function key(k: string): string {
  // NOTE: an identifier key is written bare; anything else quoted (HCL reads `"a b" = ...` as a literal key).
  return IDENT.test(k) && k !== 'null' && k !== 'true' && k !== 'false' ? k : hclString(k);
}

function isWrapped(v: unknown): v is { value: unknown; type: unknown } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 2 && 'value' in v && 'type' in v;
}

function write(value: unknown, type: CtyType | undefined, marks: Marks | undefined): string {
  if (marks === true) return `sensitive(${write(value, type, undefined)})`;
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return hclString(value);
  if (typeof value === 'number' || typeof value === 'boolean') return JSON.stringify(value);
  const kind = Array.isArray(type) ? (type[0] as string) : typeof type === 'string' ? type : undefined;
  // A dynamic attribute is stored with its type, `{"value": ..., "type": ...}` (cty's JSON for DynamicPseudoType).
  if (kind === 'dynamic' && isWrapped(value)) return write(value.value, value.type as CtyType, marks);
  if (kind === 'dynamic' || type === undefined || typeof type === 'string') {
    if (Array.isArray(value)) return `[${value.map((v, i) => write(v, undefined, marks?.get(String(i)))).join(', ')}]`;
    const o = value as Record<string, unknown>;
    return `{ ${Object.keys(o).sort().map((k) => `${key(k)} = ${write(o[k], undefined, marks?.get(k))}`).join(', ')} }`;
  }
  const t = type as readonly unknown[];
  if (kind === 'list' || kind === 'set') {
    const items = (value as unknown[]).map((v, i) => write(v, t[1] as CtyType, marks?.get(String(i))));
    return `${kind === 'set' ? 'toset' : 'tolist'}([${items.join(', ')}])`;
  }
  if (kind === 'tuple') {
    const types = (t[1] ?? []) as CtyType[];
    return `[${(value as unknown[]).map((v, i) => write(v, types[i], marks?.get(String(i)))).join(', ')}]`;
  }
  const o = value as Record<string, unknown>;
  if (kind === 'map') return `tomap({ ${Object.keys(o).sort().map((k) => `${hclString(k)} = ${write(o[k], t[1] as CtyType, marks?.get(k))}`).join(', ')} })`;
  // object: attribute types by name
  const attrs = (t[1] ?? {}) as Record<string, CtyType>;
  return `{ ${Object.keys(o).sort().map((k) => `${key(k)} = ${write(o[k], attrs[k], marks?.get(k))}`).join(', ')} }`;
}

/**
 * `value` as an HCL expression of type `type` (a plain JSON-shaped literal when the type is unknown or dynamic),
 * with `sensitive()` around every part `sensitive` names. O(size of value).
 */
export function hclLiteral(value: unknown, type?: CtyType, sensitive: readonly ValuePath[] = []): string {
  return write(value, type, marksOf(sensitive));
}
