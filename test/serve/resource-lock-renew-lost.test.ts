// Renewing a lock part of which expired and was taken over: with the addresses the caller holds in the body, 410
// LOCK_LOST names the lost ones (the rest is renewed, as LockHandle.renew does); once nothing of the id is left,
// renew is 410 with or without a body. An expired lock nobody took over renews.
import { describe, expect, it } from 'vitest';
import { raw, useServeFixture } from './helpers/serve-fixture.js';
import { takeLock } from './helpers/subgraph-requests.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('renew of a partly taken-over lock', () => {
  const fx = useServeFixture({ resourceLeaseMs: 1000 });

  it('reports the lost addresses', async () => {
    const guid = await fx().newState();
    const lock = await takeLock(fx(), guid, ['terraform_data.a', 'terraform_data.b']);
    const id = lock.json?.['id'] as string;
    const renew = (body?: unknown) => raw(fx(), 'POST', `/tfstate/${guid}/locks/${id}/renew`, body === undefined ? undefined : JSON.stringify(body));
    await sleep(1300);
    // Expired, but nobody took it: renewed.
    expect((await renew({ resources: ['terraform_data.a', 'terraform_data.b'] })).status).toBe(200);
    await sleep(1300);
    const thief = await takeLock(fx(), guid, ['terraform_data.b'], 'velocity@other');
    expect(thief.status, thief.text).toBe(200);
    const lost = await renew({ resources: ['terraform_data.b', 'terraform_data.a'] });
    expect([lost.status, lost.json?.['code'], lost.json?.['lost']]).toEqual([410, 'LOCK_LOST', ['terraform_data.b']]);
    expect((await raw(fx(), 'GET', `/tfstate/${guid}/locks`)).json).toMatchObject([{ id: thief.json?.['id'] }, { id, resources: ['terraform_data.a'] }].sort((x, y) => (String(x.id) < String(y.id) ? -1 : 1)));
    expect((await raw(fx(), 'DELETE', `/tfstate/${guid}/locks/${id}`)).status).toBe(200);
    const gone = await renew();
    expect([gone.status, gone.json?.['code']]).toEqual([410, 'LOCK_LOST']);
  });
});
