// Status derivation and the re-plan order against a brute-force recomputation on random multigraphs: stale iff an
// incoming edge is dirty or pending; potentially-stale iff reachable from a stale state (transitive closure) and not
// stale itself; the order lists exactly the expected states, each after every state it reads from.
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { DepsGraph, type DepEdge } from '../../src/deps/deps-graph.js';
import { replanOrder } from '../../src/deps/replan-order.js';
import { stateStatuses } from '../../src/deps/state-status.js';

const N = 7;
const names = Array.from({ length: N }, (_, i) => `s${i}`);
const digests = ['d1', 'd2'];

/** A random acyclic multigraph (edges only from a lower to a higher index), random producer snapshots and observations. */
const world = fc.record({
  edges: fc.array(fc.record({ a: fc.nat(N - 2), gap: fc.integer({ min: 1, max: N - 1 }), output: fc.constantFrom('o1', 'o2', 'o3'), observed: fc.constantFrom(null, 'd1', 'd2') }), { maxLength: 18 }),
  snapshots: fc.array(fc.option(fc.dictionary(fc.constantFrom('o1', 'o2', 'o3'), fc.constantFrom(...digests)), { nil: undefined }), { minLength: N, maxLength: N }),
});

interface World {
  readonly edges: readonly { a: number; gap: number; output: string; observed: string | null }[];
  readonly snapshots: readonly (Record<string, string> | undefined)[];
}

function build(w: World): DepsGraph {
  const g = new DepsGraph();
  for (const e of w.edges) {
    const consumer = names[Math.min(N - 1, e.a + e.gap)] as string;
    const producer = names[e.a] as string;
    if (g.edges().some((x) => x.producer === producer && x.output === e.output && x.consumer === consumer)) continue;
    g.add({ producer, output: e.output, consumer, observed: e.observed });
  }
  w.snapshots.forEach((outputs: Record<string, string> | undefined, i: number) => outputs && g.observeProducer(names[i] as string, { serial: 1, lineage: 'L', outputs, readAt: '' }));
  return g;
}

function bruteEdge(g: DepsGraph, e: DepEdge): string {
  const snap = g.producer(e.producer);
  if (snap && !(e.output in snap.outputs)) return 'missing-output';
  if (e.observed === null || !snap) return 'pending';
  return snap.outputs[e.output] === e.observed ? 'ok' : 'dirty';
}

it('statuses and orders equal a brute-force recomputation (property)', () => {
  fc.assert(
    fc.property(world, (w) => {
      const g = build(w);
      const states = g.states();
      const reach = new Map(states.map((s) => [s, new Set<string>()]));
      for (const e of g.edges()) reach.get(e.producer)?.add(e.consumer);
      for (const k of states) for (const i of states) if (reach.get(i)?.has(k)) for (const j of reach.get(k) ?? []) reach.get(i)?.add(j);
      const stale = new Set(states.filter((s) => g.edges().some((e) => e.consumer === s && ['dirty', 'pending'].includes(bruteEdge(g, e)))));
      const expected = states.map((s) => (stale.has(s) ? 'stale' : [...stale].some((t) => reach.get(t)?.has(s)) ? 'potentially-stale' : 'clean'));
      const got = stateStatuses(g);
      expect(got.map((x) => x.state)).toEqual(states);
      expect(got.map((x) => x.status)).toEqual(expected);
      for (const x of got) expect(x.incoming.map((i) => i.status)).toEqual(g.edges().filter((e) => e.consumer === x.state).map((e) => bruteEdge(g, e)));
      const before = (order: string[]): void => {
        for (const e of g.edges()) if (order.includes(e.producer) && order.includes(e.consumer)) expect(order.indexOf(e.producer)).toBeLessThan(order.indexOf(e.consumer));
      };
      const all = replanOrder(g);
      expect([...all].sort()).toEqual(states.filter((_, i) => expected[i] !== 'clean'));
      before(all);
      for (const s of states) {
        const down = replanOrder(g, s);
        expect([...down].sort()).toEqual([...(reach.get(s) ?? [])].sort());
        before(down);
      }
    }),
    { numRuns: 300 },
  );
});
