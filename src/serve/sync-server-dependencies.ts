// `deps sync` for states on a velocity server: the consumer's velocity_dependencies.tf reads each producer through
// the http backend at `<server>/tfstate/<guid>` (username velocity, the password left to TF_HTTP_PASSWORD).
// Guarantees: the same code path as local states (syncDependencies), only the backends differ; deterministic text.

import type { DepsGraph } from '../deps/deps-graph.js';
import { syncDependencies } from '../deps/sync-dependencies.js';
import { serverStateBackend } from './backend-block.js';
import type { ServeClient } from './serve-client.js';

/**
 * Writes `<dir>/velocity_dependencies.tf` for `consumer` (a logic id of `graph`, the server's graph). One request
 * per producer of the consumer (its guid, in name order), then O(edges + file).
 * @throws ServeClientError (a producer unknown to the server), DepsFileError
 */
export async function syncServerDependencies(client: ServeClient, graph: DepsGraph, consumer: string, dir: string): Promise<{ file: string; changed: boolean }> {
  const producers = [...new Set(graph.edges().filter((e) => e.consumer === consumer).map((e) => e.producer))].sort();
  const guids = new Map<string, string>();
  for (const p of producers) guids.set(p, (await client.get(p)).guid);
  return syncDependencies(graph, consumer, dir, (p) => serverStateBackend(client.server, guids.get(p) as string));
}
