// Reduces one parsed configuration file to what change detection needs per block: a digest of the block's
// body, the named values it references, the files it reads, and (module calls) each argument separately.
// Guarantee: two bodies with equal canonical JSON get equal digests; any textual change of a value changes it.

import { createHash } from 'node:crypto';
import { ConfigParseError } from './config-errors.js';
import { analyzeTemplates, isTemplate, unionFacts, type FileCall, type TemplateFacts } from './extract-references.js';
import { parseHcl } from './hcl-parser.js';

export type { FileCall } from './extract-references.js';

/** One expression (or body): digest of its canonical text, the values it references, the files it reads. */
export interface ExprSummary {
  readonly digest: string;
  readonly refs: readonly string[];
  readonly files: readonly FileCall[];
  /** Provider blocks only: the other blocks (`TYPE.NAME`) it names, whose configuration then enters its fingerprint. */
  readonly blocks?: readonly string[];
}

export type BlockKind =
  | 'resource'
  | 'data'
  | 'variable'
  | 'local'
  | 'module'
  | 'output'
  | 'provider'
  | 'terraform'
  | 'moved'
  | 'removed'
  | 'import'
  | 'check'
  | 'other';

/** One top-level block (a `locals` block yields one entry per local). */
export interface BlockSummary extends ExprSummary {
  readonly kind: BlockKind;
  /** Unique within a module: `TYPE.NAME`, `data.TYPE.NAME`, `var.N`, `local.N`, `module.N`, `output.N`, `provider.N[.ALIAS]`, ... */
  readonly key: string;
  /** The file it is declared in, relative to the working directory. */
  readonly file: string;
  /** Module calls: `source` and `version` as written. */
  readonly source?: string;
  readonly version?: string;
  /** Module calls: each input argument; `meta` holds count/for_each/providers/depends_on. */
  readonly args?: Readonly<Record<string, ExprSummary>>;
  readonly meta?: ExprSummary;
  /** Module calls: the `for_each` expression's text when it is a single expression (`${var.customers}`). */
  readonly forEach?: string;
  /** Provider blocks: whether the body sets anything besides `alias` (an empty block configures nothing). */
  readonly configured?: boolean;
}

export interface FileSummary {
  readonly blocks: readonly BlockSummary[];
}

/** Sorted-keys JSON: equal values print equally whatever the key order of the source. O(size). */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

/** Hex sha256, cut to 32 chars (128 bits: collisions are not a practical concern for change detection). */
export function digestOf(text: string | Uint8Array): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

function strings(value: unknown, out: string[]): void {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (value !== null && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      strings(v, out);
    }
}

type Facts = ReadonlyMap<string, TemplateFacts>;

function summarize(facts: Facts, value: unknown, withBlocks = false): ExprSummary {
  const text = canonicalJson(value);
  const all: string[] = [];
  strings(value, all);
  const f = unionFacts(all.map((t) => facts.get(t)).filter((x): x is TemplateFacts => x !== undefined));
  return {
    digest: digestOf(text),
    refs: f.refs,
    files: f.files,
    ...(withBlocks && f.blocks.length > 0 ? { blocks: f.blocks } : {}),
  };
}

function list(x: unknown): unknown[] {
  return Array.isArray(x) ? x : x === undefined ? [] : [x];
}

/** JSON syntax allows an array of objects wherever an object of blocks is expected: merge them. */
function merged(x: unknown): unknown {
  return Array.isArray(x) ? Object.assign({}, ...(x as object[])) : x;
}

function entries(x: unknown): [string, unknown][] {
  return x !== null && typeof x === 'object' && !Array.isArray(x)
    ? Object.entries(x as Record<string, unknown>).filter(([k]) => k !== '//')
    : [];
}

const MODULE_META = new Set(['source', 'version', 'count', 'for_each', 'providers', 'depends_on']);

function moduleCall(facts: Facts, file: string, name: string, body: unknown): BlockSummary {
  const b = (body ?? {}) as Record<string, unknown>;
  const args: Record<string, ExprSummary> = {};
  const meta: Record<string, unknown> = {};
  for (const [k, v] of entries(b)) {
    if (MODULE_META.has(k)) meta[k] = v;
    else args[k] = summarize(facts, v);
  }
  const whole = summarize(facts, b);
  return {
    kind: 'module',
    key: `module.${name}`,
    file,
    ...whole,
    ...(typeof b['source'] === 'string' ? { source: b['source'] } : {}),
    ...(b['version'] !== undefined ? { version: String(b['version']) } : {}),
    ...(typeof b['for_each'] === 'string' ? { forEach: b['for_each'] } : {}),
    args,
    meta: summarize(facts, meta),
  };
}

/**
 * Summarizes the blocks of one file already in Terraform's JSON syntax (from HCL or a `.tf.json`).
 * O(size of the file); every distinct template string goes through the HCL parser once (~0.4 ms each).
 */
export async function summarizeJsonConfig(file: string, doc: Record<string, unknown>): Promise<FileSummary> {
  const templates: string[] = [];
  strings(doc, templates);
  const facts = await analyzeTemplates(file, templates.filter(isTemplate));
  const blocks: BlockSummary[] = [];
  const push = (kind: BlockKind, key: string, body: unknown): void => {
    blocks.push({ kind, key, file, ...summarize(facts, body, kind === 'provider') });
  };
  for (const [top, value] of entries(doc)) {
    switch (top) {
      case 'resource':
      case 'data':
        for (const [type, byName] of entries(merged(value)))
          for (const [name, body] of entries(merged(byName)))
            push(top, `${top === 'data' ? 'data.' : ''}${type}.${name}`, list(body).length === 1 ? list(body)[0] : body);
        break;
      case 'variable':
      case 'output':
      case 'check':
        for (const [name, body] of entries(merged(value)))
          push(top, `${top === 'variable' ? 'var' : top}.${name}`, list(body).length === 1 ? list(body)[0] : body);
        break;
      case 'locals':
        for (const block of list(value)) for (const [name, v] of entries(block)) push('local', `local.${name}`, v);
        break;
      case 'module':
        for (const [name, body] of entries(merged(value)))
          blocks.push(moduleCall(facts, file, name, list(body)[0]));
        break;
      case 'provider':
        for (const [name, bodies] of entries(merged(value)))
          for (const body of list(bodies)) {
            const alias = (body as Record<string, unknown> | null)?.['alias'];
            const configured = entries(body).some(([k]) => k !== 'alias');
            const key = `provider.${name}${typeof alias === 'string' ? `.${alias}` : ''}`;
            blocks.push({ kind: 'provider', key, file, ...summarize(facts, body, true), configured });
          }
        break;
      default: {
        // terraform, moved, removed, import and anything newer: named by content, so reordering is no change.
        const kind: BlockKind = ['terraform', 'moved', 'removed', 'import'].includes(top) ? (top as BlockKind) : 'other';
        for (const body of list(value)) {
          const s = summarize(facts, body);
          blocks.push({ kind, key: `${top}#${s.digest.slice(0, 12)}`, file, ...s });
        }
      }
    }
  }
  return { blocks };
}

/**
 * Parses and summarizes one configuration file: `.tf` through HashiCorp's parser, `.tf.json` as JSON syntax.
 * @throws ConfigParseError
 */
export async function summarizeConfigFile(file: string, text: string): Promise<FileSummary> {
  let doc: Record<string, unknown>;
  if (file.endsWith('.json')) {
    try {
      doc = JSON.parse(text) as Record<string, unknown>;
    } catch (error) {
      throw new ConfigParseError(file, error instanceof Error ? error.message : String(error));
    }
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new ConfigParseError(file, 'not a JSON object');
  } else doc = await parseHcl(file, text);
  return summarizeJsonConfig(file, doc);
}
