// Loads the root module and every module it calls that lives on disk (local `./` sources, or installed ones
// listed in `.terraform/modules/modules.json`), summarizing each file through the parse cache.
// Guarantee: every `.tf`/`.tf.json` file of every reachable module is read; what cannot be followed is reported.

import { ConfigParseError } from './config-errors.js';
import { joinRelative, type ConfigReader } from './config-reader.js';
import { digestOf, summarizeConfigFile, type BlockSummary, type FileSummary } from './summarize-config-file.js';
import { SUMMARY_VERSION, type ParseCache } from './parse-cache.js';

/** One module of the configuration tree: one per module call path (instances share it). */
export interface ConfigModule {
  /** Module call names from the root: [] for the root, ['customer', 'net'] for `module.customer.module.net`. */
  readonly path: readonly string[];
  /** Directory relative to the working directory. */
  readonly dir: string;
  /** Configuration files read, relative to the working directory, sorted. */
  readonly files: readonly string[];
  /** Blocks of every file, in file order. */
  readonly blocks: readonly BlockSummary[];
}

/** Something the loader could not follow: a remote module not installed, an override file, a cycle of modules. */
export interface LoadProblem {
  readonly where: string;
  readonly reason: string;
}

export interface ConfigTree {
  /** Keyed by the path joined with '.' ('' for the root). */
  readonly modules: ReadonlyMap<string, ConfigModule>;
  readonly problems: readonly LoadProblem[];
}

const MAX_DEPTH = 32;

async function installedModules(reader: ConfigReader): Promise<Map<string, string>> {
  const text = await reader.readFile('.terraform/modules/modules.json');
  const out = new Map<string, string>();
  if (text === undefined) return out;
  try {
    const doc = JSON.parse(text) as { Modules?: { Key?: string; Dir?: string }[] };
    for (const m of doc.Modules ?? []) if (m.Key && m.Dir !== undefined) out.set(m.Key, joinRelative(m.Dir));
  } catch {
    // An unreadable manifest: remote modules are then reported as not followed.
  }
  return out;
}

function isConfigFile(name: string): boolean {
  return name.endsWith('.tf') || name.endsWith('.tf.json');
}

function isOverride(name: string): boolean {
  return /(^|_)override\.tf(\.json)?$/.test(name);
}

/**
 * Loads the module tree under `reader`. O(total configuration text) for files not in `cache`; a cached file
 * costs one digest of its text.
 * @throws ConfigParseError when a file does not parse
 */
export async function loadConfig(reader: ConfigReader, cache: ParseCache): Promise<ConfigTree> {
  const modules = new Map<string, ConfigModule>();
  const problems: LoadProblem[] = [];
  const installed = await installedModules(reader);

  const visit = async (path: readonly string[], dir: string): Promise<void> => {
    const names = await reader.listFiles(dir);
    if (names === undefined) {
      problems.push({ where: path.length === 0 ? 'root module' : `module.${path.join('.module.')}`, reason: `directory ${dir || '.'} not found` });
      return;
    }
    const files: string[] = [];
    const blocks: BlockSummary[] = [];
    for (const name of names.filter((n) => /\.tofu(\.json)?$/.test(n)))
      problems.push({ where: joinRelative(dir, name), reason: 'OpenTofu .tofu files (which shadow .tf files) are not read by the detector' });
    for (const name of names.filter(isConfigFile).sort()) {
      const file = joinRelative(dir, name);
      files.push(file);
      if (isOverride(name)) problems.push({ where: file, reason: 'override files merge into other blocks; not attributed' });
      const text = (await reader.readFile(file)) ?? '';
      const key = digestOf(`${SUMMARY_VERSION}\u0000${file}\u0000${text}`);
      let summary = cache.get<FileSummary>(key);
      if (summary === undefined) {
        summary = await summarizeConfigFile(file, text);
        cache.set(key, summary);
      }
      for (const b of summary.blocks) blocks.push(b);
    }
    modules.set(path.join('.'), { path, dir, files, blocks });
    for (const b of blocks) {
      if (b.kind !== 'module') continue;
      const callName = b.key.slice('module.'.length);
      const childPath = [...path, callName];
      const where = `module.${childPath.join('.module.')}`;
      if (childPath.length > MAX_DEPTH) {
        problems.push({ where, reason: `module nesting deeper than ${MAX_DEPTH} (a module calling itself?)` });
        continue;
      }
      const source = b.source;
      let childDir: string | undefined;
      if (source !== undefined && (source.startsWith('./') || source.startsWith('../'))) childDir = joinRelative(dir, source);
      else childDir = installed.get(childPath.join('.'));
      if (childDir === undefined) {
        problems.push({ where, reason: `module source ${JSON.stringify(source ?? '')} is not local and not installed (.terraform/modules)` });
        continue;
      }
      await visit(childPath, childDir);
    }
  };
  await visit([], '');
  if ((modules.get('')?.files.length ?? 0) === 0 && problems.length === 0)
    throw new ConfigParseError('.', 'no .tf or .tf.json files in the working directory');
  return { modules, problems };
}
