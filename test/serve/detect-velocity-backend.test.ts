// detectVelocityBackend: a workspace initialized on a velocity server is detected with its origin, guid and
// credentials (backend config first, then TF_HTTP_*); a plain http state server, another backend, an uninitialized
// directory or an unreachable server are not velocity (undefined); a slow server is waited for, and one that never
// answers is BACKEND_PROBE_TIMEOUT (never a silent switch to the whole-state path).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { detectVelocityBackend } from '../../src/serve/detect-velocity-backend.js';
import { startStateServer, type StateServer } from '../support/http-state-server.js';
import { startServeFixture, type ServeFixture } from './helpers/serve-fixture.js';

/** A directory whose `.terraform/terraform.tfstate` records `backend` as `init` does. */
function initialized(dirs: string[], backend: { type: string; config: Record<string, unknown> }, dataDir = '.terraform'): string {
  const dir = mkdtempSync(join(tmpdir(), 'velocity-detect-'));
  dirs.push(dir);
  mkdirSync(join(dir, dataDir), { recursive: true });
  writeFileSync(join(dir, dataDir, 'terraform.tfstate'), JSON.stringify({ version: 3, serial: 1, lineage: 'x', backend: { ...backend, hash: 1 } }));
  return dir;
}

describe('detectVelocityBackend', () => {
  let fx: ServeFixture;
  let plain: StateServer;
  const dirs: string[] = [];
  beforeAll(async () => {
    fx = await startServeFixture(inject('pgUrl'), { token: 's3cret' });
    plain = await startStateServer();
  });
  afterAll(async () => {
    await fx?.close();
    await plain?.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('finds a velocity state with its origin, guid and credentials', async () => {
    const guid = await fx.newState();
    const config = { address: `${fx.server.url}/tfstate/${guid}`, lock_address: `${fx.server.url}/tfstate/${guid}/lock`, username: 'velocity', password: null };
    const dir = initialized(dirs, { type: 'http', config });
    expect(await detectVelocityBackend(dir, { TF_HTTP_PASSWORD: 's3cret' })).toEqual({ origin: fx.server.url, guid, auth: { username: 'velocity', password: 's3cret' } });
    const withPassword = initialized(dirs, { type: 'http', config: { ...config, password: 's3cret' } });
    expect((await detectVelocityBackend(withPassword, { TF_HTTP_PASSWORD: 'ignored' }))?.auth).toEqual({ username: 'velocity', password: 's3cret' });
    const elsewhere = initialized(dirs, { type: 'http', config }, 'data');
    expect((await detectVelocityBackend(elsewhere, { TF_DATA_DIR: 'data', TF_HTTP_PASSWORD: 's3cret' }))?.guid).toBe(guid);
    // Wrong credentials: the server does not answer as velocity to this client, so the plain path stays.
    expect(await detectVelocityBackend(dir, { TF_HTTP_PASSWORD: 'wrong' })).toBeUndefined();
  });

  it('says undefined for anything else', async () => {
    const env = {};
    expect(await detectVelocityBackend(initialized(dirs, { type: 'http', config: { address: plain.url } }), env)).toBeUndefined();
    expect(await detectVelocityBackend(initialized(dirs, { type: 'http', config: { address: `${plain.url}/tfstate/0190f5a2-7b1c-7d3e-8f4a-1b2c3d4e5f60` } }), env)).toBeUndefined();
    expect(await detectVelocityBackend(initialized(dirs, { type: 'local', config: { path: 'x.tfstate' } }), env)).toBeUndefined();
    expect(await detectVelocityBackend(initialized(dirs, { type: 'http', config: { address: 'http://127.0.0.1:9/tfstate/0190f5a2-7b1c-7d3e-8f4a-1b2c3d4e5f60' } }), env)).toBeUndefined();
    const bare = mkdtempSync(join(tmpdir(), 'velocity-detect-'));
    dirs.push(bare);
    expect(await detectVelocityBackend(bare, env)).toBeUndefined();
  });

  it('waits for a slow server, and refuses one that never answers with a typed error', async () => {
    const guid = '0190f5a2-7b1c-7d3e-8f4a-1b2c3d4e5f60';
    let delayMs = 300;
    const slow = createServer((_req, res) => {
      if (delayMs < 0) return; // never answers
      setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"server":"velocity","version":"x","subgraph":1}'), delayMs);
    });
    await new Promise<void>((ok) => slow.listen(0, '127.0.0.1', ok));
    try {
      const origin = `http://127.0.0.1:${(slow.address() as AddressInfo).port}`;
      const dir = initialized(dirs, { type: 'http', config: { address: `${origin}/tfstate/${guid}` } });
      expect(await detectVelocityBackend(dir, {}, { probeTimeoutsMs: [100, 2_000] })).toMatchObject({ origin, guid });
      delayMs = -1;
      await expect(detectVelocityBackend(dir, {}, { probeTimeoutsMs: [100, 200] })).rejects.toMatchObject({ code: 'BACKEND_PROBE_TIMEOUT' });
    } finally {
      slow.closeAllConnections();
      await new Promise((ok) => slow.close(ok));
    }
  });
});
