// A subgraph version records the newer of the state's terraform_version and the sub-state's: a state holding rows
// a newer binary wrote keeps saying so, and a newer sub-state raises it.
import { describe, expect, it } from 'vitest';
import { useServeFixture } from './helpers/serve-fixture.js';
import { currentDoc, dataInstance, sampleState, seededState, takeLock, writeSubgraph } from './helpers/subgraph-requests.js';

describe('terraform_version of a subgraph version', () => {
  const fx = useServeFixture();

  it('is the newer of the two', async () => {
    const doc = { ...sampleState(), terraform_version: '1.12.0' };
    const guid = await seededState(fx(), doc);
    const id = (await takeLock(fx(), guid, ['terraform_data.a'])).json?.['id'] as string;
    const write = (base: number, version: string) =>
      writeSubgraph(fx(), guid, id, {
        lineage: doc.lineage,
        base_serial: base,
        terraform_version: version,
        owned: { resources: [{ mode: 'managed', type: 'terraform_data', name: 'a' }], outputs: [] },
        resources: [{ ...doc.resources[0]!, instances: [dataInstance(`a-${version}`)] }],
      });
    expect((await write(1, '1.11.4')).status).toBe(200);
    expect((await currentDoc(fx(), guid)).terraform_version).toBe('1.12.0');
    expect((await write(2, '1.13.1')).status).toBe(200);
    expect((await currentDoc(fx(), guid)).terraform_version).toBe('1.13.1');
    expect((await fx().store.history(guid)).map((v) => v.terraformVersion)).toEqual(['1.12.0', '1.12.0', '1.13.1']);
  });
});
