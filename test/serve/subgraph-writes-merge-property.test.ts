// Property: writers holding disjoint instance locks, all planned from the same base serial, each replacing, removing
// or adding instances of the keys it owns, written in any order (or all at once), leave exactly the document of
// merging their changes one after the other: every change present, nothing else touched, one version per writer.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { useServeFixture } from './helpers/serve-fixture.js';
import { currentDoc, dataInstance, entry, seededState, takeLock, writeSubgraph, type Entry, type StateDoc } from './helpers/subgraph-requests.js';

type Key = string | number;
/** The base state's entries: [module, name, keys]. */
const ENTRIES: readonly (readonly [string, string, readonly Key[]])[] = [
  ['', 'c', [0, 1, 2]],
  ['', 'e', ['a', 'b', 'c']],
  ['module.mod["x"]', 'f', ['a', 'b']],
];
/** Keys a writer may add: not in the base state. */
const NEW_KEYS: readonly (readonly Key[])[] = [[3], ['d'], ['c']];

/** One instance a writer owns: entry index, key, and its new value (null: removed). */
interface Change {
  readonly entry: number;
  readonly key: Key;
  readonly value: string | null;
}

const slotArb = fc.constantFrom(...ENTRIES.flatMap(([, , keys], i) => [...keys, ...(NEW_KEYS[i] ?? [])].map((key) => [i, key] as const)));

/** Up to 4 writers, each a non-empty set of distinct slots (disjoint across writers), with new values. */
const writersArb = fc
  .uniqueArray(fc.tuple(slotArb, fc.nat({ max: 3 }), fc.option(fc.constantFrom('p', 'q', 'r'), { nil: null })), { minLength: 1, maxLength: 9, selector: ([[e, k]]) => `${e}:${JSON.stringify(k)}` })
  .map((slots) => {
    const writers: Change[][] = [[], [], [], []];
    for (const [[e, key], w, v] of slots) writers[w]!.push({ entry: e, key, value: v === null ? null : `${v}-${e}-${String(key)}` });
    return writers.filter((w) => w.length > 0);
  });

function baseState(): StateDoc {
  return {
    version: 4,
    terraform_version: '1.11.4',
    serial: 1,
    lineage: crypto.randomUUID(),
    outputs: {},
    resources: ENTRIES.map(([module, name, keys]) => entry(name, keys.map((k) => [k, `base-${name}-${String(k)}`] as const), module || undefined)),
  };
}

const keyOrder = (a: Key, b: Key): number => (typeof a === 'number' && typeof b === 'number' ? a - b : typeof a === 'number' ? -1 : typeof b === 'number' ? 1 : a < b ? -1 : a > b ? 1 : 0);

/** The sequential merge of every writer's changes into `doc`. */
function merged(doc: StateDoc, writers: readonly Change[][]): StateDoc {
  const out = structuredClone(doc);
  out.serial = doc.serial + writers.length;
  out.resources = out.resources
    .map((r, i) => {
      const byKey = new Map(r.instances.map((inst) => [inst['index_key'] as Key, inst]));
      for (const c of writers.flat()) if (c.entry === i) (c.value === null ? byKey.delete(c.key) : byKey.set(c.key, dataInstance(c.value, c.key)));
      return { ...r, instances: [...byKey.keys()].sort(keyOrder).map((k) => byKey.get(k)!) };
    })
    .filter((r) => r.instances.length > 0);
  return out;
}

const address = (e: number, key: Key): string => {
  const [module, name] = ENTRIES[e]!;
  return `${module ? `${module}.` : ''}terraform_data.${name}[${JSON.stringify(key)}]`;
};

describe('disjoint subgraph writes in any order', () => {
  const fx = useServeFixture();

  it('equal the sequential merge', async () => {
    await fc.assert(
      fc.asyncProperty(writersArb, fc.boolean(), fc.nat(), async (writers, parallel, seed) => {
        const doc = baseState();
        const guid = await seededState(fx(), doc);
        const ids: string[] = [];
        for (const w of writers) {
          const lock = await takeLock(fx(), guid, w.map((c) => address(c.entry, c.key)));
          expect(lock.status, lock.text).toBe(200);
          ids.push(lock.json?.['id'] as string);
        }
        const write = async (i: number): Promise<void> => {
          const w = writers[i]!;
          const entries = [...new Set(w.map((c) => c.entry))].sort();
          const r = await writeSubgraph(fx(), guid, ids[i]!, {
            lineage: doc.lineage,
            base_serial: 1,
            owned: { resources: entries.map((e) => ({ module: ENTRIES[e]![0], mode: 'managed' as const, type: 'terraform_data', name: ENTRIES[e]![1], keys: w.filter((c) => c.entry === e).map((c) => c.key) })), outputs: [] },
            resources: entries.map((e): Entry => ({ ...doc.resources[e]!, instances: w.filter((c) => c.entry === e && c.value !== null).map((c) => dataInstance(c.value!, c.key)) })),
          });
          expect(r.status, r.text).toBe(200);
        };
        const order = writers.map((_, i) => i).sort((a, b) => ((a * 7919 + seed) % 13) - ((b * 7919 + seed) % 13));
        if (parallel) await Promise.all(order.map(write));
        else for (const i of order) await write(i);
        expect(await currentDoc(fx(), guid)).toEqual(merged(doc, writers));
        expect((await fx().store.history(guid)).map((v) => v.source)).toEqual(['push', ...writers.map(() => 'subgraph')]);
      }),
      { numRuns: 40 },
    );
  });
});
