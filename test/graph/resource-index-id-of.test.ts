// ResourceIndex.idOf answers the first lookups by scanning and later ones from a map: both modes give the same id
// for every address (present, absent, repeated), in any order of lookups.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ResourceIndex } from '../../src/graph/resource-index.js';

function indexOf(addresses: string[]): ResourceIndex {
  const n = addresses.length;
  const empty = new Uint32Array(0);
  return new ResourceIndex({ addresses, records: [], upOffsets: new Uint32Array(n + 1), upTargets: empty, downOffsets: new Uint32Array(n + 1), downTargets: empty });
}

describe('ResourceIndex.idOf', () => {
  it('agrees with a last-wins map over 40 lookups, across the switch from scans to the map', () => {
    const address = fc.constantFrom('a.x', 'a.y', 'module.m["k"].a.x', 'b.z[0]', 'b.z[1]', 'c.w', 'data.d.e');
    fc.assert(
      fc.property(fc.array(address, { maxLength: 12 }), fc.array(address, { minLength: 40, maxLength: 40 }), (addresses, lookups) => {
        const expected = new Map<string, number>();
        addresses.forEach((a, i) => expected.set(a, i));
        const index = indexOf(addresses);
        for (const q of lookups) expect(index.idOf(q)).toBe(expected.get(q));
      }),
      { numRuns: 200 },
    );
  });
});
