// With no DATABASE_URL, PostgresResourceLockManager starts an embedded server on demand in its data directory and
// shares it: close() leaves it running for every other client (a CLI's exit must not stop it under the others), a
// second manager attaches to it, and lock rows survive a server restart (locks held by one command outlive it).
import { describe, it, expect } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PostgresResourceLockManager } from '../../src/lock/postgres-resource-lock-manager.js';
import { newLockInfo } from '../../src/lock/lock-info.js';
import { embeddedPostgresLayout } from '../../src/lock/embedded-postgres-layout.js';
import { embeddedPostgresStatus } from '../../src/lock/embedded-postgres-status.js';
import { stopEmbeddedPostgres } from '../../src/lock/stop-embedded-postgres.js';

describe('PostgresResourceLockManager embedded default', () => {
  it('starts a shared server on demand that close() does not stop, and keeps locks across restarts', async () => {
    const root = await mkdtemp(join(tmpdir(), 'velocity-embedded-'));
    const dataDir = join(root, 'pg');
    const { dataDir: served } = await embeddedPostgresLayout(dataDir);
    try {
      const first = await PostgresResourceLockManager.open({ connectionString: '', embeddedDataDir: dataDir });
      const h = await first.lockResources(['terraform_data.a'], newLockInfo({ operation: 'embedded' }));
      await first.close();
      // The process that started the server is done with it; the server keeps serving.
      expect((await embeddedPostgresStatus(served)).state).toBe('ready');
      const second = await PostgresResourceLockManager.open({ connectionString: '', embeddedDataDir: dataDir });
      expect((await second.locks()).map((l) => l.id)).toEqual([h.id]);
      await second.close();
      // A restart keeps the rows.
      expect(await stopEmbeddedPostgres(dataDir)).toBe(true);
      expect((await embeddedPostgresStatus(served)).state).toBe('stopped');
      const third = await PostgresResourceLockManager.open({ connectionString: '', embeddedDataDir: dataDir });
      const err = await third.lockResources(['terraform_data.a'], newLockInfo()).catch((e: unknown) => e);
      expect((err as { code: string; holder: { ID: string } }).holder.ID).toBe(h.id);
      await third.forceUnlock(h.id);
      expect(await third.locks()).toEqual([]);
      await third.close();
      const closed = await third.locks().catch((e: unknown) => e);
      expect((closed as { code: string }).code).toMatch(/^LOCK_BACKEND_/);
    } finally {
      await stopEmbeddedPostgres(dataDir);
      for (const p of [root, served, `${served}.lock`, `${served}.log`]) await rm(p, { recursive: true, force: true });
    }
  });
});
