// Resource locks live in the table, not in the server: after the server that granted a lock is closed and a new one
// (a new StateStore on the same schema) is started, the lock still refuses overlaps, renews and writes by its id,
// lists, and unlocks by id.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startServeServer, type ServeServer } from '../../src/serve/http-server.js';
import { StateStore } from '../../src/serve/state-store.js';
import { startServeFixture, type ServeFixture } from './helpers/serve-fixture.js';
import { dataInstance, sampleState, seededState, takeLock } from './helpers/subgraph-requests.js';

describe('resource locks across a server restart', () => {
  let fx: ServeFixture;
  let second: ServeServer | undefined;
  beforeAll(async () => {
    fx = await startServeFixture(inject('pgUrl'));
  });
  afterAll(async () => {
    await second?.close();
    await fx?.close();
  });

  it('renews, writes and unlocks by id on a new server', async () => {
    const doc = sampleState();
    const guid = await seededState(fx, doc);
    const lock = await takeLock(fx, guid, ['terraform_data.a', 'terraform_data.b']);
    const id = lock.json?.['id'] as string;
    await fx.server.close();
    second = await startServeServer({ store: new StateStore(fx.db.pool, fx.schema, 60_000), resourceLeaseMs: 45_000 });
    const at = (path: string, init: RequestInit = {}) => fetch(`${second!.url}${path}`, { ...init, signal: AbortSignal.timeout(30_000) });

    const overlap = await at(`/tfstate/${guid}/locks`, { method: 'POST', body: JSON.stringify({ info: { ...lock.json?.['info'] as object, ID: '0190a000-0000-7000-8000-0000000000ff' }, resources: ['terraform_data.b'] }) });
    expect(overlap.status).toBe(423);
    const renew = await at(`/tfstate/${guid}/locks/${id}/renew`, { method: 'POST', body: JSON.stringify({ resources: ['terraform_data.a', 'terraform_data.b'] }) });
    expect(renew.status).toBe(200);
    expect(Date.parse(((await renew.json()) as { expiresAt: string }).expiresAt)).toBeGreaterThan(Date.now() + 30_000);
    const list = (await (await at(`/tfstate/${guid}/locks`)).json()) as { id: string; resources: string[] }[];
    expect(list.map((l) => [l.id, l.resources])).toEqual([[id, ['terraform_data.a', 'terraform_data.b']]]);

    const w = await at(`/tfstate/${guid}/subgraph?ID=${id}`, {
      method: 'POST',
      body: JSON.stringify({
        lineage: doc.lineage,
        base_serial: 1,
        terraform_version: '1.11.4',
        owned: { resources: [{ mode: 'managed', type: 'terraform_data', name: 'a' }], outputs: [] },
        resources: [{ ...doc.resources[0]!, instances: [dataInstance('ALPHA')] }],
        outputs: {},
        read: [],
      }),
    });
    expect(w.status).toBe(200);
    const unlock = await at(`/tfstate/${guid}/locks/${id}`, { method: 'DELETE' });
    expect([unlock.status, await unlock.json()]).toEqual([200, { released: true }]);
    expect((await (await at(`/tfstate/${guid}/locks`)).json()) as unknown[]).toEqual([]);
  });
});
