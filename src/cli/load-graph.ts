// Shared by every command that takes `--state FILE`: load the state and build its graph.

import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { StateGraph } from '../graph/state-graph.js';
import { loadState } from '../state/load-state.js';
import type { CliIo } from './cli-io.js';

/** Loads `--state` (a path, or `-` for stdin) into a StateGraph. @throws UsageError when no path is given. */
export async function loadGraph(statePath: string | undefined, io: CliIo, usage: string, options: { allowCycles?: boolean } = {}): Promise<StateGraph> {
  if (statePath === undefined) throw new UsageError(`--state FILE is required\n${usage}`);
  const path = statePath === '-' ? '-' : resolve(io.cwd, statePath);
  const state = await loadState(path, { stdin: io.stdin, sourceName: statePath });
  return StateGraph.fromState(state, options);
}
