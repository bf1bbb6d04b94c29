// One pass over a configuration directory: load and parse (through the parse cache), resolve root variable
// values, build the reference graph and fingerprint every block. What `detect` compares and `ledger record` stores.

import { join } from 'node:path';
import type { ConfigReader } from '../config/config-reader.js';
import { diskReader } from '../config/config-reader.js';
import { buildConfigGraph, type ConfigGraph, type Guard } from '../config/config-graph.js';
import { fingerprintBlocks, fingerprintOutputs } from './fingerprint.js';
import { loadConfig } from '../config/load-config.js';
import { ParseCache } from '../config/parse-cache.js';
import { resolveRootVariables, type VarArg } from '../config/root-variables.js';

export interface FingerprintOptions {
  /** The root module's directory (where terraform runs). */
  readonly workingDir: string;
  /** `-var` and `-var-file` arguments, in command-line order. @default [] */
  readonly varArgs?: readonly VarArg[];
  /** Environment (TF_VAR_*, TF_WORKSPACE). @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Parse cache file; false disables it. @default `<workingDir>/.velocity/parse-cache.json` */
  readonly cachePath?: string | false;
  /** `terraform.workspace`. @default TF_WORKSPACE, else `.terraform/environment`, else 'default' */
  readonly workspace?: string;
  /** Read the configuration from here instead of the disk (used by `--changed-since`). */
  readonly reader?: ConfigReader;
  /** `path.cwd`. @default workingDir */
  readonly pathCwd?: string;
  /** Variable files whose values are unknown (not tracked at a git ref): every variable they set counts as changed. */
  readonly unknownVarFiles?: (path: string) => boolean;
}

export interface ConfigFingerprints {
  readonly graph: ConfigGraph;
  /** Block address → fingerprint. */
  readonly blocks: ReadonlyMap<string, string>;
  readonly outputs: ReadonlyMap<string, string>;
  /** The graph's guards, a provider's digest replaced by its fingerprint (everything its configuration reads). */
  readonly guards: ReadonlyMap<string, Guard>;
  readonly stats: { readonly modules: number; readonly files: number; readonly blocks: number };
}

/**
 * Fingerprints every resource and data block of the configuration rooted at `workingDir`.
 * O(configuration text) for files not in the parse cache, O(number of files + blocks) otherwise.
 * @throws ConfigParseError, VariableInputError
 */
export async function fingerprintConfig(options: FingerprintOptions): Promise<ConfigFingerprints> {
  const reader = options.reader ?? diskReader(options.workingDir);
  const env = options.env ?? process.env;
  const cache = await new ParseCache(
    options.cachePath === false ? undefined : options.cachePath ?? join(options.workingDir, '.velocity', 'parse-cache.json'),
  ).load();
  const tree = await loadConfig(reader, cache);
  const rootFiles = (await reader.listFiles('')) ?? [];
  const rootVariables = await resolveRootVariables(reader, rootFiles, env, options.varArgs ?? [], cache, options.unknownVarFiles);
  // NOTE: a snapshot at a git ref would evict the live tree's entries (the cache keeps only what a run used).
  if (options.reader === undefined) await cache.save();
  const workspace =
    options.workspace ?? env['TF_WORKSPACE'] ?? (await reader.readFile('.terraform/environment'))?.trim() ?? 'default';
  const graph = await buildConfigGraph(tree, reader, { rootVariables, workspace, cwd: options.pathCwd ?? options.workingDir });
  const blocks = fingerprintBlocks(graph);
  const outputs = fingerprintOutputs(graph);
  const providers = [...graph.guards].filter(([, g]) => g.node !== undefined);
  const providerFps = fingerprintBlocks({ ...graph, blocks: providers.map(([k, g]) => ({ id: g.node as string, address: k, modulePath: [], file: '' })) });
  const guards = new Map([...graph.guards].map(([k, g]) => [k, g.node === undefined ? g : { ...g, digest: providerFps.get(k) as string }]));
  let files = 0;
  for (const m of tree.modules.values()) files += m.files.length;
  return { graph, blocks, outputs, guards, stats: { modules: tree.modules.size, files, blocks: graph.blocks.length } };
}
