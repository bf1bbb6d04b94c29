// Bad subgraph writes are refused before anything is read or written, each with its typed answer: 400
// SUBGRAPH_REQUEST_INVALID for a malformed body, a missing or bad lock id, unowned entries or outputs, bad `read`
// addresses; 409 STATE_LINEAGE_MISMATCH for another lineage; for an id holding nothing 409 STATE_LOCKED with the
// holder of another live lock, or LOCK_NOT_HELD; 404
// for an unknown state; 405 for another method.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { raw, useServeFixture } from './helpers/serve-fixture.js';
import { dataInstance, sampleState, seededState, takeLock, writeSubgraph, type SubgraphBody } from './helpers/subgraph-requests.js';

describe('bad subgraph writes', () => {
  const fx = useServeFixture();

  it('get typed refusals and change nothing', async () => {
    const doc = sampleState();
    const guid = await seededState(fx(), doc);
    const id = (await takeLock(fx(), guid, ['terraform_data.a'])).json?.['id'] as string;
    const good: SubgraphBody = {
      lineage: doc.lineage,
      base_serial: 1,
      owned: { resources: [{ mode: 'managed', type: 'terraform_data', name: 'a' }], outputs: [] },
      resources: [{ ...doc.resources[0]!, instances: [dataInstance('ALPHA')] }],
    };
    const answer = async (r: Promise<{ status: number; json: Record<string, unknown> | undefined }>): Promise<unknown> => {
      const a = await r;
      return [a.status, a.json?.['code']];
    };
    const post = (query: string, body: string) => raw(fx(), 'POST', `/tfstate/${guid}/subgraph${query}`, body);
    const invalid = [400, 'SUBGRAPH_REQUEST_INVALID'];
    expect(await answer(post(`?ID=${id}`, '{"lineage":'))).toEqual(invalid);
    expect(await answer(post(`?ID=${id}`, '[]'))).toEqual(invalid);
    expect(await answer(post('', JSON.stringify({ ...good, terraform_version: '1.11.4' })))).toEqual(invalid);
    expect(await answer(post('?ID=lock-1', JSON.stringify({ ...good, terraform_version: '1.11.4' })))).toEqual(invalid);
    expect(await answer(writeSubgraph(fx(), guid, id, { ...good, base_serial: -1 }))).toEqual(invalid);
    expect(await answer(writeSubgraph(fx(), guid, id, { ...good, terraform_version: '' }))).toEqual(invalid);
    expect(await answer(writeSubgraph(fx(), guid, id, { ...good, owned: { resources: [], outputs: [] } }))).toEqual(invalid);
    expect(await answer(writeSubgraph(fx(), guid, id, { ...good, outputs: { x: { value: 1, type: 'number' } } }))).toEqual(invalid);
    expect(await answer(writeSubgraph(fx(), guid, id, { ...good, read: ['not an address'] }))).toEqual(invalid);
    expect(await answer(writeSubgraph(fx(), guid, id, { ...good, resources: [{ ...good.resources[0]!, instances: [dataInstance('A'), dataInstance('B')] }] }))).toEqual(invalid);
    expect(await answer(writeSubgraph(fx(), guid, id, { ...good, check_only: 'yes' as unknown as boolean }))).toEqual(invalid);
    expect(await answer(writeSubgraph(fx(), guid, id, { ...good, lineage: randomUUID() }))).toEqual([409, 'STATE_LINEAGE_MISMATCH']);
    expect(await answer(writeSubgraph(fx(), randomUUID(), id, good))).toEqual([404, 'STATE_NOT_FOUND']);
    // An id that holds nothing: STATE_LOCKED with the holder while another lock is live, else LOCK_NOT_HELD.
    const stranger = await writeSubgraph(fx(), guid, randomUUID(), good);
    expect([stranger.status, stranger.json?.['code'], stranger.json?.['ID']]).toEqual([409, 'STATE_LOCKED', id]);
    expect((await raw(fx(), 'DELETE', `/tfstate/${guid}/locks/${id}`)).status).toBe(200);
    expect(await answer(writeSubgraph(fx(), guid, id, good))).toEqual([409, 'LOCK_NOT_HELD']);
    const get = await raw(fx(), 'GET', `/tfstate/${guid}/subgraph`);
    expect([get.status, get.headers.get('allow')]).toEqual([405, 'POST']);
    expect((await fx().store.history(guid)).length).toBe(1);
  });
});
