// Effective values of the root module's input variables, as Terraform assigns them (later wins): TF_VAR_*
// environment, terraform.tfvars, terraform.tfvars.json, *.auto.tfvars(.json) in name order, then -var and
// -var-file in command-line order. Values are kept as digests of their text: equal text, equal digest; a file
// whose content is unknown (untracked at a git ref) gives digests equal to nothing else.

import { VariableInputError } from './config-errors.js';
import type { ConfigReader } from './config-reader.js';
import { parseHcl } from './hcl-parser.js';
import { readLiteralTfvars } from './read-literal-tfvars.js';
import { SUMMARY_VERSION, type ParseCache, type VarsSummary } from './parse-cache.js';
import { canonicalJson, digestOf } from './summarize-config-file.js';

/** One `-var NAME=VALUE` or `-var-file PATH` argument, in command-line order. */
export type VarArg = { readonly kind: 'var'; readonly value: string } | { readonly kind: 'file'; readonly path: string };

/** Where a variable's effective value came from, and its digest. */
export interface VariableValue {
  readonly digest: string;
  readonly source: string;
  /**
   * When set from a variable file as an object (or a list of strings): element key → digest of that element,
   * so a `for_each = var.X` module call can tell which of its instances' inputs changed.
   */
  readonly keys?: Readonly<Record<string, string>>;
}

interface FileVars {
  readonly vars: Map<string, string>;
  readonly keys: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

function elementDigests(v: unknown): Record<string, string> | undefined {
  if (Array.isArray(v)) {
    if (!v.every((x) => typeof x === 'string')) return undefined;
    return Object.fromEntries((v as string[]).map((x) => [x, digestOf(`elem\u0000${JSON.stringify(x)}`)]));
  }
  if (v === null || typeof v !== 'object') return undefined;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, digestOf(`elem\u0000${canonicalJson(x)}`)]));
}

async function tfvarsFile(
  reader: ConfigReader,
  cache: ParseCache | undefined,
  path: string,
  required: boolean,
): Promise<FileVars | undefined> {
  const text = await reader.readFile(path);
  if (text === undefined) {
    if (required) throw new VariableInputError(`variable file ${path} cannot be read`);
    return undefined;
  }
  const key = digestOf(`${SUMMARY_VERSION}\u0000tfvars\u0000${path.endsWith('.json') ? 'json' : 'hcl'}\u0000${text}`);
  const hit = cache?.get<VarsSummary>(key);
  if (hit !== undefined) return { vars: new Map(Object.entries(hit.vars)), keys: hit.keys ?? {} };
  let doc: Record<string, unknown>;
  if (path.endsWith('.json')) {
    try {
      doc = JSON.parse(text) as Record<string, unknown>;
    } catch (error) {
      throw new VariableInputError(`variable file ${path} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
  } else {
    // NOTE: most variable files are literals only; reading those directly skips the WebAssembly parser (seconds).
    doc = readLiteralTfvars(text) ?? (await parseHcl(path, text));
  }
  const out = new Map<string, string>();
  const keys: Record<string, Record<string, string>> = {};
  for (const [k, v] of Object.entries(doc ?? {})) {
    out.set(k, digestOf(`tfvars\u0000${canonicalJson(v)}`));
    const e = elementDigests(v);
    if (e !== undefined) keys[k] = e;
  }
  cache?.set(key, { vars: Object.fromEntries(out), keys });
  return { vars: out, keys };
}

/**
 * Resolves the effective value digest of every root variable that is set anywhere; unset ones fall back to
 * their default (the caller's business). `rootFiles` are the names of files in the working directory.
 * O(size of the variable files).
 * @throws VariableInputError, ConfigParseError
 */
export async function resolveRootVariables(
  reader: ConfigReader,
  rootFiles: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  args: readonly VarArg[],
  cache?: ParseCache,
  unknownFiles?: (path: string) => boolean,
): Promise<Map<string, VariableValue>> {
  const values = new Map<string, VariableValue>();
  for (const name of Object.keys(env).sort()) {
    const v = env[name];
    if (name.startsWith('TF_VAR_') && v !== undefined)
      values.set(name.slice(7), { digest: digestOf(`raw\u0000${v}`), source: `environment ${name}` });
  }
  const apply = (m: FileVars | undefined, source: string): void => {
    // A file whose content at the compared point is unknown: each value it sets is a value never seen before.
    const unknown = m !== undefined && unknownFiles?.(source) === true;
    for (const [k, d] of m?.vars ?? []) {
      const digest = unknown ? digestOf(`unknown\u0000${source}\u0000${k}`) : d;
      let keys = m?.keys[k];
      if (unknown && keys !== undefined) keys = Object.fromEntries(Object.keys(keys).map((e) => [e, digestOf(`unknown\u0000${source}\u0000${k}\u0000${e}`)]));
      values.set(k, keys === undefined ? { digest, source } : { digest, source, keys });
    }
  };
  apply(await tfvarsFile(reader, cache, 'terraform.tfvars', false), 'terraform.tfvars');
  apply(await tfvarsFile(reader, cache, 'terraform.tfvars.json', false), 'terraform.tfvars.json');
  for (const f of rootFiles.filter((n) => /\.auto\.tfvars(\.json)?$/.test(n)).sort()) apply(await tfvarsFile(reader, cache, f, true), f);
  for (const a of args) {
    if (a.kind === 'file') apply(await tfvarsFile(reader, cache, a.path, true), a.path);
    else {
      const eq = a.value.indexOf('=');
      if (eq <= 0) throw new VariableInputError(`-var ${JSON.stringify(a.value)} is not NAME=VALUE`);
      values.set(a.value.slice(0, eq).trim(), { digest: digestOf(`raw\u0000${a.value.slice(eq + 1)}`), source: '-var' });
    }
  }
  return values;
}
