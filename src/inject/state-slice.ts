// Writes the state slice of a sub-workspace: the real state's lineage, serial and Terraform version with only the
// kept instances (their objects exactly as stored) and the kept root outputs, in a local backend's file.
// Guarantees: a valid tfstate v4; resources in state order; the real state is never written. A slice whose plan is
// saved gets another lineage, so that plan file can never be applied to the real state (it would drop every
// instance the slice does not hold).

import { writeFile } from 'node:fs/promises';
import type { StateGraph } from '../graph/state-graph.js';

/**
 * Writes `path`. `ids` are instance ids in state order; `objects` their stored objects. O(slice size).
 */
export async function writeStateSlice(
  path: string, graph: StateGraph, ids: readonly number[], objects: ReadonlyMap<number, Record<string, unknown>>, outputs: readonly string[],
  lineage: string = graph.meta.lineage,
): Promise<void> {
  const resources: { module?: string; mode: string; type: string; name: string; provider: string; instances: unknown[] }[] = [];
  let last: (typeof resources)[number] | undefined;
  let lastKey = '';
  for (const id of ids) {
    const r = graph.index.record(id);
    const key = `${r.module}\u0000${r.mode}\u0000${r.type}\u0000${r.name}`;
    if (!last || key !== lastKey) {
      last = { ...(r.module !== '' ? { module: r.module } : {}), mode: r.mode, type: r.type, name: r.name, provider: r.provider, instances: [] };
      resources.push(last);
      lastKey = key;
    }
    last.instances.push(objects.get(id));
  }
  const meta = graph.meta;
  const keptOutputs: Record<string, unknown> = {};
  for (const name of outputs) if (meta.outputs[name] !== undefined) keptOutputs[name] = meta.outputs[name];
  const doc = { version: 4, terraform_version: meta.terraformVersion, serial: meta.serial, lineage, outputs: keptOutputs, resources, check_results: null };
  await writeFile(path, `${JSON.stringify(doc, null, 2)}\n`);
}
