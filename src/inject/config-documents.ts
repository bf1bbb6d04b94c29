// The configuration of every module as data the synthesizer can prune and re-emit: each file in Terraform's JSON
// syntax (`.tf` through HashiCorp's parser, `.tf.json` as written), normalised to one list of blocks per kind.
// Guarantees: every block of every file is kept in file order; nothing is evaluated.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigParseError } from '../config/config-errors.js';
import { parseHcl } from '../config/hcl-parser.js';
import type { ConfigTree } from '../config/load-config.js';
import type { SynthCache } from './synth-cache.js';

/** A JSON-syntax block body: attributes and nested blocks (expressions are template strings). */
export type Body = Record<string, unknown>;

/** The blocks of one module, by kind, names unique within a kind (Terraform rejects duplicates). */
export interface ModuleDoc {
  /** Module call names from the root ([] for the root). */
  readonly path: readonly string[];
  /** Directory relative to the working directory ('' for the root). */
  readonly dir: string;
  readonly variables: Map<string, Body>;
  readonly locals: Map<string, unknown>;
  readonly outputs: Map<string, Body>;
  readonly calls: Map<string, Body>;
  /** Resources (`TYPE.NAME`) and data sources (`data.TYPE.NAME`). */
  readonly resources: Map<string, { readonly mode: 'managed' | 'data'; readonly type: string; readonly name: string; readonly body: Body }>;
  /** Provider blocks: local name → bodies (one per alias). */
  readonly providers: Map<string, Body[]>;
  readonly terraform: Body[];
  /** Other top-level blocks (moved, import, removed, check...): kind → count. */
  readonly others: Map<string, number>;
  /** File each block came from, `kind:key` → file (for messages). */
  readonly files: readonly string[];
}

const list = (v: unknown): Body[] => (Array.isArray(v) ? (v as Body[]) : v !== null && typeof v === 'object' ? [v as Body] : []);
const entries = (v: unknown): [string, unknown][] => (v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.entries(v as Body) : []);

function add(doc: ModuleDoc, json: Body, file: string): void {
  for (const [kind, value] of Object.entries(json)) {
    if (kind === '//') continue;
    switch (kind) {
      case 'variable':
        for (const [n, b] of entries(value)) doc.variables.set(n, list(b)[0] ?? {});
        break;
      case 'output':
        for (const [n, b] of entries(value)) doc.outputs.set(n, list(b)[0] ?? {});
        break;
      case 'module':
        for (const [n, b] of entries(value)) doc.calls.set(n, list(b)[0] ?? {});
        break;
      case 'locals':
        for (const block of list(value)) for (const [n, e] of Object.entries(block)) if (n !== '//') doc.locals.set(n, e);
        break;
      case 'resource':
      case 'data':
        for (const [type, byName] of entries(value))
          for (const [name, b] of entries(byName)) {
            const key = kind === 'data' ? `data.${type}.${name}` : `${type}.${name}`;
            doc.resources.set(key, { mode: kind === 'data' ? 'data' : 'managed', type, name, body: list(b)[0] ?? {} });
          }
        break;
      case 'provider':
        for (const [n, b] of entries(value)) doc.providers.set(n, [...(doc.providers.get(n) ?? []), ...list(b)]);
        break;
      case 'terraform':
        doc.terraform.push(...list(value));
        break;
      default:
        doc.others.set(kind, (doc.others.get(kind) ?? 0) + Math.max(1, list(value).length));
    }
  }
  (doc.files as string[]).push(file);
}

/**
 * Reads every module of `tree` (as loadConfig found it) under `workingDir`. O(configuration text); `.tf` files go
 * through the WebAssembly HCL parser (~0.5 MB/s) unless `cache` has them.
 * @throws ConfigParseError
 */
export async function loadConfigDocuments(workingDir: string, tree: ConfigTree, cache?: SynthCache): Promise<Map<string, ModuleDoc>> {
  const out = new Map<string, ModuleDoc>();
  for (const [key, m] of [...tree.modules].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    const doc: ModuleDoc = {
      path: m.path, dir: m.dir, variables: new Map(), locals: new Map(), outputs: new Map(), calls: new Map(),
      resources: new Map(), providers: new Map(), terraform: [], others: new Map(), files: [],
    };
    for (const file of m.files) {
      const text = await readFile(join(workingDir, file), 'utf8');
      let json: Body;
      if (file.endsWith('.json')) {
        try {
          json = JSON.parse(text) as Body;
        } catch (error) {
          throw new ConfigParseError(file, error instanceof Error ? error.message : String(error));
        }
      } else json = cache ? await cache.document(file, text, () => parseHcl(file, text)) : await parseHcl(file, text);
      add(doc, json, file);
    }
    out.set(key, doc);
  }
  return out;
}
