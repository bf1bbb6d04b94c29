// Random edge insertions in any direction never leave a cycle: an edge that would close one is refused with
// DEPS_CYCLE naming a real cycle (consecutive states joined by existing edges, closed by the refused one), and
// everything else is accepted.
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { DepsGraph } from '../../src/deps/deps-graph.js';
import { DepsCycleError } from '../../src/deps/deps-errors.js';

it('refuses exactly the edges that close a cycle, naming it (property)', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.nat(5), fc.nat(5), fc.constantFrom('a', 'b')), { maxLength: 25 }), (inserts) => {
      const g = new DepsGraph();
      for (const [p, c, output] of inserts) {
        const producer = `s${p}`;
        const consumer = `s${c}`;
        if (g.edges().some((e) => e.producer === producer && e.consumer === consumer && e.output === output)) continue;
        // Brute force: does the consumer reach the producer already?
        const seen = new Set([consumer]);
        for (let grew = true; grew; ) {
          grew = false;
          for (const e of g.edges()) if (seen.has(e.producer) && !seen.has(e.consumer)) (seen.add(e.consumer), (grew = true));
        }
        const closes = seen.has(producer);
        try {
          g.add({ producer, output, consumer });
          expect(closes).toBe(false);
        } catch (error) {
          expect(error).toBeInstanceOf(DepsCycleError);
          expect(closes).toBe(true);
          const cycle = (error as DepsCycleError).cycle;
          expect(cycle[0]).toBe(producer);
          expect(cycle.at(-1)).toBe(producer);
          expect(cycle[1]).toBe(consumer);
          for (let i = 1; i + 1 < cycle.length; i++) expect(g.edges().some((e) => e.producer === cycle[i] && e.consumer === cycle[i + 1])).toBe(true);
        }
      }
    }),
    { numRuns: 300 },
  );
});
