// `velocity serve --data-dir` killed (SIGKILL) mid-life: its embedded PostgreSQL (a detached process) keeps
// running; a new `velocity serve` on the same --data-dir attaches to it and serves the states written before,
// byte for byte, and takes writes.
import { randomUUID } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedPostgresStatus } from '../../src/lock/embedded-postgres-status.js';
import { assertFreshBuild } from '../support/built-package.js';
import { embeddedDataDir, type EmbeddedDataDir } from '../serve/helpers/embedded-data-dir.js';
import { spawnServe } from '../serve/helpers/spawn-serve.js';
import { sampleState } from '../serve/helpers/subgraph-requests.js';

describe('velocity serve on its embedded PostgreSQL, killed', () => {
  let dir: EmbeddedDataDir;
  let dataDir: string;
  beforeAll(async () => {
    assertFreshBuild();
    dir = await embeddedDataDir('velocity-serve-embedded-killed-');
    dataDir = dir.dataDir;
  });
  afterAll(async () => {
    await dir?.cleanup();
  });

  it('restarts on the running cluster with every state', async () => {
    const first = await spawnServe('', 'velocity', ['--data-dir', dataDir], { DATABASE_URL: '' });
    const where = /data: embedded PostgreSQL in (\S+)\)/.exec(first.stderr())?.[1] as string;
    const guid = uuidv7();
    expect((await fetch(`${first.url}/api/v1/states`, { method: 'POST', body: JSON.stringify({ guid, logic_id: 'kept' }) })).status).toBe(201);
    const doc = sampleState(randomUUID(), 1);
    expect((await fetch(`${first.url}/tfstate/${guid}`, { method: 'POST', body: JSON.stringify(doc) })).status).toBe(200);
    const before = await (await fetch(`${first.url}/tfstate/${guid}`)).text();
    expect(await first.stop('SIGKILL')).toBe(-1);
    expect((await embeddedPostgresStatus(where)).state).toBe('ready');

    const second = await spawnServe('', 'velocity', ['--data-dir', dataDir], { DATABASE_URL: '' });
    try {
      expect(await (await fetch(`${second.url}/tfstate/${guid}`)).text()).toBe(before);
      const w = await fetch(`${second.url}/tfstate/${guid}`, { method: 'POST', body: JSON.stringify({ ...doc, serial: 2 }) });
      expect(w.status, await w.text()).toBe(200);
      expect(((await (await fetch(`${second.url}/api/v1/states/${guid}/history`)).json()) as unknown[]).length).toBe(2);
    } finally {
      await second.stop('SIGTERM');
    }
    // The second server attached to a cluster it did not start: it leaves it running.
    expect((await embeddedPostgresStatus(where)).state).toBe('ready');
  }, 120_000);
});
