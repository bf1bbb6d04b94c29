// check_only runs every check of a subgraph write and writes nothing: 200 with the current version and serial when
// the write would be accepted, the same refusal a write would get otherwise.
import { describe, expect, it } from 'vitest';
import { raw, useServeFixture } from './helpers/serve-fixture.js';
import { dataInstance, sampleState, seededState, takeLock, writeSubgraph, type SubgraphBody } from './helpers/subgraph-requests.js';

describe('subgraph check_only', () => {
  const fx = useServeFixture();

  it('checks and writes nothing', async () => {
    const doc = sampleState();
    const guid = await seededState(fx(), doc);
    const before = (await raw(fx(), 'GET', `/tfstate/${guid}`)).text;
    const lock = await takeLock(fx(), guid, ['terraform_data.a']);
    const id = lock.json?.['id'] as string;
    const body: SubgraphBody = {
      lineage: doc.lineage,
      base_serial: 1,
      check_only: true,
      owned: { resources: [{ mode: 'managed', type: 'terraform_data', name: 'a' }], outputs: [] },
      resources: [{ ...doc.resources[0]!, instances: [dataInstance('ALPHA')] }],
    };
    const ok = await writeSubgraph(fx(), guid, id, body);
    expect([ok.status, ok.json], ok.text).toEqual([200, { version: 1, serial: 1, ok: true }]);
    const refused = await writeSubgraph(fx(), guid, id, { ...body, owned: { resources: [...body.owned.resources, { mode: 'managed', type: 'terraform_data', name: 'b' }], outputs: [] } });
    expect([refused.status, refused.json?.['code'], refused.json?.['addresses']]).toEqual([409, 'SUBGRAPH_NOT_HELD', ['terraform_data.b']]);
    expect((await raw(fx(), 'GET', `/tfstate/${guid}`)).text).toBe(before);
    expect((await fx().store.history(guid)).length).toBe(1);
  });
});
