// GET /api/v1/server names the server, its version and the subgraph protocol it speaks, so a client can tell a
// velocity backend from any other http backend; with a token it is behind the same auth as every route.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { raw, useServeFixture } from './helpers/serve-fixture.js';

const version = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;

describe('GET /api/v1/server', () => {
  const fx = useServeFixture({ token: 'secret-token' });

  it('answers velocity, its version and subgraph 1, authenticated', async () => {
    expect((await raw(fx(), 'GET', '/api/v1/server')).status).toBe(401);
    const auth = { authorization: `Basic ${Buffer.from('velocity:secret-token').toString('base64')}` };
    const r = await raw(fx(), 'GET', '/api/v1/server', undefined, auth);
    expect([r.status, r.json]).toEqual([200, { server: 'velocity', version, subgraph: 1 }]);
    expect((await raw(fx(), 'POST', '/api/v1/server', '{}', auth)).status).toBe(405);
  });
});
