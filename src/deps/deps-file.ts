// Where the dependency graph of local states lives and how it is read and written: `--deps FILE`, else
// $VELOCITY_DEPS, else `.velocity/deps.json` in the first workspace named. State names of local states are their
// workspace directories relative to the graph's base directory, in POSIX form: the directory of an explicit file, or
// the parent of the first workspace; the file records its base, so every way of opening it names states alike.
// Guarantees: written atomically (a reader sees the old graph or the new one); a missing file is an empty graph.

import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { readTextIfPresent, writeJsonAtomic } from '../json-file.js';
import { DepsFileError } from './deps-errors.js';
import { DepsGraph } from './deps-graph.js';

/** A graph file and the directory its local state names are relative to. */
export interface DepsLocation {
  readonly file: string;
  readonly base: string;
}

/** The graph file for `explicit` (--deps), the environment, or the first workspace named. O(1). */
export function depsLocation(options: { readonly explicit?: string; readonly env: NodeJS.ProcessEnv; readonly cwd: string; readonly firstWorkspace?: string }): DepsLocation {
  const given = options.explicit ?? options.env['VELOCITY_DEPS'];
  if (given !== undefined && given !== '') {
    const file = resolve(options.cwd, given);
    return { file, base: dirname(file) };
  }
  const workspace = resolve(options.cwd, options.firstWorkspace ?? '.');
  return { file: resolve(workspace, '.velocity', 'deps.json'), base: dirname(workspace) };
}

/** The name of the local state in directory `dir` (as given on the command line) within `loc`. O(1). */
export function localStateName(loc: DepsLocation, cwd: string, dir: string): string {
  const rel = relative(loc.base, isAbsolute(dir) ? dir : resolve(cwd, dir));
  return rel === '' ? '.' : rel.split(sep).join('/');
}

/** The workspace directory of a local state name. O(1). */
export function stateDirectory(loc: DepsLocation, name: string): string {
  return resolve(loc.base, name);
}

/**
 * Reads the graph (empty when the file does not exist) and the location with the base the file records. O(file).
 * @throws DepsFileError
 */
export async function readDepsGraph(where: DepsLocation): Promise<{ graph: DepsGraph; loc: DepsLocation }> {
  const loc = where;
  let text: string | undefined;
  try {
    text = await readTextIfPresent(loc.file);
  } catch (error) {
    throw new DepsFileError(loc.file, `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`, { cause: error });
  }
  if (text === undefined) return { graph: new DepsGraph(), loc };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new DepsFileError(loc.file, 'is not JSON', { cause: error });
  }
  const base = (value as { base?: unknown } | null)?.base;
  return { graph: DepsGraph.fromJson(value, loc.file), loc: typeof base === 'string' ? { file: loc.file, base: resolve(dirname(loc.file), base) } : loc };
}

/** Writes the graph atomically. O(graph). @throws DepsFileError */
export async function writeDepsGraph(loc: DepsLocation, graph: DepsGraph): Promise<void> {
  try {
    const base = relative(dirname(loc.file), loc.base).split(sep).join('/') || '.';
    await writeJsonAtomic(loc.file, { ...graph.toJson(), base }, { pretty: true });
  } catch (error) {
    throw new DepsFileError(loc.file, `cannot be written (${(error as NodeJS.ErrnoException).code ?? String(error)})`, { cause: error });
  }
}
