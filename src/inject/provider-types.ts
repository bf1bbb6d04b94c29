// The value type of each resource type's state object, from the provider schemas: what a literal of that object
// must be converted to (sets stay sets, dynamic attributes are unwrapped). Terraform's built-in provider is known
// here; any other comes from `<bin> providers schema -json`, run once and cached by the lock file's digest.
// Guarantees: a type is never guessed; a provider without a schema is reported, so the caller falls back.

import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { runBinary } from '../tf/run-binary.js';
import type { CtyType } from './hcl-literal.js';

/** `managed:TYPE` / `data:TYPE` → object type of its state. */
export type ResourceTypes = ReadonlyMap<string, CtyType>;

export const BUILTIN_PROVIDER = 'terraform.io/builtin/terraform';

const BUILTIN: ReadonlyMap<string, CtyType> = new Map<string, CtyType>([
  ['managed:terraform_data', ['object', { id: 'string', input: 'dynamic', output: 'dynamic', triggers_replace: 'dynamic' }]],
  ['data:terraform_remote_state', ['object', { backend: 'string', config: 'dynamic', defaults: 'dynamic', outputs: 'dynamic', workspace: 'string' }]],
]);

interface SchemaBlock {
  attributes?: Record<string, { type?: CtyType; nested_type?: SchemaNested }>;
  block_types?: Record<string, { nesting_mode: string; block: SchemaBlock }>;
}
interface SchemaNested {
  attributes?: Record<string, { type?: CtyType; nested_type?: SchemaNested }>;
  nesting_mode: string;
}

function nest(mode: string, inner: CtyType): CtyType {
  if (mode === 'list' || mode === 'group' || mode === 'single') return mode === 'list' ? ['list', inner] : inner;
  if (mode === 'set') return ['set', inner];
  if (mode === 'map') return ['map', inner];
  return inner;
}

function attrsType(attrs: SchemaNested['attributes']): Record<string, CtyType> {
  const out: Record<string, CtyType> = {};
  for (const [n, a] of Object.entries(attrs ?? {})) out[n] = a.type ?? (a.nested_type ? nest(a.nested_type.nesting_mode, ['object', attrsType(a.nested_type.attributes)]) : 'dynamic');
  return out;
}

/** The object type of a schema block (attributes and nested blocks). O(schema). */
export function blockType(block: SchemaBlock): CtyType {
  const out = attrsType(block.attributes);
  for (const [n, b] of Object.entries(block.block_types ?? {})) out[n] = nest(b.nesting_mode, blockType(b.block));
  return ['object', out];
}

/** Provider source address of a state `provider` field: `provider["registry.terraform.io/x/y"].alias` → `registry.terraform.io/x/y`. */
export function providerSource(provider: string): string {
  return /provider\["([^"]+)"\]/.exec(provider)?.[1] ?? provider;
}

export interface ProviderTypesOptions {
  readonly binary: string;
  readonly workingDir: string;
  readonly env: NodeJS.ProcessEnv;
  readonly signal?: AbortSignal;
}

/**
 * Types of the resource types named (`{ provider, key: 'managed:TYPE' }`). Built-in ones cost nothing; others run
 * `providers schema -json` once per lock file (cached under `.velocity/cache`). Returns the keys it could not type.
 */
export async function resourceTypes(wanted: readonly { provider: string; key: string }[], options: ProviderTypesOptions): Promise<{ types: ResourceTypes; missing: string[] }> {
  const types = new Map<string, CtyType>();
  const rest = wanted.filter((w) => {
    const t = providerSource(w.provider) === BUILTIN_PROVIDER ? BUILTIN.get(w.key) : undefined;
    if (t !== undefined) types.set(w.key, t);
    return t === undefined;
  });
  if (rest.length === 0) return { types, missing: [] };
  const schemas = await providerSchemas(options);
  const missing: string[] = [];
  for (const w of rest) {
    const t = schemas?.get(`${providerSource(w.provider)}|${w.key}`);
    if (t === undefined) missing.push(w.key);
    else types.set(w.key, t);
  }
  return { types, missing: [...new Set(missing)].sort() };
}

async function providerSchemas(options: ProviderTypesOptions): Promise<Map<string, CtyType> | undefined> {
  let lock = '';
  try {
    lock = await readFile(join(options.workingDir, '.terraform.lock.hcl'), 'utf8');
  } catch {
    // no lock file: the schema is read every time (a workspace with reattached providers, tests)
  }
  const digest = createHash('sha256').update(`v1\u0000${options.binary}\u0000${lock}\u0000${options.env['TF_REATTACH_PROVIDERS'] ?? ''}`).digest('hex').slice(0, 24);
  const cachePath = join(options.workingDir, '.velocity', 'cache', `schema-types-${digest}.json`);
  // NOTE: a schema can be tens of MB (AWS) and takes seconds to print: only the derived types are cached.
  if (lock !== '') {
    try {
      return new Map(Object.entries(JSON.parse(await readFile(cachePath, 'utf8')) as Record<string, CtyType>));
    } catch {
      // not cached yet
    }
  }
  const run = await runBinary(options.binary, ['providers', 'schema', '-json'], {
    cwd: options.workingDir, env: options.env, capture: true, timeoutMs: 120_000, ...(options.signal ? { signal: options.signal } : {}),
  });
  if (run.exitCode !== 0) return undefined;
  let doc: { provider_schemas?: Record<string, { resource_schemas?: Record<string, { block: SchemaBlock }>; data_source_schemas?: Record<string, { block: SchemaBlock }> }> };
  try {
    doc = JSON.parse(run.stdout) as typeof doc;
  } catch {
    return undefined;
  }
  const out = new Map<string, CtyType>();
  for (const [source, p] of Object.entries(doc.provider_schemas ?? {})) {
    for (const [t, s] of Object.entries(p.resource_schemas ?? {})) out.set(`${source}|managed:${t}`, blockType(s.block));
    for (const [t, s] of Object.entries(p.data_source_schemas ?? {})) out.set(`${source}|data:${t}`, blockType(s.block));
  }
  if (lock !== '') {
    try {
      await mkdir(dirname(cachePath), { recursive: true });
      await writeFile(`${cachePath}.tmp`, JSON.stringify(Object.fromEntries([...out].sort((a, b) => (a[0] < b[0] ? -1 : 1)))));
      await rename(`${cachePath}.tmp`, cachePath);
    } catch {
      // NOTE: the cache is an optimization; an unwritable directory only costs the schema run next time.
    }
  }
  return out;
}
