// An entry with no instances (a for_each over nothing) is one instance-less row: a writer holding only an instance
// of it may give it its first instance (the instance-less row goes), and taking its last instance away leaves no
// entry at all, as the local merge does; a writer holding nothing of the entry may do neither.
import { describe, expect, it } from 'vitest';
import { useServeFixture } from './helpers/serve-fixture.js';
import { currentDoc, dataInstance, entry, sampleState, seededState, takeLock, writeSubgraph, type SubgraphBody } from './helpers/subgraph-requests.js';

describe('an instance-less entry under subgraph writes', () => {
  const fx = useServeFixture();

  it('gets its first instance and loses its last under an instance lock', async () => {
    const doc = sampleState();
    const empty = { ...entry('e', []), each: 'map' };
    doc.resources.splice(2, 0, empty);
    const guid = await seededState(fx(), doc);
    const owned: SubgraphBody['owned'] = { resources: [{ mode: 'managed', type: 'terraform_data', name: 'e', keys: ['a'] }], outputs: [] };
    const stranger = await takeLock(fx(), guid, ['terraform_data.b']);
    const refused = await writeSubgraph(fx(), guid, stranger.json?.['id'] as string, { lineage: doc.lineage, base_serial: 1, owned, resources: [{ ...empty, instances: [dataInstance('ea', 'a')] }] });
    expect([refused.status, refused.json?.['addresses']]).toEqual([409, ['terraform_data.e', 'terraform_data.e["a"]']]);

    const id = (await takeLock(fx(), guid, ['terraform_data.e["a"]'])).json?.['id'] as string;
    const first = await writeSubgraph(fx(), guid, id, { lineage: doc.lineage, base_serial: 1, owned, resources: [{ ...empty, instances: [dataInstance('ea', 'a')] }] });
    expect([first.status, first.json?.['closed'], first.json?.['added']], first.text).toEqual([200, 1, 1]);
    const withA = structuredClone(doc);
    withA.serial = 2;
    withA.resources[2] = { ...empty, instances: [dataInstance('ea', 'a')] };
    expect(await currentDoc(fx(), guid)).toEqual(withA);

    const last = await writeSubgraph(fx(), guid, id, { lineage: doc.lineage, base_serial: 2, owned, resources: [{ ...empty, instances: [] }] });
    expect([last.status, last.json?.['closed'], last.json?.['added']], last.text).toEqual([200, 1, 0]);
    const gone = structuredClone(doc);
    gone.serial = 3;
    gone.resources.splice(2, 1);
    expect(await currentDoc(fx(), guid)).toEqual(gone);
  });
});
