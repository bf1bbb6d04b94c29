// A seeded random DAG: nodes fall in clusters of 64 consecutive nodes; each node references 0-3 random
// earlier nodes of its cluster, and a quarter of the nodes outside cluster 0 also reference n0 (a shared hub).
// Clusters bound every closure (≤ 64 nodes), so the state stays linear in N. Same seed, same DAG.

import { dagShape } from './dag-shape.js';
import { SeededRandom } from './seeded-random.js';
import type { SynthShape } from './synth-resource.js';

export const RANDOM_CLUSTER = 64;

export function randomShape(resources: number, seed: number): SynthShape {
  const rng = new SeededRandom(seed);
  const offsets = new Uint32Array(resources + 1);
  const targets: number[] = [];
  let edges = 0;
  for (let i = 0; i < resources; i++) {
    const start = i - (i % RANDOM_CLUSTER);
    const chosen = new Set<number>();
    const available = i - start;
    const want = Math.min(available, rng.int(4));
    // Bounded: `want` distinct picks among `available` earlier nodes of the cluster, at most 8 tries each.
    for (let tries = 0; chosen.size < want && tries < want * 8; tries++) chosen.add(start + rng.int(available));
    if (start > 0 && rng.next() < 0.25) chosen.add(0);
    for (const p of [...chosen].sort((a, b) => a - b)) targets.push(p);
    edges += chosen.size;
    offsets[i + 1] = targets.length;
  }
  const parents = (i: number): readonly number[] => targets.slice(offsets[i] as number, offsets[i + 1] as number);
  return dagShape(resources, parents, seed, { edges }, `a random DAG (seed ${seed}) in clusters of ${RANDOM_CLUSTER}`);
}
