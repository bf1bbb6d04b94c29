// ConeCache answers exactly what topCone/bottomCone/refreshScope answer, whatever the order or form of the roots,
// on the first (miss) and the repeated (hit) query; and it stays within its bounds.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bottomCone } from '../../src/cone/bottom-cone.js';
import { topCone } from '../../src/cone/top-cone.js';
import { ConeCache } from '../../src/engine/cone-cache.js';
import { refreshScope } from '../../src/engine/refresh-scope.js';
import { StateGraph } from '../../src/graph/state-graph.js';
import { parseState } from '../../src/state/parse-state.js';
import { synthWorkspace } from '../../src/synth/synth-workspace.js';

const root = mkdtempSync(join(tmpdir(), 'velocity-conecache-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let graph: StateGraph;
let addresses: string[];
beforeAll(async () => {
  const s = await synthWorkspace({ shape: 'random', resources: 400, seed: 11, outDir: join(root, 'r') });
  graph = StateGraph.fromState(parseState(readFileSync(s.statePath)));
  addresses = graph.addresses();
});

describe('ConeCache', () => {
  it('equals the uncached queries, on misses and on hits', () => {
    const cache = new ConeCache(graph, { maxEntries: 64 });
    const roots = fc.uniqueArray(fc.integer({ min: 0, max: 399 }), { minLength: 1, maxLength: 4 }).map((ids) => ids.map((i) => addresses[i] as string));
    fc.assert(
      fc.property(roots, (list) => {
        const reversed = [...list].reverse();
        for (let round = 0; round < 2; round++) {
          expect(cache.topCone(list)).toEqual(topCone(graph, list));
          expect(cache.bottomCone(reversed)).toEqual(bottomCone(graph, list));
          const request = { changed: list.slice(1), targets: list.slice(0, 1) };
          expect(cache.refreshScope({ changed: [...request.changed].reverse(), targets: request.targets })).toEqual(refreshScope(graph, request));
        }
      }),
      { numRuns: 150 },
    );
    expect(cache.stats.hits).toBeGreaterThanOrEqual(3 * 150);
  });

  it('keys on resolved ids: repeated roots hit the same entry', () => {
    const cache = new ConeCache(graph);
    const first = cache.bottomCone(['terraform_data.n000000']);
    expect(cache.bottomCone(['terraform_data.n000000', 'terraform_data.n000000'])).toBe(first);
    expect(cache.stats).toEqual({ hits: 1, misses: 1 });
  });

  it('is bounded by entries and by addresses held', () => {
    const byEntries = new ConeCache(graph, { maxEntries: 10 });
    for (const a of addresses) byEntries.bottomCone([a]);
    expect(byEntries.size).toBe(10);
    const byAddresses = new ConeCache(graph, { maxEntries: 10_000, maxAddresses: 500 });
    for (const a of addresses) byAddresses.topCone([a]);
    expect(byAddresses.addressesHeld).toBeLessThanOrEqual(500);
    expect(byAddresses.size).toBeLessThan(addresses.length);
    expect(byAddresses.size).toBeGreaterThan(0);
  });
});
