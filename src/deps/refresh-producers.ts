// `deps refresh` and the bookkeeping after an apply: read the current outputs of producer states, and acknowledge a
// consumer that applied (its incoming edges observed its producers' current outputs).
// Guarantees: states are read in name order; a producer without a state yet is recorded as having no outputs.

import type { DepsGraph, ProducerSnapshot } from './deps-graph.js';
import { readProducerSnapshot } from './read-producer-snapshot.js';

export interface RefreshOptions {
  /** State name → its workspace directory. */
  readonly dirOf: (state: string) => string;
  readonly binary: string;
  readonly env: NodeJS.ProcessEnv;
  readonly signal?: AbortSignal;
}

/**
 * Reads every producer of `graph` (or only `only`) and records its snapshot. One state read per producer, each
 * O(that state). Returns the producers read, sorted.
 * @throws what readProducerSnapshot throws
 */
export async function refreshProducers(graph: DepsGraph, options: RefreshOptions, only?: readonly string[]): Promise<string[]> {
  const producers = [...new Set(graph.edges().map((e) => e.producer))].filter((p) => only === undefined || only.includes(p)).sort();
  for (const p of producers) {
    const snap: ProducerSnapshot = (await readProducerSnapshot(options.dirOf(p), options)) ?? { serial: 0, lineage: '', outputs: {}, readAt: new Date().toISOString() };
    graph.observeProducer(p, snap);
  }
  return producers;
}

/**
 * After a successful apply of `state`: its own outputs are read again (it may be a producer), then those of its
 * producers, and its incoming edges acknowledged. Returns the number of edges acknowledged. O(states read).
 */
export async function recordApplied(graph: DepsGraph, state: string, options: RefreshOptions): Promise<number> {
  const producers = graph.edges().filter((e) => e.consumer === state).map((e) => e.producer);
  await refreshProducers(graph, options, [state, ...producers]);
  return graph.acknowledge(state).length;
}
