// The http protocol's methods: each endpoint takes exactly its methods (state: GET, POST, PUT; lock: LOCK, PUT,
// POST; unlock: UNLOCK, PUT, DELETE, POST); any other is 405 with an Allow header and changes nothing.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { foreignLockInfo, raw, useServeFixture } from './helpers/serve-fixture.js';

describe('405 on velocity serve', () => {
  const fx = useServeFixture();

  it('refuses other methods and accepts the alternatives', async () => {
    const guid = await fx().newState('methods');
    const cases: [string, string, string][] = [
      ['DELETE', '', 'GET, POST, PUT'],
      ['PATCH', '', 'GET, POST, PUT'],
      ['LOCK', '', 'GET, POST, PUT'],
      ['GET', '/lock', 'LOCK, PUT, POST'],
      ['DELETE', '/lock', 'LOCK, PUT, POST'],
      ['GET', '/unlock', 'UNLOCK, PUT, DELETE, POST'],
      ['LOCK', '/unlock', 'UNLOCK, PUT, DELETE, POST'],
    ];
    for (const [method, sub, allow] of cases) {
      const r = await raw(fx(), method, `/tfstate/${guid}${sub}`, method === 'GET' ? undefined : '{}');
      expect(r.status, `${method} ${sub}`).toBe(405);
      expect(r.headers.get('allow')).toBe(allow);
      expect(r.json?.['code']).toBe('METHOD_NOT_ALLOWED');
    }
    // The configurable alternatives work: lock with PUT, then POST (same id: renewed); unlock with DELETE.
    const info = foreignLockInfo(randomUUID());
    expect((await raw(fx(), 'PUT', `/tfstate/${guid}/lock`, JSON.stringify(info))).status).toBe(200);
    expect((await raw(fx(), 'POST', `/tfstate/${guid}/lock`, JSON.stringify(info))).status).toBe(200);
    const doc = { version: 4, terraform_version: '1.11.4', serial: 1, lineage: randomUUID(), outputs: {}, resources: [] };
    expect((await raw(fx(), 'PUT', `/tfstate/${guid}?ID=${info.ID}`, JSON.stringify(doc))).status).toBe(200);
    expect((await raw(fx(), 'DELETE', `/tfstate/${guid}/unlock`, JSON.stringify(info))).status).toBe(200);
    expect((await fx().store.history(guid)).length).toBe(1);
  });
});
