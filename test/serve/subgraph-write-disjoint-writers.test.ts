// Two writers holding disjoint resource locks plan from the same serial and write in turn: both writes are accepted
// (the second's base is older, but nothing it holds changed), serials bump, the GET has both changes, the history
// both subgraph versions.
import { describe, expect, it } from 'vitest';
import { useServeFixture } from './helpers/serve-fixture.js';
import { currentDoc, dataInstance, sampleState, seededState, takeLock, writeSubgraph } from './helpers/subgraph-requests.js';

describe('disjoint subgraph writers', () => {
  const fx = useServeFixture();

  it('both write from the same base serial', async () => {
    const doc = sampleState();
    const guid = await seededState(fx(), doc);
    const one = await takeLock(fx(), guid, ['terraform_data.n[0]'], 'velocity@one');
    const two = await takeLock(fx(), guid, ['module.mod["k"]'], 'velocity@two');
    expect([one.status, two.status]).toEqual([200, 200]);
    const n = doc.resources[3]!;
    const z = doc.resources[4]!;
    const w1 = await writeSubgraph(fx(), guid, one.json?.['id'] as string, {
      lineage: doc.lineage,
      base_serial: 1,
      owned: { resources: [{ mode: 'managed', type: 'terraform_data', name: 'n', keys: [0] }], outputs: [] },
      resources: [{ ...n, instances: [dataInstance('N0', 0)] }],
    });
    expect([w1.status, w1.json?.['serial']], w1.text).toEqual([200, 2]);
    const w2 = await writeSubgraph(fx(), guid, two.json?.['id'] as string, {
      lineage: doc.lineage,
      base_serial: 1,
      owned: { resources: [{ module: 'module.mod["k"]', mode: 'managed', type: 'terraform_data', name: 'z' }], outputs: [] },
      resources: [{ ...z, instances: [dataInstance('ZED')] }],
      read: ['terraform_data.a'],
    });
    expect([w2.status, w2.json?.['serial'], w2.json?.['version']], w2.text).toEqual([200, 3, 3]);
    const expected = structuredClone(doc);
    expected.serial = 3;
    expected.resources[3] = { ...n, instances: [dataInstance('N0', 0), dataInstance('n1', 1)] };
    expected.resources[4] = { ...z, instances: [dataInstance('ZED')] };
    expect(await currentDoc(fx(), guid)).toEqual(expected);
    const history = await fx().store.history(guid);
    expect(history.map((v) => [v.version, v.serial, v.source, v.who])).toEqual([
      [1, 1, 'push', null],
      [2, 2, 'subgraph', 'velocity@one'],
      [3, 3, 'subgraph', 'velocity@two'],
    ]);
    expect(history.map((v) => v.instances)).toEqual([7, 7, 7]);
  });
});
