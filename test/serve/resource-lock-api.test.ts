// The resource-lock endpoints of a state: a grant answers the canonical sorted addresses and the lease; an overlapping
// request is 423 with the holder's LockInfo at the top level, every holder and the overlapping addresses; renew
// extends the lease; the list shows live locks sorted by id; unlock releases, and a second unlock is 404.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { foreignLockInfo, raw, useServeFixture } from './helpers/serve-fixture.js';
import { takeLock } from './helpers/subgraph-requests.js';

describe('resource locks over HTTP on velocity serve', () => {
  const fx = useServeFixture({ resourceLeaseMs: 30_000 });

  it('grants, refuses overlaps with the holder, renews, lists and unlocks', async () => {
    const guid = await fx().newState();
    const id = '0190a000-0000-7000-8000-000000000001';
    const t0 = Date.now();
    const granted = await takeLock(fx(), guid, ['terraform_data.b', 'module.m["k"].terraform_data.z', 'terraform_data.b'], 'velocity@one', id);
    expect(granted.status, granted.text).toBe(200);
    expect(granted.json).toMatchObject({ id, resources: ['module.m["k"].terraform_data.z', 'terraform_data.b'], info: { ID: id, Who: 'velocity@one' } });
    const expires = Date.parse(granted.json?.['expiresAt'] as string);
    expect(expires).toBeGreaterThan(t0 + 20_000);

    // The whole module call contains a held instance: refused with the holder.
    const other = '0190a000-0000-7000-8000-000000000002';
    const refused = await takeLock(fx(), guid, ['module.m', 'terraform_data.c'], 'velocity@two', other);
    expect(refused.status).toBe(423);
    expect(refused.json).toMatchObject({ code: 'STATE_LOCKED', ID: id, Who: 'velocity@one', overlapping: ['module.m'] });
    expect((refused.json?.['holders'] as { ID: string }[]).map((h) => h.ID)).toEqual([id]);
    // Disjoint: granted at the same time.
    expect((await takeLock(fx(), guid, ['terraform_data.c'], 'velocity@two', other)).status).toBe(200);

    const renewed = await raw(fx(), 'POST', `/tfstate/${guid}/locks/${id}/renew`);
    expect(renewed.status, renewed.text).toBe(200);
    expect(Date.parse(renewed.json?.['expiresAt'] as string)).toBeGreaterThanOrEqual(expires);

    const list = await raw(fx(), 'GET', `/tfstate/${guid}/locks`);
    expect(list.status).toBe(200);
    expect((list.json as unknown as { id: string; resources: string[] }[]).map((l) => [l.id, l.resources])).toEqual([
      [id, ['module.m["k"].terraform_data.z', 'terraform_data.b']],
      [other, ['terraform_data.c']],
    ]);

    expect((await raw(fx(), 'DELETE', `/tfstate/${guid}/locks/${id}`)).json).toEqual({ released: true });
    const again = await raw(fx(), 'DELETE', `/tfstate/${guid}/locks/${id}`);
    expect([again.status, again.json?.['code']]).toEqual([404, 'LOCK_NOT_HELD']);
    const lost = await raw(fx(), 'POST', `/tfstate/${guid}/locks/${id}/renew`);
    expect([lost.status, lost.json?.['code']]).toEqual([410, 'LOCK_LOST']);
    // Now the module call is free.
    expect((await takeLock(fx(), guid, ['module.m'])).status).toBe(200);
  });

  it('answers typed 400s for bad requests and 404 for an unknown state', async () => {
    const guid = await fx().newState();
    const bad = async (body: string): Promise<unknown> => {
      const r = await raw(fx(), 'POST', `/tfstate/${guid}/locks`, body);
      return [r.status, r.json?.['code']];
    };
    const info = foreignLockInfo(randomUUID());
    expect(await bad('{')).toEqual([400, 'LOCK_REQUEST_INVALID']);
    expect(await bad(JSON.stringify({ info, resources: [] }))).toEqual([400, 'LOCK_REQUEST_INVALID']);
    expect(await bad(JSON.stringify({ info, resources: ['not an address'] }))).toEqual([400, 'LOCK_REQUEST_INVALID']);
    expect(await bad(JSON.stringify({ info, resources: ['*', 'terraform_data.a'] }))).toEqual([400, 'LOCK_REQUEST_INVALID']);
    expect(await bad(JSON.stringify({ info: { ...info, ID: 'lock-1' }, resources: ['terraform_data.a'] }))).toEqual([400, 'LOCK_REQUEST_INVALID']);
    expect(await bad(JSON.stringify({ resources: ['terraform_data.a'] }))).toEqual([400, 'LOCK_REQUEST_INVALID']);
    const renew = await raw(fx(), 'POST', `/tfstate/${guid}/locks/not-a-uuid/renew`);
    expect([renew.status, renew.json?.['code']]).toEqual([400, 'LOCK_REQUEST_INVALID']);
    const unknown = await takeLock(fx(), randomUUID(), ['terraform_data.a']);
    expect([unknown.status, unknown.json?.['code']]).toEqual([404, 'STATE_NOT_FOUND']);
    const method = await raw(fx(), 'PUT', `/tfstate/${guid}/locks`);
    expect([method.status, method.headers.get('allow')]).toEqual([405, 'GET, POST']);
  });
});
