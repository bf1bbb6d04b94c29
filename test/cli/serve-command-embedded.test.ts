// `velocity serve` with no database URL: it starts the embedded PostgreSQL with its data in --data-dir, serves
// from it, and on SIGTERM stops that server too (it started it); a second start finds the states written before.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedPostgresStatus } from '../../src/lock/embedded-postgres-status.js';
import { assertFreshBuild } from '../support/built-package.js';
import { runCli } from '../support/cli-harness.js';
import { embeddedDataDir, type EmbeddedDataDir } from '../serve/helpers/embedded-data-dir.js';
import { spawnServe } from '../serve/helpers/spawn-serve.js';

describe('velocity serve on its embedded PostgreSQL', () => {
  let dir: EmbeddedDataDir;
  let dataDir: string;
  beforeAll(async () => {
    assertFreshBuild();
    dir = await embeddedDataDir('velocity-serve-embedded-');
    dataDir = dir.dataDir;
  });
  afterAll(async () => {
    await dir?.cleanup();
  });

  it('keeps its data in --data-dir and stops its server on exit', async () => {
    const first = await spawnServe('', 'velocity', ['--data-dir', dataDir], { DATABASE_URL: '' });
    const where = /data: embedded PostgreSQL in (\S+)\)/.exec(first.stderr())?.[1];
    expect(where).toBeDefined();
    expect((await runCli(['state', 'create', 'kept', '--server', first.url], { env: {} })).code).toBe(0);
    expect(await first.stop('SIGTERM')).toBe(143);
    expect((await embeddedPostgresStatus(where as string)).state).toBe('stopped');
    const second = await spawnServe('', 'velocity', ['--data-dir', dataDir], { DATABASE_URL: '' });
    try {
      expect((await runCli(['state', 'list', '--server', second.url], { env: {} })).stdout).toMatch(/^kept {2}/);
    } finally {
      expect(await second.stop()).toBe(130);
    }
  }, 120_000);
});
