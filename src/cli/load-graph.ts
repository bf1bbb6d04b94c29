// Shared by every command that takes `--state FILE`: load the state and build its graph, through the snapshot
// cache (off with VELOCITY_CACHE=0; directory from VELOCITY_CACHE_DIR), with a progress bar on a terminal.

import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { loadStateGraph } from '../graph/load-state-graph.js';
import type { StateGraph } from '../graph/state-graph.js';
import type { CliIo } from './cli-io.js';
import { createProgressBar } from './progress-bar.js';

/** Loads `--state` (a path, or `-` for stdin) into a StateGraph. @throws UsageError when no path is given. */
export async function loadGraph(statePath: string | undefined, io: CliIo, usage: string, options: { allowCycles?: boolean } = {}): Promise<StateGraph> {
  if (statePath === undefined) throw new UsageError(`--state FILE is required\n${usage}`);
  const path = statePath === '-' ? '-' : resolve(io.cwd, statePath);
  const total = path === '-' ? 0 : await stat(path).then((s) => s.size, () => 0);
  const bar = createProgressBar(io, { label: 'loading state', total });
  try {
    const loaded = await loadStateGraph(path, {
      stdin: io.stdin,
      sourceName: statePath,
      env: io.env,
      cache: io.env['VELOCITY_CACHE'] !== '0',
      onProgress: (bytes) => bar.update(bytes),
      ...(options.allowCycles !== undefined ? { allowCycles: options.allowCycles } : {}),
    });
    return loaded.graph;
  } finally {
    bar.stop();
  }
}
