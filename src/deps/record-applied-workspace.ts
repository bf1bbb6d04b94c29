// After a successful `velocity apply` of a local workspace: if a dependency graph names it ($VELOCITY_DEPS, or the
// workspace's own `.velocity/deps.json`), its outputs and those of its producers are read again and its incoming
// edges acknowledged, so `deps status` needs no manual `deps ack`. Guarantees: no graph, or a graph that does not
// name the workspace, reads and writes nothing.

import { existsSync } from 'node:fs';
import { depsLocation, localStateName, readDepsGraph, stateDirectory, writeDepsGraph } from './deps-file.js';
import { recordApplied } from './refresh-producers.js';

/**
 * The state name and the number of edges acknowledged, or undefined when no graph names `workDir`. Cost: one state
 * read per producer of the workspace (and of itself), plus the graph file.
 * @throws DepsFileError, and what reading a state throws
 */
export async function recordAppliedWorkspace(workDir: string, options: { readonly env: NodeJS.ProcessEnv; readonly binary: string }): Promise<{ state: string; acknowledged: number } | undefined> {
  const where = depsLocation({ env: options.env, cwd: workDir, firstWorkspace: workDir });
  if (!existsSync(where.file)) return undefined;
  const { graph, loc } = await readDepsGraph(where);
  const state = localStateName(loc, workDir, workDir);
  if (!graph.states().includes(state)) return undefined;
  const acknowledged = await recordApplied(graph, state, { dirOf: (s) => stateDirectory(loc, s), binary: options.binary, env: options.env });
  await writeDepsGraph(loc, graph);
  return { state, acknowledged };
}
