// DepsGraph.ofEdges (the bulk load behind fromJson and the server's graph) accepts exactly the edge lists that adding
// them one by one accepts, builds the same graph, and refuses the rest with a typed DEPS_* error (a cycle named as
// `add` names it).
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { DepsCycleError } from '../../src/deps/deps-errors.js';
import { DepsGraph } from '../../src/deps/deps-graph.js';

const edge = fc.record({
  producer: fc.constantFrom('a', 'b', 'c', 'd', 'e'),
  output: fc.constantFrom('x', 'y'),
  consumer: fc.constantFrom('a', 'b', 'c', 'd', 'e'),
  input: fc.option(fc.constantFrom('i1', 'i2', 'i3'), { nil: undefined }),
});

it('agrees with one-by-one adds on random edge lists (property)', () => {
  fc.assert(
    fc.property(fc.array(edge, { maxLength: 12 }), (raw) => {
      const edges = raw.map((e) => ({ producer: e.producer, output: e.output, consumer: e.consumer, ...(e.input !== undefined ? { input: e.input } : {}) }));
      const one = new DepsGraph();
      let oneError: unknown;
      try {
        for (const e of edges) one.add(e);
      } catch (error) {
        oneError = error;
      }
      let bulk: DepsGraph | undefined;
      let bulkError: unknown;
      try {
        bulk = DepsGraph.ofEdges(edges);
      } catch (error) {
        bulkError = error;
      }
      if (oneError === undefined) {
        expect(bulkError).toBeUndefined();
        expect(bulk?.edges()).toEqual(one.edges());
      } else {
        expect(bulkError).toBeDefined();
        expect((bulkError as { code?: string }).code).toMatch(/^DEPS_(CYCLE|EDGE_EXISTS|INPUT)$/);
        expect((oneError as { code?: string }).code).toMatch(/^DEPS_(CYCLE|EDGE_EXISTS|INPUT)$/);
      }
    }),
    { numRuns: 500 },
  );
});

it('names the cycle it refuses', () => {
  const refused = (() => {
    try {
      DepsGraph.ofEdges([{ producer: 'b', output: 'x', consumer: 'c' }, { producer: 'a', output: 'x', consumer: 'b' }, { producer: 'c', output: 'x', consumer: 'a' }]);
    } catch (error) {
      return error;
    }
    return undefined;
  })();
  expect(refused).toBeInstanceOf(DepsCycleError);
  expect((refused as DepsCycleError).cycle).toEqual(['c', 'a', 'b', 'c']);
});
