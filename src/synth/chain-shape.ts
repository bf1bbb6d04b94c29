// A chain n0 ← n1 ← … ← n(N-1): the deepest possible cones. Each node records every earlier node as a
// dependency (Terraform stores the transitive closure), so the state grows as N²: keep N modest.

import { dagShape } from './dag-shape.js';
import { SynthOptionsError } from './synth-errors.js';
import type { SynthShape } from './synth-resource.js';

/** NOTE: the closure makes the state O(N²) bytes (~1.2 GB at 10,000); refuse sizes past that. */
export const MAX_CHAIN = 10_000;

export function chainShape(resources: number, seed: number): SynthShape {
  if (resources > MAX_CHAIN) {
    throw new SynthOptionsError(`a chain of ${resources} resources would record ~${Math.round((resources * resources) / 2)} dependencies (quadratic); the limit is ${MAX_CHAIN}`);
  }
  const parents = (i: number): readonly number[] => (i === 0 ? [] : [i - 1]);
  return dagShape(resources, parents, seed, { depth: resources }, 'a chain, each node referencing the previous one');
}
