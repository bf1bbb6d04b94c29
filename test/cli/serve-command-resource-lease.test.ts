// `velocity serve --resource-lease D` as a process: the resource locks it grants (`/tfstate/{guid}/locks`) live D
// unless renewed, instead of the default 60 s; a renewal extends them by D again.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { assertFreshBuild } from '../support/built-package.js';
import { dropSchema, freshSchema } from '../lock/helpers/pg-test-schema.js';
import { foreignLockInfo } from '../serve/helpers/serve-fixture.js';
import { spawnServe, type SpawnedServe } from '../serve/helpers/spawn-serve.js';

describe('velocity serve --resource-lease', () => {
  const url = inject('pgUrl');
  const schema = freshSchema('leasecli');
  let s: SpawnedServe;
  beforeAll(async () => {
    assertFreshBuild();
    s = await spawnServe(url, schema, ['--resource-lease', '5s']);
  });
  afterAll(async () => {
    await s?.stop();
    await dropSchema(url, schema);
  });

  it('grants leases of that length', async () => {
    const guid = randomUUID();
    expect((await fetch(`${s.url}/api/v1/states`, { method: 'POST', body: JSON.stringify({ guid, logic_id: 'leased' }) })).status).toBe(201);
    const before = Date.now();
    const r = await fetch(`${s.url}/tfstate/${guid}/locks`, { method: 'POST', body: JSON.stringify({ info: foreignLockInfo(randomUUID()), resources: ['terraform_data.a'] }) });
    expect(r.status).toBe(200);
    const expires = Date.parse(((await r.json()) as { expiresAt: string }).expiresAt);
    // The database clock and ours may differ a little; 60 s (the default) is far outside this window.
    expect(expires - before).toBeGreaterThan(2_000);
    expect(expires - before).toBeLessThan(20_000);
  });
});
